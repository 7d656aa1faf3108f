-- 0007_print_jobs (PostgreSQL): documents the server sends to a counter's
-- station printer. The same schema as migrations/0007_print_jobs.sql,
-- which explains it, in PostgreSQL's types.
CREATE TABLE print_jobs (
    office     text   NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    id         bigint NOT NULL CHECK (id > 0),
    counter    text   NOT NULL,
    kind       text   NOT NULL,
    state      text   NOT NULL CHECK (state IN ('queued', 'printed', 'failed')),
    doc        text   NOT NULL,
    by_whom    text   NOT NULL DEFAULT '',
    created_at text   NOT NULL,
    done_at    text,
    fault      text   NOT NULL DEFAULT '',
    PRIMARY KEY (office, id)
);
CREATE INDEX print_jobs_queued ON print_jobs (office, counter, id) WHERE state = 'queued';
