package dev.switchboard.carrier.rcs;

import java.util.List;

/** What a webhook request amounts to once read and verified; the HTTP edge turns it into a response. */
public sealed interface WebhookResult {
    /** RBM set-up handshake with the right client token: answer 200 with {@code secret} as the body. */
    record Handshake(String secret) implements WebhookResult {}

    /** Verified: these events (possibly none, when the type is unknown and was ignored) are to be persisted, then 200. */
    record Events(List<RcsInbound> events) implements WebhookResult {
        public Events { events = List.copyOf(events); }
    }

    /** Refused: {@code status} 400/401/403 with an error code and a message that never echoes the body. */
    record Rejected(int status, String error, String message) implements WebhookResult {}
}
