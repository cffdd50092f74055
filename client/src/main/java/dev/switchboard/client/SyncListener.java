package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Receives what a {@link SyncStream} delivers. Methods are called from one thread, one at a time, so
 * implementations need no locking of their own. A slow listener slows the stream down: the socket
 * is read at most a bounded number of frames ahead of it.
 */
public interface SyncListener {

    /**
     * A new event, each exactly once and in seq order. Throwing makes the stream reconnect and
     * deliver the same event again, since the cursor only moves after a normal return.
     */
    void onEvent(SyncEvent e);

    /** An ephemeral typing indicator {@code {"conversationId","peer","deviceId","active"}}; never replayed. */
    default void onTyping(JsonNode data) {
    }

    /** The WebSocket is open; replayed events follow, then live ones. */
    default void onConnected() {
    }

    /**
     * The connection was lost, or a connection attempt failed. The stream retries by itself unless
     * {@code cause} is a {@link SwitchboardApiException}: then it has stopped for good (401
     * {@code unlinked} when the device was unlinked, 401 {@code unauthorized} when the token was
     * refused).
     */
    default void onDisconnected(Throwable cause) {
    }
}
