-- State the RCS adapter keeps: the channel each queued message is meant for, every delivery
-- attempt, the capability cache, which provider message ids a message went out under, webhook
-- events received but not yet applied, and the read receipts owed to providers.

-- attempts: a JSON array of {"channel", "provider", "result", "reason", "at"}, oldest first; every
-- attempt to hand the message to a carrier (accepted, refused, unreachable, retried, revoked) is
-- appended, so a fallback from RCS to SMS can be followed in the API.
ALTER TABLE messages ADD COLUMN attempts JSONB NOT NULL DEFAULT '[]'::jsonb;
CREATE INDEX messages_by_carrier_ref ON messages (number, carrier_ref) WHERE carrier_ref IS NOT NULL;

-- channel: which worker drains the row. A message falls back from 'rcs' to 'sms' by flipping it in
-- the same transaction that records why. forced: the sender asked for this channel, so there is no
-- fallback. deadline_at: after it, retryable RCS failures end in a revocation. degraded: the
-- provider refused a feature once, so the content went down one step.
ALTER TABLE outbox
    ADD COLUMN channel      TEXT    NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'rcs')),
    ADD COLUMN forced       BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN deadline_at  TIMESTAMPTZ,
    ADD COLUMN degraded     BOOLEAN NOT NULL DEFAULT FALSE;
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (channel, next_attempt_at, created_at) WHERE state = 'pending';

-- Set when the peer unsubscribed from the number's RCS agent; sends to it are refused until it
-- subscribes again.
ALTER TABLE conversations ADD COLUMN unsubscribed_at TIMESTAMPTZ;

CREATE TABLE rcs_capabilities (
    provider    TEXT        NOT NULL,
    peer        TEXT        NOT NULL,
    reachable   BOOLEAN     NOT NULL,
    features    TEXT[]      NOT NULL,
    checked_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider, peer)
);
CREATE INDEX rcs_capabilities_by_expiry ON rcs_capabilities (expires_at);

-- Every provider message id a message was (or may have been) sent under: receipts name these ids,
-- and a revocation must cover each of them. state: 'sent' once accepted, 'unknown' after a
-- timeout or 5xx (the provider may have it), 'revoked' once a revocation was confirmed.
CREATE TABLE rcs_sends (
    provider             TEXT        NOT NULL,
    provider_message_id  TEXT        NOT NULL,
    message_id           TEXT        NOT NULL REFERENCES messages (id),
    state                TEXT        NOT NULL CHECK (state IN ('sent', 'unknown', 'revoked')),
    at                   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider, provider_message_id)
);
CREATE INDEX rcs_sends_by_message ON rcs_sends (message_id);

-- Webhook events are committed here before the provider gets its 200 and applied after; the key
-- (provider, dedupe_key) drops a redelivered event. Applied rows stay as 'done' for a week, the
-- longest a provider keeps retrying. arrival orders them as they were committed: timestamps can tie.
CREATE TABLE rcs_webhook_events (
    arrival          BIGSERIAL   NOT NULL,
    provider         TEXT        NOT NULL,
    dedupe_key       TEXT        NOT NULL,
    payload          JSONB       NOT NULL,
    state            TEXT        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    attempts         INT         NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ,
    error            TEXT,
    received_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider, dedupe_key)
);
CREATE INDEX rcs_webhook_events_pending ON rcs_webhook_events (arrival) WHERE state = 'pending';
CREATE INDEX rcs_webhook_events_done ON rcs_webhook_events (received_at) WHERE state = 'done';

-- READ receipts owed to a provider because a device read an RCS message; sent by a worker, retried.
CREATE TABLE rcs_agent_events (
    id                   TEXT PRIMARY KEY,
    provider             TEXT        NOT NULL,
    peer                 TEXT        NOT NULL,
    provider_message_id  TEXT        NOT NULL,
    state                TEXT        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts             INT         NOT NULL DEFAULT 0,
    next_attempt_at      TIMESTAMPTZ,
    created_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX rcs_agent_events_pending ON rcs_agent_events (created_at) WHERE state = 'pending';

-- The capability refresh renews only peers with recent conversations; it looks them up by peer.
CREATE INDEX conversations_by_peer ON conversations (peer);
