-- 0009_notify: the citizens' opt-ins and the outbox of the messages they
-- get (docs/notify.md).
--
-- A subscription is one opt-in: an item (a ticket's id, a booking's
-- code, a dossier's or report's code, in an office), a channel (push:
-- the browser's endpoint and keys; sms: the phone) and a language.
-- token is the random secret of its unsubscribe link. The same endpoint
-- or phone for the same item is one subscription (push rows have phone
-- '', SMS rows endpoint ''). The rows are erased with the item's
-- personal data (store.ErasePersonalData, a report's erasure).
CREATE TABLE subscriptions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token      TEXT    NOT NULL UNIQUE,
    item_type  TEXT    NOT NULL CHECK (item_type IN ('ticket', 'booking', 'dossier', 'report')),
    item_id    TEXT    NOT NULL CHECK (item_id <> ''),
    office     TEXT    NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    channel    TEXT    NOT NULL CHECK (channel IN ('push', 'sms')),
    lang       TEXT    NOT NULL CHECK (lang IN ('vi', 'en')),
    endpoint   TEXT    NOT NULL DEFAULT '',
    p256dh     TEXT    NOT NULL DEFAULT '',
    auth       TEXT    NOT NULL DEFAULT '',
    phone      TEXT    NOT NULL DEFAULT '',
    link       TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    CHECK ((channel = 'push' AND endpoint <> '' AND phone = '') OR (channel = 'sms' AND phone <> '' AND endpoint = ''))
) STRICT;
CREATE UNIQUE INDEX subscriptions_target ON subscriptions (item_type, item_id, office, channel, endpoint, phone);
-- The engine's watched tickets (notify.Store.WatchedTickets).
CREATE INDEX subscriptions_office ON subscriptions (office, item_type, item_id);

-- The outbox: one row per notice and subscription, or per notice sent to
-- a phone without a subscription (sub NULL: the phone codes, "send my
-- link again"). It is written in the transaction of the fact that makes
-- the notice; UNIQUE (key, sub) — (key, phone) for the rows without a
-- subscription — keeps a notice made twice from being sent twice.
--
-- state: queued until a sender delivers it (sent) or gives up (dead).
-- A queued row is due from not_before (its time, a retry's, the end of
-- the quiet hours); a sender that claims it leases it until leased_until,
-- so that no other sender takes it meanwhile and, if the sender dies,
-- another takes it after the lease. tries counts the failed tries.
-- params is the JSON of notify.Notice.Params. Deleting a subscription
-- (unsubscribed, gone, erased) deletes its messages.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    key          TEXT    NOT NULL CHECK (key <> ''),
    sub          INTEGER REFERENCES subscriptions (id) ON DELETE CASCADE,
    phone        TEXT    NOT NULL DEFAULT '',
    lang         TEXT    NOT NULL DEFAULT '',
    kind         TEXT    NOT NULL,
    item_type    TEXT    NOT NULL,
    item_id      TEXT    NOT NULL,
    office       TEXT    NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    at           TEXT    NOT NULL,
    params       TEXT    NOT NULL DEFAULT '{}',
    state        TEXT    NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'dead')),
    tries        INTEGER NOT NULL DEFAULT 0 CHECK (tries >= 0),
    not_before   TEXT    NOT NULL,
    leased_until TEXT,
    created_at   TEXT    NOT NULL,
    done_at      TEXT,
    last_error   TEXT    NOT NULL DEFAULT '',
    CHECK ((sub IS NULL) = (phone <> ''))
) STRICT;
CREATE UNIQUE INDEX outbox_key_sub ON outbox (key, sub) WHERE sub IS NOT NULL;
CREATE UNIQUE INDEX outbox_key_phone ON outbox (key, phone) WHERE sub IS NULL;
-- The senders' claims: the queued rows by due time.
CREATE INDEX outbox_due ON outbox (not_before, id) WHERE state = 'queued';
-- The metrics and the erasure by item.
CREATE INDEX outbox_state ON outbox (state, created_at);
CREATE INDEX outbox_item ON outbox (item_type, item_id);
CREATE INDEX outbox_office ON outbox (office, created_at) WHERE sub IS NULL;
CREATE INDEX outbox_sub ON outbox (sub) WHERE sub IS NOT NULL;
