-- What the API shows of a message beyond its content: every status it went through, and for SMS
-- how it travelled.
--
-- status_history: a JSON array of {"status", "at", "reason"} objects, oldest first, starting with the
-- status the message was created with. Every statement that changes messages.status appends to it
-- in the same UPDATE, so it always ends with the current status and reading it costs no extra query.
--
-- sms_segments / sms_encoding / sms_carrier: for channel 'sms' only. Outbound: the SMS count the
-- recipient receives, the encoding ('gsm7' or 'ucs-2') and the route (carrier id or server account),
-- recorded when the carrier accepted the first segment. Inbound: the segments the message was
-- reassembled from, the encoding it arrived in and the path it came by ('smpp:<account>' or
-- 'smpp-carrier:<carrier id>'). NULL until known, and always NULL on-net.
ALTER TABLE messages
    ADD COLUMN status_history JSONB NOT NULL DEFAULT '[]'::jsonb,
    ADD COLUMN sms_segments   INTEGER CHECK (sms_segments > 0),
    ADD COLUMN sms_encoding   TEXT,
    ADD COLUMN sms_carrier    TEXT;

-- Messages stored before this migration: all that is known is their current status and when it was set.
UPDATE messages SET status_history = jsonb_build_array(jsonb_build_object(
        'status', status,
        'at', to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'reason', status_reason));
