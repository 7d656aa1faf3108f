-- 0002_citizens (PostgreSQL): SQLite's 0002_citizens in PostgreSQL's types.
--
-- 0002_citizens: appointments, ratings, and what the personal-data
-- retention job needs.
--
-- Times are TEXT in UTC as in 0001; dates are local "YYYY-MM-DD" of the
-- office, slots local "HH:MM".

-- Appointments (queue.Booking). The code is unique across offices: a
-- citizen cancels with the code (and phone) alone.
CREATE TABLE bookings (
    code       TEXT NOT NULL PRIMARY KEY,
    office     TEXT NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    service    TEXT NOT NULL,
    date       TEXT NOT NULL,
    slot       TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL,
    ticket     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX bookings_office_date ON bookings (office, date, service, slot);

-- Citizens' ratings of a finished ticket: one per ticket, with the counter
-- and clerk who served it (for the reports). score: 4 = very satisfied
-- (Rất hài lòng), 3 = satisfied, 2 = neutral, 1 = dissatisfied. No foreign
-- key, as for the audit log: reports outlive what they talk about (the
-- store checks that the ticket exists when a rating is made).
CREATE TABLE ratings (
    office  TEXT    NOT NULL,
    ticket  TEXT    NOT NULL,
    score   BIGINT NOT NULL CHECK (score BETWEEN 1 AND 4),
    comment TEXT    NOT NULL DEFAULT '',
    counter TEXT    NOT NULL DEFAULT '',
    staff   TEXT    NOT NULL DEFAULT '',
    service TEXT    NOT NULL DEFAULT '',
    day     TEXT    NOT NULL DEFAULT '',
    at      TEXT    NOT NULL,
    PRIMARY KEY (office, ticket)
);
CREATE INDEX ratings_office_at ON ratings (office, at);

-- The retention job looks for old tickets that still hold a name or phone.
CREATE INDEX tickets_office_day ON tickets (office, day);
