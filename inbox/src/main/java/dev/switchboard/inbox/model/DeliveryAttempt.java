package dev.switchboard.inbox.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One attempt to hand an outbound message to a carrier.
 *
 * @param provider the RCS provider id or SMS route; null when none was chosen yet
 * @param result   {@code accepted}, {@code unreachable}, {@code unsupported}, {@code retry},
 *                 {@code rejected}, {@code revoked}, {@code revocation_failed}, {@code fallback} or {@code failed}
 * @param reason   what the carrier said, e.g. {@code HTTP 503}; may be null
 */
public record DeliveryAttempt(Channel channel, String provider, String result, String reason, Instant at) {
    public DeliveryAttempt {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(at, "at");
    }
}
