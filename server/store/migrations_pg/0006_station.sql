-- 0006_station (PostgreSQL): counter stations and what they show and
-- record. The same schema as migrations/0006_station.sql, which explains
-- each column, in PostgreSQL's types.

ALTER TABLE devices ADD COLUMN counter text NOT NULL DEFAULT '';

ALTER TABLE ratings ADD COLUMN channel text NOT NULL DEFAULT 'phone' CHECK (channel IN ('phone', 'station'));
ALTER TABLE ratings ADD COLUMN reasons text NOT NULL DEFAULT '';
ALTER TABLE ratings ADD COLUMN idem_key text NOT NULL DEFAULT '';
CREATE INDEX ratings_idem_key ON ratings (office, idem_key) WHERE idem_key <> '';

ALTER TABLE staff ADD COLUMN title text NOT NULL DEFAULT '';

CREATE TABLE staff_photos (
    office     text  NOT NULL,
    staff      text  NOT NULL,
    jpeg       bytea NOT NULL,
    updated_at text  NOT NULL,
    PRIMARY KEY (office, staff),
    FOREIGN KEY (office, staff) REFERENCES staff (office, id) ON DELETE CASCADE
);
