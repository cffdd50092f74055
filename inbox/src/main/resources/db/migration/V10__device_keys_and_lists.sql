-- End-to-end encryption, keys: each device's X25519 encryption key is signed by its Ed25519
-- identity key (the "sb.enc.v1" statement, dev.switchboard.crypto.Canonical) and carries an id that
-- changes when the device rotates it, so a sender can tell a stale key from the current one.
-- Devices enrolled before this migration have no signature; they are listed without one until
-- they rotate (PUT /v1/devices/self/keys).
ALTER TABLE devices
    ADD COLUMN encryption_key_id        TEXT NOT NULL DEFAULT '1',
    ADD COLUMN encryption_key_signature TEXT;
ALTER TABLE link_requests
    ADD COLUMN encryption_key_id        TEXT NOT NULL DEFAULT '1',
    ADD COLUMN encryption_key_signature TEXT;

-- The number's device list as its primary last signed it (the "sb.devlist.v1" statement). The server
-- keeps only the latest and refuses a version that is not higher; stale turns true when a device is
-- linked, unlinked or rotates its key, until the primary signs the new set.
CREATE TABLE device_lists (
    number      TEXT PRIMARY KEY REFERENCES numbers (number),
    version     BIGINT      NOT NULL CHECK (version > 0),
    issued_at   BIGINT      NOT NULL,
    devices     JSONB       NOT NULL,
    signature   TEXT        NOT NULL,
    stale       BOOLEAN     NOT NULL DEFAULT FALSE,
    stored_at   TIMESTAMPTZ NOT NULL
);
