-- Segments of concatenated inbound SMS (UDH with an 8- or 16-bit reference, or SAR TLVs), kept
-- until their set is complete. The transaction that stores the last segment also creates the one
-- message and deletes the set; a set still incomplete when the reassembly timeout has passed since
-- its first segment is delivered with a gap marker for each missing part (FragmentStore.sweep).
--
-- A set is (number, source, sender, scheme, reference, total): source is the path it came by
-- (smpp:<account> or smpp-carrier:<carrier id>), so two peers that happen to pick the same
-- reference never mix, and an 8-bit reference 5 is not a 16-bit reference 5.
CREATE TABLE sms_fragments (
    number       TEXT        NOT NULL REFERENCES numbers (number),
    source       TEXT        NOT NULL,
    sender       TEXT        NOT NULL,
    scheme       TEXT        NOT NULL CHECK (scheme IN ('udh8', 'udh16', 'sar')),
    reference    INT         NOT NULL CHECK (reference BETWEEN 0 AND 65535),
    total        INT         NOT NULL CHECK (total BETWEEN 1 AND 255),
    part         INT         NOT NULL,
    -- data_coding as received, and the encoding it meant on its path when it arrived: the set is
    -- decoded later (maybe by the sweep) without that path's configuration.
    data_coding  INT         NOT NULL CHECK (data_coding BETWEEN 0 AND 255),
    encoding     TEXT        NOT NULL,
    -- The user data after any header, as received: joined with the other parts before decoding.
    payload      BYTEA       NOT NULL,
    carrier_ref  TEXT        NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (number, source, sender, scheme, reference, total, part),
    CHECK (part BETWEEN 1 AND total)
);
CREATE INDEX sms_fragments_by_age ON sms_fragments (received_at);

-- The parts of sets already delivered (complete, or swept after the timeout), kept for one more
-- reassembly timeout: a part the peer sends again because our response to it was lost is answered
-- as the duplicate it is instead of starting a new set. Only an identical copy counts (same
-- data_coding and payload); a different payload under the same key means the peer reused the
-- reference for a new message, and these rows for the key are dropped.
CREATE TABLE sms_fragments_done (
    number       TEXT        NOT NULL REFERENCES numbers (number),
    source       TEXT        NOT NULL,
    sender       TEXT        NOT NULL,
    scheme       TEXT        NOT NULL,
    reference    INT         NOT NULL,
    total        INT         NOT NULL,
    part         INT         NOT NULL,
    -- SHA-256 of int4send(data_coding) || payload.
    digest       BYTEA       NOT NULL,
    carrier_ref  TEXT        NOT NULL,
    done_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (number, source, sender, scheme, reference, total, part)
);
CREATE INDEX sms_fragments_done_by_age ON sms_fragments_done (done_at);
