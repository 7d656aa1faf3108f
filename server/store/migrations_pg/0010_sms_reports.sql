-- 0010_sms_reports (PostgreSQL): the delivery reports of SMS sent through
-- the GSM modem. The same schema as migrations/0010_sms_reports.sql,
-- which explains each column, in PostgreSQL's types.
CREATE TABLE sms_parts (
    message     bigint NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    part        bigint NOT NULL CHECK (part >= 1),
    ref         bigint NOT NULL CHECK (ref BETWEEN 0 AND 255),
    sent_at     text   NOT NULL,
    status      bigint CHECK (status BETWEEN 0 AND 255),
    reported_at text,
    PRIMARY KEY (message, part)
);
CREATE INDEX sms_parts_unreported ON sms_parts (ref, sent_at) WHERE reported_at IS NULL;

ALTER TABLE outbox ADD COLUMN delivery text NOT NULL DEFAULT '' CHECK (delivery IN ('', 'delivered', 'failed'));
ALTER TABLE outbox ADD COLUMN delivered_at text;
