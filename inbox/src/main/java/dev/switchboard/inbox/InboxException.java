package dev.switchboard.inbox;

/**
 * A failure the caller can act on. The {@link Kind} says how the edge should answer (HTTP status,
 * SMPP command_status); the code is the stable machine-readable name shown to clients.
 */
public final class InboxException extends RuntimeException {

    public enum Kind { INVALID, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, GONE, TOO_LARGE, UNPROCESSABLE, TOO_MANY_REQUESTS, UNAVAILABLE }

    private final Kind kind;
    private final String code;

    public InboxException(Kind kind, String code, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() { return kind; }

    public String code() { return code; }

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
