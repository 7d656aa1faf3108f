-- 0010_sms_reports: the delivery reports of SMS sent through the GSM
-- modem (docs/notify.md "Delivery reports").
--
-- sms_parts keeps the modem's reference (TP-MR, 0–255) of each part of an
-- outbox message the modem accepted, and the final delivery report of
-- that part once it came (status: TP-ST, below 32 delivered, 64 and above
-- failed for good). References wrap at 256: a report names the most
-- recent part with its reference that has no report yet, sent within the
-- SMS's validity (24 h).
CREATE TABLE sms_parts (
    message     INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    part        INTEGER NOT NULL CHECK (part >= 1),
    ref         INTEGER NOT NULL CHECK (ref BETWEEN 0 AND 255),
    sent_at     TEXT    NOT NULL,
    status      INTEGER CHECK (status BETWEEN 0 AND 255),
    reported_at TEXT,
    PRIMARY KEY (message, part)
) STRICT;
CREATE INDEX sms_parts_unreported ON sms_parts (ref, sent_at) WHERE reported_at IS NULL;

-- The outcome the reports give a sent message: '' (none known: no
-- report yet, or a channel without reports), delivered (every part
-- reached the phone, at delivered_at) or failed (the network gave up on
-- a part; the reason in last_error). The state stays sent: the network
-- accepted the message, and a failed delivery is not retried.
ALTER TABLE outbox ADD COLUMN delivery TEXT NOT NULL DEFAULT '' CHECK (delivery IN ('', 'delivered', 'failed'));
ALTER TABLE outbox ADD COLUMN delivered_at TEXT;
