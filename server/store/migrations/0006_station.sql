-- 0006_station: counter stations (docs/station.md) and what they show and
-- record: the counter a station is bound to, where a rating was given and
-- its reasons, the clerk's title and photo.

-- The counter a station device is bound to; '' for kiosks and displays.
ALTER TABLE devices ADD COLUMN counter TEXT NOT NULL DEFAULT '';

-- Where a rating was given: 'phone' (the tracking page; every rating made
-- before stations existed) or 'station' (the counter's screen). reasons
-- are the ids of the office's rating reasons, comma-separated ('' when
-- none). idem_key is the station's Idempotency-Key, scoped by device
-- ('' when none), so that a retried tap gets its first answer.
ALTER TABLE ratings ADD COLUMN channel TEXT NOT NULL DEFAULT 'phone' CHECK (channel IN ('phone', 'station'));
ALTER TABLE ratings ADD COLUMN reasons TEXT NOT NULL DEFAULT '';
ALTER TABLE ratings ADD COLUMN idem_key TEXT NOT NULL DEFAULT '';
CREATE INDEX ratings_idem_key ON ratings (office, idem_key) WHERE idem_key <> '';

-- The clerk's title shown on the station ("Chuyên viên").
ALTER TABLE staff ADD COLUMN title TEXT NOT NULL DEFAULT '';

-- The clerk's photo, uploaded by an administrator: a JPEG re-encoded by
-- the server (never the uploaded bytes), small enough to live in the
-- database and its backups.
CREATE TABLE staff_photos (
    office     TEXT NOT NULL,
    staff      TEXT NOT NULL,
    jpeg       BLOB NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (office, staff),
    FOREIGN KEY (office, staff) REFERENCES staff (office, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
