-- 0004_action_keys (PostgreSQL): SQLite's 0004_action_keys in PostgreSQL's
-- types.
--
-- 0003_action_keys: idempotency keys of clerks' counter actions.
--
-- A counter action sent with an Idempotency-Key (the clerk console, the
-- counter station's keypad) keeps its answer here, written in the same
-- transaction as the change it made: a repeat of the request, even after
-- a crash between the commit and the answer, gets the same answer and
-- changes nothing. request is a digest of the counter, the action and the
-- body, so that the key with another request is refused. The rows are
-- pruned with the events (a retry comes within minutes, not weeks).
CREATE TABLE action_keys (
    office     TEXT    NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    key        TEXT    NOT NULL,
    request    TEXT    NOT NULL,
    status     BIGINT NOT NULL,
    body       BYTEA    NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (office, key)
);
CREATE INDEX action_keys_created ON action_keys (created_at);
