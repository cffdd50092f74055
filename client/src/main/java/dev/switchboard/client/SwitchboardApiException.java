package dev.switchboard.client;

/**
 * The gateway refused a request. {@link #code()} is the stable machine-readable code of the API's
 * error body ({@code invalid_field}, {@code link_expired}, ...); branch on it, not on the message.
 */
public class SwitchboardApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public SwitchboardApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status, or the equivalent one for failures reported over the WebSocket. */
    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return "SwitchboardApiException[" + status + " " + code + ": " + getMessage() + "]";
    }
}
