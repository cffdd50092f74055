-- Receipts Switchboard owes to accounts bound to its SMPP server (the SMSC role).
--
-- A submit_sm whose registered_delivery asks for a receipt leaves a request, committed before the
-- submit_sm_resp goes out. message_id is the inbox message it became; a segment of a long message
-- gets it when its set completes (the transaction that completes the set fills in its siblings).
-- delivered: an SMSC delivery receipt was asked for (registered_delivery bits 0-1 = 01 or 10);
-- read: an SME manual/user acknowledgement was asked for (bits 2-3 = 10 or 11), sent when a device
-- marks the message read.
CREATE TABLE smpp_receipt_requests (
    account     TEXT        NOT NULL,
    smpp_id     TEXT        NOT NULL,
    message_id  TEXT REFERENCES messages (id),
    delivered   BOOLEAN     NOT NULL,
    read        BOOLEAN     NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account, smpp_id)
);
CREATE INDEX smpp_receipt_requests_by_message ON smpp_receipt_requests (message_id);

-- One row per receipt owed, at most one per (account, id, kind): a receipt is never queued twice.
-- 'pending' rows wait for a receiver or transceiver bind of the account and survive restarts;
-- 'sent' once its deliver_sm_resp came back ESME_ROK.
CREATE TABLE smpp_account_receipts (
    account     TEXT        NOT NULL,
    smpp_id     TEXT        NOT NULL,
    kind        TEXT        NOT NULL CHECK (kind IN ('delivered', 'read')),
    message_id  TEXT        NOT NULL REFERENCES messages (id),
    state       TEXT        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent')),
    created_at  TIMESTAMPTZ NOT NULL,
    sent_at     TIMESTAMPTZ,
    PRIMARY KEY (account, smpp_id, kind)
);
CREATE INDEX smpp_account_receipts_pending ON smpp_account_receipts (account, created_at) WHERE state = 'pending';
