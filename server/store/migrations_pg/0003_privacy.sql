-- 0003_privacy (PostgreSQL): SQLite's 0003_privacy in PostgreSQL's types.
-- SQLite's migration also redacts the events written before it; a
-- PostgreSQL database starts at this schema's first version, so it holds
-- no such events.

-- The sha256 of a booking's manage token (the token itself is never
-- stored). NULL for bookings made before: they cannot be cancelled online.
ALTER TABLE bookings ADD COLUMN token_hash BYTEA;

-- The event as anyone may see it (queue.Event.Public), when it differs
-- from data; NULL when the two are the same.
ALTER TABLE events ADD COLUMN public BYTEA;
