-- Core schema: served numbers, devices, linking, conversations, messages, the per-number
-- sync log, media, idempotency records and the outbox that carrier adapters drain.

CREATE TABLE numbers (
    number                 TEXT PRIMARY KEY,
    label                  TEXT,
    -- Last sync-log sequence handed out for this number. Updating it takes the row lock that
    -- serialises writers per number, so seq order is commit order (see SyncLog).
    last_seq               BIGINT      NOT NULL DEFAULT 0,
    enrollment_code_hash   BYTEA,
    enrollment_expires_at  TIMESTAMPTZ,
    created_at             TIMESTAMPTZ NOT NULL
);

CREATE TABLE devices (
    id              TEXT PRIMARY KEY,
    number          TEXT        NOT NULL REFERENCES numbers (number),
    kind            TEXT        NOT NULL CHECK (kind IN ('primary', 'companion')),
    name            TEXT        NOT NULL,
    identity_key    TEXT        NOT NULL,
    encryption_key  TEXT        NOT NULL,
    -- SHA-256 of the bearer token; NULL while a linked companion has not collected its token.
    token_hash      BYTEA UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL,
    last_seen_at    TIMESTAMPTZ NOT NULL,
    synced_seq      BIGINT      NOT NULL DEFAULT 0,
    unlinked_at     TIMESTAMPTZ,
    unlink_reason   TEXT
);
CREATE INDEX devices_active_by_number ON devices (number) WHERE unlinked_at IS NULL;

CREATE TABLE link_requests (
    id               TEXT PRIMARY KEY,
    secret_hash      BYTEA       NOT NULL,
    name             TEXT        NOT NULL,
    identity_key     TEXT        NOT NULL,
    encryption_key   TEXT        NOT NULL,
    ephemeral_key    TEXT        NOT NULL,
    status           TEXT        NOT NULL CHECK (status IN ('pending', 'approved', 'collected')),
    number           TEXT REFERENCES numbers (number),
    device_id        TEXT REFERENCES devices (id),
    account_signature TEXT,
    provisioning     TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    expires_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE conversations (
    id            TEXT PRIMARY KEY,
    number        TEXT        NOT NULL REFERENCES numbers (number),
    peer          TEXT        NOT NULL,
    channel       TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (number, peer)
);
CREATE INDEX conversations_by_activity ON conversations (number, updated_at DESC, id DESC);

CREATE TABLE messages (
    -- pos gives a total order inside a conversation that never ties, unlike timestamps.
    pos              BIGSERIAL   NOT NULL UNIQUE,
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT        NOT NULL REFERENCES conversations (id),
    number           TEXT        NOT NULL REFERENCES numbers (number),
    direction        TEXT        NOT NULL CHECK (direction IN ('in', 'out')),
    from_number      TEXT        NOT NULL,
    to_number        TEXT        NOT NULL,
    channel          TEXT        NOT NULL,
    status           TEXT        NOT NULL,
    status_reason    TEXT,
    content          JSONB       NOT NULL,
    e2ee             BOOLEAN     NOT NULL DEFAULT FALSE,
    carrier_ref      TEXT,
    -- The other inbox's copy of an on-net message, so read receipts can cross over.
    counterpart_id   TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, pos DESC);
CREATE INDEX messages_unread ON messages (conversation_id) WHERE direction = 'in' AND status <> 'read';

CREATE TABLE sync_events (
    number  TEXT        NOT NULL REFERENCES numbers (number),
    seq     BIGINT      NOT NULL,
    type    TEXT        NOT NULL,
    at      TIMESTAMPTZ NOT NULL,
    data    JSONB       NOT NULL,
    PRIMARY KEY (number, seq)
);

CREATE TABLE outbox (
    message_id   TEXT PRIMARY KEY REFERENCES messages (id),
    number       TEXT        NOT NULL,
    peer         TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX outbox_by_age ON outbox (created_at);

CREATE TABLE media (
    id            TEXT PRIMARY KEY,
    number        TEXT        NOT NULL REFERENCES numbers (number),
    content_type  TEXT        NOT NULL,
    size          BIGINT      NOT NULL,
    sha256        TEXT        NOT NULL,
    file_name     TEXT,
    created_at    TIMESTAMPTZ NOT NULL
);

-- Which numbers may read a media object: the uploader's, and every inbox a message carrying it landed in.
CREATE TABLE media_access (
    media_id  TEXT NOT NULL REFERENCES media (id),
    number    TEXT NOT NULL REFERENCES numbers (number),
    PRIMARY KEY (media_id, number)
);

CREATE TABLE idempotency_keys (
    device_id     TEXT        NOT NULL REFERENCES devices (id),
    key           TEXT        NOT NULL,
    request_hash  BYTEA       NOT NULL,
    response      JSONB       NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (device_id, key)
);
