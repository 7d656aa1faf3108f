-- 0007_print_jobs: documents the server sends to a counter's station
-- printer (docs/station.md): a reprinted ticket, the administrator's test
-- receipt, dossier receipts and notices.
--
-- A job is written in the same transaction as its print.queued event, and
-- its id is that event's seq, so it is unique in the office. It stays
-- 'queued' until the counter's station acknowledges it 'printed' or
-- 'failed' (with the printer's fault code); both are final. doc is the
-- JSON of queue.Document, which only the station's key reads.
CREATE TABLE print_jobs (
    office     TEXT    NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    id         INTEGER NOT NULL CHECK (id > 0),
    counter    TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('queued', 'printed', 'failed')),
    doc        TEXT    NOT NULL,
    by_whom    TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    done_at    TEXT,
    fault      TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (office, id)
) STRICT, WITHOUT ROWID;
-- A station lists its counter's queued jobs, oldest first.
CREATE INDEX print_jobs_queued ON print_jobs (office, counter, id) WHERE state = 'queued';
