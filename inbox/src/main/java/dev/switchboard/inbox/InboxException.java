package dev.switchboard.inbox;

/**
 * A failure the caller can act on. The {@link Kind} says how the edge should answer (HTTP status,
 * SMPP command_status); the code is the stable machine-readable name shown to clients.
 */
public final class InboxException extends RuntimeException {

    public enum Kind { INVALID, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, GONE, TOO_LARGE, UNPROCESSABLE, TOO_MANY_REQUESTS, UNAVAILABLE }

    private final Kind kind;
    private final String code;
    private final java.util.Map<String, Object> details;

    public InboxException(Kind kind, String code, String message) {
        this(kind, code, message, java.util.Map.of());
    }

    /** @param details extra fields of the error answer a client acts on (e.g. the devices missing from a list) */
    public InboxException(Kind kind, String code, String message, java.util.Map<String, Object> details) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.details = java.util.Map.copyOf(details);
    }

    public Kind kind() { return kind; }

    public String code() { return code; }

    public java.util.Map<String, Object> details() { return details; }

    public static InboxException invalid(String field, String message) {
        return new InboxException(Kind.INVALID, "invalid_field", field + ": " + message);
    }

    public static InboxException notFound(String what) {
        return new InboxException(Kind.NOT_FOUND, "not_found", what + " not found");
    }

    public static InboxException conflict(String code, String message) {
        return new InboxException(Kind.CONFLICT, code, message);
    }

    public static InboxException forbidden(String code, String message) {
        return new InboxException(Kind.FORBIDDEN, code, message);
    }
}
