package dev.switchboard.carrier.rcs;

/**
 * How a provider answered a send or an agent event. {@code detail} is a short reason for the
 * message's attempt record (e.g. {@code "HTTP 503"}, {@code "timeout after 10s"}); never a secret.
 */
public record SendOutcome(Kind kind, int httpStatus, String detail) {
    public enum Kind {
        /** 2xx, or the provider already had this message id (409). */
        ACCEPTED,
        /** 404: the user is not reachable over RCS; fall back at once. */
        UNREACHABLE,
        /** 400: the handset lacks a feature the content uses; degrade or fall back. */
        UNSUPPORTED,
        /** 429, 5xx, timeout, connection failure: try again later (a timed-out send may have been accepted). */
        RETRYABLE,
        /** Any other refusal (401/403 after a fresh token, 413, ...): retrying the same request will not help. */
        REJECTED
    }

    public static SendOutcome accepted(int status) { return new SendOutcome(Kind.ACCEPTED, status, "HTTP " + status); }
}
