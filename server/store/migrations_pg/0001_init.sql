-- 0001_init (PostgreSQL): the tables of SQLite's 0001_init, in
-- PostgreSQL's types: INTEGER is BIGINT, REAL DOUBLE PRECISION, BLOB BYTEA.
-- Times stay TEXT in the same fixed-width UTC form, so that the store's
-- SQL and its comparisons of times as text are the same on both databases.
--
-- 0001_init: the first schema of Lượt.
--
-- Times are TEXT in UTC, "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ" (fixed width, so
-- they sort as text and SQLite's date functions read them); a time that is
-- not set is NULL. Business days are local dates "YYYY-MM-DD" of the office.
-- Hashes (bcrypt PINs, sha256 of device keys and session tokens) are made by
-- the caller; the store keeps bytes only.

-- One row per office: its configuration (JSON of queue.Office), its current
-- business day, and the last event seq and issue order. last_seq is the
-- authority for gapless numbering of events, so it survives event pruning.
CREATE TABLE offices (
    id         TEXT    NOT NULL PRIMARY KEY,
    config     TEXT    NOT NULL,
    day        TEXT    NOT NULL,
    last_seq   BIGINT NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    last_order BIGINT NOT NULL DEFAULT 0 CHECK (last_order >= 0),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

-- The changing part of each counter (queue.CounterStatus).
CREATE TABLE counter_status (
    office  TEXT NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    counter TEXT NOT NULL,
    state   TEXT NOT NULL,
    staff   TEXT NOT NULL DEFAULT '',
    current TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (office, counter)
);

-- Every ticket of every day (queue.Ticket). The number of a ticket is
-- unique per office, business day and numbering service.
CREATE TABLE tickets (
    id               TEXT    NOT NULL PRIMARY KEY,
    office           TEXT    NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    day              TEXT    NOT NULL,
    service          TEXT    NOT NULL,
    number           BIGINT NOT NULL CHECK (number > 0),
    number_service   TEXT    NOT NULL,
    display          TEXT    NOT NULL,
    source           TEXT    NOT NULL,
    priority         TEXT    NOT NULL DEFAULT '',
    status           TEXT    NOT NULL,
    va               TEXT    NOT NULL,
    issue_order      BIGINT NOT NULL,
    pinned           TEXT    NOT NULL DEFAULT '',
    issued_at        TEXT    NOT NULL,
    called_at        TEXT,
    recalled_at      TEXT,
    serving_at       TEXT,
    finished_at      TEXT,
    counter          TEXT    NOT NULL DEFAULT '',
    staff            TEXT    NOT NULL DEFAULT '',
    recalls          BIGINT NOT NULL DEFAULT 0,
    transfers        TEXT,    -- JSON array of queue.Transfer; NULL when none
    token            TEXT    NOT NULL,
    booking          TEXT    NOT NULL DEFAULT '',
    name             TEXT    NOT NULL DEFAULT '',
    phone            TEXT    NOT NULL DEFAULT '',
    estimate_seconds BIGINT NOT NULL DEFAULT -1,
    device           TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX tickets_number ON tickets (office, day, number_service, number);
CREATE UNIQUE INDEX tickets_order ON tickets (office, issue_order);
CREATE INDEX tickets_status ON tickets (office, status);

-- The last number issued per office, day and service; updated in the same
-- transaction that inserts the ticket (never computed with COUNT(*)).
CREATE TABLE numbers (
    office  TEXT    NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    day     TEXT    NOT NULL,
    service TEXT    NOT NULL,
    last    BIGINT NOT NULL CHECK (last > 0),
    PRIMARY KEY (office, day, service)
);

-- Service-time averages (EWMA, seconds) per office and service.
CREATE TABLE averages (
    office  TEXT NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    service TEXT NOT NULL,
    seconds DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (office, service)
);

-- The event stream: data is the JSON of the event exactly as it was sent.
CREATE TABLE events (
    office TEXT    NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    seq    BIGINT NOT NULL CHECK (seq > 0),
    type   TEXT    NOT NULL,
    at     TEXT    NOT NULL,
    data   BYTEA    NOT NULL,
    PRIMARY KEY (office, seq)
);

-- Idempotency keys of requests that made a ticket.
CREATE TABLE idempotency (
    office     TEXT NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    ticket     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (office, key)
);

-- Clerks and administrators, with their bcrypt PIN hash and lock-out state.
CREATE TABLE staff (
    office          TEXT    NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    id              TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    role            TEXT    NOT NULL,
    disabled        BIGINT NOT NULL DEFAULT 0,
    pin_hash        BYTEA,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until    TEXT,
    PRIMARY KEY (office, id)
);

-- Kiosks and displays, found by the sha256 of their key.
CREATE TABLE devices (
    id        TEXT    NOT NULL PRIMARY KEY,
    office    TEXT    NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    name      TEXT    NOT NULL DEFAULT '',
    kind      TEXT    NOT NULL,
    key_hash  BYTEA    NOT NULL UNIQUE,
    revoked   BIGINT NOT NULL DEFAULT 0,
    last_seen TEXT,
    status    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX devices_office ON devices (office);

-- Staff sessions, found by the sha256 of their bearer token.
CREATE TABLE sessions (
    token_hash BYTEA NOT NULL PRIMARY KEY,
    office     TEXT NOT NULL,
    staff      TEXT NOT NULL,
    counter    TEXT NOT NULL DEFAULT '',
    role       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    FOREIGN KEY (office, staff) REFERENCES staff (office, id) ON DELETE CASCADE
);
CREATE INDEX sessions_staff ON sessions (office, staff);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Who did what: configuration changes, logins, device registrations.
-- No foreign key: the log outlives what it talks about.
CREATE TABLE audit (
    id     BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    office TEXT NOT NULL,
    at     TEXT NOT NULL,
    who    TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_office_at ON audit (office, at);
