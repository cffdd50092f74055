package dev.switchboard.carrier.rcs;

/** Whether the provider confirmed the revocation (2xx); anything else means the message may still arrive. */
public record RevokeOutcome(boolean confirmed, int httpStatus, String detail) {}
