-- 0005_feedback: citizens' feedback reports (phản ánh hiện trường), their
-- events, the sequence of their codes, idempotency keys of their creation,
-- their photos, the Open311 clients, and the staff's unit.
--
-- A report's whole state is data (JSON of feedback.Report, which leaves
-- out the reporter, the Open311 client and the manage token); the columns
-- beside it are what lists filter and sort on, and the personal data, kept
-- apart so that erasing them is an UPDATE of two columns.

CREATE TABLE reports (
    code        TEXT    NOT NULL PRIMARY KEY,
    office      TEXT    NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    category    TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    -- open: 1 while the report is being handled (new, accepted, assigned,
    -- in progress), for the inbox's order.
    open        INTEGER NOT NULL,
    unit        TEXT    NOT NULL DEFAULT '',
    ward        TEXT    NOT NULL DEFAULT '',
    lat         REAL,
    lon         REAL,
    created_at  TEXT    NOT NULL,
    ack_due     TEXT,
    resolve_due TEXT,
    -- due: the deadline the report waits on (ack_due while new,
    -- resolve_due after), NULL once closed.
    due         TEXT,
    -- closed_at: when it closed, or was resolved (see EraseDue).
    closed_at   TEXT,
    erased_at   TEXT,
    version     INTEGER NOT NULL CHECK (version > 0),
    name        TEXT    NOT NULL DEFAULT '',
    phone       TEXT    NOT NULL DEFAULT '',
    anonymous   INTEGER NOT NULL DEFAULT 0,
    client      TEXT    NOT NULL DEFAULT '',
    token_hash  BLOB,
    data        TEXT    NOT NULL
) STRICT;
CREATE INDEX reports_inbox ON reports (office, status, resolve_due);
CREATE INDEX reports_due ON reports (office, open DESC, due);
CREATE INDEX reports_created ON reports (office, created_at);
CREATE INDEX reports_map ON reports (lat, lon);
CREATE INDEX reports_category ON reports (office, category);
CREATE INDEX reports_unit ON reports (office, unit);
CREATE INDEX reports_erase ON reports (closed_at) WHERE erased_at IS NULL;

-- Every change of a report, numbered by one sequence for the whole
-- server (AUTOINCREMENT: a seq is never reused, even after deletes), so
-- that a staff stream resumes from a seq. data is the JSON of
-- feedback.Event; created the JSON of the report a "report.created"
-- event made (without the reporter). Neither holds the reporter's name
-- or phone.
CREATE TABLE report_events (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    report  TEXT    NOT NULL REFERENCES reports (code) ON DELETE CASCADE,
    office  TEXT    NOT NULL,
    type    TEXT    NOT NULL,
    at      TEXT    NOT NULL,
    data    TEXT    NOT NULL,
    created TEXT
) STRICT;
CREATE INDEX report_events_report ON report_events (report, seq);
CREATE INDEX report_events_office ON report_events (office, seq);

-- The last number of a code per month of receipt ("YYMM"): codes are
-- unique per server, so the sequence is the server's, not an office's.
CREATE TABLE report_seq (
    month TEXT    NOT NULL PRIMARY KEY,
    last  INTEGER NOT NULL CHECK (last > 0)
) STRICT, WITHOUT ROWID;

-- Idempotency keys of report creations (scoped by the caller).
CREATE TABLE report_keys (
    office     TEXT NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    code       TEXT NOT NULL REFERENCES reports (code) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (office, key)
) STRICT, WITHOUT ROWID;

-- The photos of reports and answers, by content hash: public is 1 when
-- the report shows the photo to anyone (not hidden, and in the public
-- view of the report), so that serving a photo is one look-up.
CREATE TABLE report_photos (
    hash   TEXT    NOT NULL,
    report TEXT    NOT NULL REFERENCES reports (code) ON DELETE CASCADE,
    answer INTEGER NOT NULL,
    hidden INTEGER NOT NULL,
    public INTEGER NOT NULL,
    PRIMARY KEY (hash, report, answer)
) STRICT, WITHOUT ROWID;
CREATE INDEX report_photos_report ON report_photos (report);

-- Open311 clients, found by the sha256 of their API key.
CREATE TABLE api_clients (
    office     TEXT    NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    id         TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    key_hash   BLOB    NOT NULL UNIQUE,
    created_at TEXT    NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (office, id)
) STRICT, WITHOUT ROWID;

-- The unit (department or ward of the feedback configuration) a handler
-- works for; '' for other roles. A session carries the unit it was
-- opened with, as it carries the role.
ALTER TABLE staff ADD COLUMN unit TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN unit TEXT NOT NULL DEFAULT '';
