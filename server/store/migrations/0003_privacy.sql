-- 0003_privacy: bookings are cancelled with a secret only the booker got.

-- The sha256 of a booking's manage token (the token itself is never
-- stored). NULL for bookings made before: they cannot be cancelled online.
ALTER TABLE bookings ADD COLUMN token_hash BLOB;
