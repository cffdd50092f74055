-- QR linking with a linking secret and sealed provisioning (issue 5). The companion's device id is
-- reserved when the link request is made, so the primary can sign a device list containing it; the
-- device row itself is inserted only when the companion completes the link, so the reference to
-- devices no longer holds for requests that are pending or approved.
ALTER TABLE link_requests DROP CONSTRAINT IF EXISTS link_requests_device_id_fkey;

-- At approval: the signed device list that will become current when the companion completes
-- (version, issuedAt, devices, signature as in device_lists) and the account key that signed the
-- account signature, against which the companion's device signature is checked.
ALTER TABLE link_requests
    ADD COLUMN pending_list JSONB,
    ADD COLUMN account_key  TEXT;

-- A companion's two signatures, kept so any sender can check them (GET /v1/keys/{number}):
-- the account key over the companion's keys ("sb.acctsig.v1") and the companion's identity key
-- over the account key and its own keys ("sb.devsig.v1"). Null for primaries and for companions
-- linked before this migration.
ALTER TABLE devices
    ADD COLUMN account_signature TEXT,
    ADD COLUMN device_signature  TEXT;
