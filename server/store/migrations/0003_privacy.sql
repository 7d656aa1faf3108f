-- 0003_privacy: bookings are cancelled with a secret only the booker got,
-- and the public event stream carries nothing private.

-- The sha256 of a booking's manage token (the token itself is never
-- stored). NULL for bookings made before: they cannot be cancelled online.
ALTER TABLE bookings ADD COLUMN token_hash BLOB;

-- The event as anyone may see it (queue.Event.Public), when it differs
-- from data, which is the whole event that staff of the office see; NULL
-- when the two are the same (most ticket events).
ALTER TABLE events ADD COLUMN public BLOB;

-- Events written before this migration: the same redaction, in SQL. data
-- is JSON text stored as a BLOB, which the JSON functions would read as
-- binary JSON: it is cast to TEXT first.
UPDATE events SET public = CAST(json_remove(CAST(data AS TEXT), '$.data.code') AS BLOB)
    WHERE type LIKE 'booking.%';
UPDATE events SET public = CAST(json_remove(CAST(data AS TEXT), '$.data.staff') AS BLOB)
    WHERE type LIKE 'counter.%' AND json_type(CAST(data AS TEXT), '$.data.staff') IS NOT NULL;
UPDATE events SET public = CAST(json_remove(CAST(data AS TEXT), '$.data.transfer.staff') AS BLOB)
    WHERE type = 'ticket.transferred' AND json_type(CAST(data AS TEXT), '$.data.transfer.staff') IS NOT NULL;
UPDATE events SET public = CAST(json_remove(CAST(data AS TEXT), '$.data.by') AS BLOB)
    WHERE type = 'config.changed' AND json_type(CAST(data AS TEXT), '$.data.by') IS NOT NULL;
