-- 0008_dossiers: dossiers (hồ sơ) received at the counter or sent by the
-- province's one-stop system, their events, the sequence of their codes,
-- idempotency keys of their creation; the dossier a pickup ticket
-- collects; the scope of API keys (docs/dossier.md).
--
-- A dossier's state is data (JSON of dossier.Dossier without the
-- applicant, whose name, phone, masked ID and address are columns, kept
-- apart so that erasing them is an UPDATE of the row alone: no event holds
-- them). The other columns are what lists filter and sort on.

CREATE TABLE dossiers (
    code          TEXT    NOT NULL PRIMARY KEY,
    office        TEXT    NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    procedure     TEXT    NOT NULL,
    field         TEXT    NOT NULL DEFAULT '',
    department    TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL,
    -- open: 1 while the dossier is being dealt with (dossier.Dossier.Open),
    -- for the handlers' order (open ones first, by due date).
    open          INTEGER NOT NULL,
    channel       TEXT    NOT NULL,
    -- ticket: the queue ticket it was received from; pickup_ticket: the
    -- last ticket that came to collect the result.
    ticket        TEXT    NOT NULL DEFAULT '',
    pickup_ticket TEXT    NOT NULL DEFAULT '',
    -- at: the time of its code's date (received, or submitted when not
    -- received), for the "newest first" order; received_at for the
    -- filter on the time of receipt.
    at            TEXT    NOT NULL,
    received_at   TEXT,
    due_at        TEXT,
    completed_at  TEXT,
    name          TEXT    NOT NULL DEFAULT '',
    phone         TEXT    NOT NULL DEFAULT '',
    -- phone4: the last 4 digits of phone, for the applicant's look-up.
    phone4        TEXT    NOT NULL DEFAULT '',
    id_masked     TEXT    NOT NULL DEFAULT '',
    address       TEXT    NOT NULL DEFAULT '',
    external      TEXT    NOT NULL DEFAULT '',
    sample        INTEGER NOT NULL DEFAULT 0,
    token_hash    BLOB,
    version       INTEGER NOT NULL CHECK (version > 0),
    data          TEXT    NOT NULL
) STRICT;
CREATE INDEX dossiers_due ON dossiers (office, open DESC, due_at);
CREATE INDEX dossiers_at ON dossiers (office, at);
CREATE INDEX dossiers_received ON dossiers (office, received_at);
CREATE INDEX dossiers_completed ON dossiers (office, completed_at) WHERE status = 'completed';
CREATE INDEX dossiers_department ON dossiers (office, department);
CREATE INDEX dossiers_procedure ON dossiers (office, procedure);
CREATE INDEX dossiers_ticket ON dossiers (ticket) WHERE ticket <> '';
CREATE INDEX dossiers_pickup ON dossiers (pickup_ticket) WHERE pickup_ticket <> '';

-- Every change of a dossier, numbered by its own sequence for the whole
-- server (AUTOINCREMENT: a seq is never reused). data is the JSON of
-- dossier.Event; created the JSON of the dossier a "dossier.created" event
-- made, without the applicant (read back from the dossiers row).
CREATE TABLE dossier_events (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    dossier TEXT    NOT NULL REFERENCES dossiers (code) ON DELETE CASCADE,
    office  TEXT    NOT NULL,
    type    TEXT    NOT NULL,
    at      TEXT    NOT NULL,
    data    TEXT    NOT NULL,
    created TEXT
) STRICT;
CREATE INDEX dossier_events_dossier ON dossier_events (dossier, seq);
CREATE INDEX dossier_events_office ON dossier_events (office, seq);

-- The last number of a code per prefix and day of the code ("YYMMDD" in
-- the office's time zone), taken in the transaction that stores the
-- dossier: a number is used only by a committed dossier. Keyed by the
-- prefix (an office's), so that two offices given the same prefix still
-- make different codes.
CREATE TABLE dossier_seq (
    prefix TEXT    NOT NULL,
    day    TEXT    NOT NULL,
    last   INTEGER NOT NULL CHECK (last > 0),
    PRIMARY KEY (prefix, day)
) STRICT, WITHOUT ROWID;

-- Idempotency keys of dossier creations (scoped by the caller:
-- "counter:{office}:{key}", "integration:{client}:{code}").
CREATE TABLE dossier_keys (
    office     TEXT NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    code       TEXT NOT NULL REFERENCES dossiers (code) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (office, key)
) STRICT, WITHOUT ROWID;

-- The dossier whose result a pickup ticket collects (queue.Ticket.Dossier).
ALTER TABLE tickets ADD COLUMN dossier TEXT NOT NULL DEFAULT '';

-- What an API key may do: 'open311' (the Open311 GeoReport API, every key
-- made before) or 'dossiers' (the province's one-stop system). Each API
-- refuses the other's keys.
ALTER TABLE api_clients ADD COLUMN scope TEXT NOT NULL DEFAULT 'open311' CHECK (scope IN ('open311', 'dossiers'));
