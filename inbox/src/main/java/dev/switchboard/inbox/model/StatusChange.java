package dev.switchboard.inbox.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One step of a message's status history: the status it moved to, when, and why ({@code reason} is
 * set for failures, e.g. the SMPP command status or the carrier's stat and err; else null).
 */
public record StatusChange(MessageStatus status, Instant at, String reason) {
    public StatusChange {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
    }
}
