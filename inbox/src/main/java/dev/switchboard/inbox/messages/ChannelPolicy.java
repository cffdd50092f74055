package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import java.time.Instant;

/**
 * Chooses the carrier channel of an off-net message inside the transaction that queues it. The
 * carrier adapters implement it (the inbox knows no provider); a refusal is a failed future with an
 * {@link dev.switchboard.inbox.InboxException} the API shows as is.
 */
public interface ChannelPolicy {

    /**
     * @param forced     the sender forced this channel: no fallback to another
     * @param deadlineAt for RCS, when retryable failures stop and the message is revoked; else null
     */
    record Decision(dev.switchboard.inbox.model.Channel channel, boolean forced, Instant deadlineAt) {}

    Future<Decision> choose(Tx tx, String from, String to, RequestedChannel requested, MessageContent content);

    /** Without an RCS adapter every off-net message is SMS; forcing RCS is refused. */
    ChannelPolicy SMS_ONLY = (tx, from, to, requested, content) -> requested == RequestedChannel.RCS
            ? Future.failedFuture(new dev.switchboard.inbox.InboxException(dev.switchboard.inbox.InboxException.Kind.UNPROCESSABLE,
                    "rcs_unavailable", "no RCS provider serves " + from))
            : Future.succeededFuture(new Decision(dev.switchboard.inbox.model.Channel.SMS, requested == RequestedChannel.SMS, null));
}
