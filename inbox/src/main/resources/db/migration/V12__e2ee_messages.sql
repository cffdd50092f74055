-- End-to-end encrypted messages. The server never sees a plaintext: what a sender uploads is the
-- cleartext header (dev.switchboard.crypto.MessageHeader), the payload ciphertext, the commitment to
-- the content key, the sender device's signature, and the content key wrapped once per target device.
-- The ciphertext is stored once, however many devices and inboxes it reaches; each target device's
-- wrapped key is a row of its own, so a device is only ever handed its own.
CREATE TABLE e2ee_payloads (
    id              TEXT PRIMARY KEY,
    from_number     TEXT        NOT NULL REFERENCES numbers (number),
    from_device_id  TEXT        NOT NULL REFERENCES devices (id),
    to_number       TEXT        NOT NULL REFERENCES numbers (number),
    header          BYTEA       NOT NULL,
    ciphertext      BYTEA       NOT NULL,
    key_commitment  BYTEA       NOT NULL CHECK (length(key_commitment) = 32),
    signature       BYTEA       NOT NULL CHECK (length(signature) = 64),
    -- Every target device id, sorted: the signed statement covers them, so every reader needs them all.
    target_ids      TEXT[]      NOT NULL,
    -- Encrypted attachments, opaque to the server; granted to the recipient number like plaintext media.
    media_ids       TEXT[]      NOT NULL DEFAULT '{}',
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE e2ee_keys (
    payload_id         TEXT  NOT NULL REFERENCES e2ee_payloads (id),
    number             TEXT  NOT NULL REFERENCES numbers (number),
    device_id          TEXT  NOT NULL REFERENCES devices (id),
    encryption_key_id  TEXT  NOT NULL,
    wrapped_key        BYTEA NOT NULL CHECK (length(wrapped_key) = 80),
    PRIMARY KEY (payload_id, device_id)
);

-- Both inboxes' copies of an e2ee message point at the one payload; their content holds no text.
ALTER TABLE messages ADD COLUMN payload_id TEXT REFERENCES e2ee_payloads (id);
ALTER TABLE messages ADD CONSTRAINT messages_e2ee_has_payload CHECK (e2ee = (payload_id IS NOT NULL));

-- The one definition of "this number can take part in end-to-end messages": its primary published a
-- signed device list and every active device has an encryption key signed by its identity key. A
-- conversation is end-to-end when both ends are; then plaintext between them is refused, and an
-- encrypted message to a number that is not is refused rather than downgraded.
CREATE FUNCTION e2ee_capable(n TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM device_lists WHERE number = n)
       AND EXISTS (SELECT 1 FROM devices WHERE number = n AND unlinked_at IS NULL)
       AND NOT EXISTS (SELECT 1 FROM devices WHERE number = n AND unlinked_at IS NULL AND encryption_key_signature IS NULL)
$$;
