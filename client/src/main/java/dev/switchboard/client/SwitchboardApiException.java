package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The gateway refused a request. {@link #code()} is the stable machine-readable code of the API's
 * error body ({@code invalid_field}, {@code link_expired}, ...); branch on it, not on the message.
 */
public class SwitchboardApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient JsonNode body;

    public SwitchboardApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    /**
     * @param body the whole error body, for the detail fields some errors carry (the
     *             {@code missingDevices} of a 409 {@code device_mismatch}, say); null if there was none
     */
    public SwitchboardApiException(int status, String code, String message, JsonNode body) {
        super(message);
        this.status = status;
        this.code = code;
        this.body = body;
    }

    /** The HTTP status, or the equivalent one for failures reported over the WebSocket. */
    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The error body's detail fields ({@code body().path("missingDevices")}); a missing node when there was no JSON body. */
    public JsonNode body() {
        return body == null ? MissingNode.getInstance() : body;
    }

    @Override
    public String toString() {
        return "SwitchboardApiException[" + status + " " + code + ": " + getMessage() + "]";
    }
}
