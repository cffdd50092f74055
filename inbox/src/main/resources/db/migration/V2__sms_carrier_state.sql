-- State the SMPP adapter keeps so that nothing is lost across crashes and receipts can race submissions.

-- An outbox row is claimed by one worker at a time; a crash leaves it 'submitting' and recovery
-- resends only the segments whose SMSC id was never committed.
ALTER TABLE outbox
    ADD COLUMN state            TEXT        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'submitting')),
    ADD COLUMN attempts         INT         NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at  TIMESTAMPTZ,
    ADD COLUMN last_error       TEXT;
CREATE INDEX outbox_due ON outbox (next_attempt_at, created_at) WHERE state = 'pending';

-- One row per submitted segment, committed as soon as its submit_sm_resp arrives.
CREATE TABLE sms_submissions (
    message_id    TEXT        NOT NULL REFERENCES messages (id),
    segment       INT         NOT NULL,
    segments      INT         NOT NULL,
    carrier       TEXT        NOT NULL,
    smsc_id       TEXT        NOT NULL,
    smsc_id_norm  TEXT        NOT NULL,
    state         TEXT        NOT NULL DEFAULT 'sent',
    error         TEXT,
    submitted_at  TIMESTAMPTZ NOT NULL,
    done_at       TIMESTAMPTZ,
    PRIMARY KEY (message_id, segment)
);
CREATE INDEX sms_submissions_by_smsc_id ON sms_submissions (carrier, smsc_id_norm);

-- Receipts that arrived before the submission they confirm was committed (the race is real).
CREATE TABLE sms_unmatched_receipts (
    carrier       TEXT        NOT NULL,
    smsc_id_norm  TEXT        NOT NULL,
    state         TEXT        NOT NULL,
    error         TEXT,
    received_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (carrier, smsc_id_norm)
);
