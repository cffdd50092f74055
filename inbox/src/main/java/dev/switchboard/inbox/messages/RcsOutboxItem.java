package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.model.MessageContent;
import java.time.Instant;
import java.util.Map;

/**
 * A claimed outbox entry for RCS.
 *
 * @param sends     provider message ids it already went out under, with their state ({@code sent},
 *                  {@code unknown}, {@code revoked}), so a retry skips what was accepted
 * @param forced    the sender forced RCS: no fallback to SMS
 * @param degraded  the provider refused a feature once; send the content one step simpler
 */
public record RcsOutboxItem(String messageId, String from, String to, MessageContent content, int attempts, boolean forced,
                            Instant deadlineAt, boolean degraded, Map<String, String> sends) {
    public RcsOutboxItem {
        sends = Map.copyOf(sends);
    }
}
