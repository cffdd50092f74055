package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.DeliveryAttempt;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.Set;

/** Appends a delivery attempt to a message inside a caller's transaction, optionally moving it to another channel. */
final class Attempts {
    private Attempts() {}

    /**
     * @param channel the channel the message now travels by, or null to keep it
     * @param emit    whether devices hear of it now; false when a status change in the same
     *                transaction emits the updated message anyway
     */
    static Future<Message> record(Tx tx, String messageId, DeliveryAttempt attempt, Channel channel, boolean emit) {
        return tx.query("SELECT number FROM messages WHERE id = $1", Tuple.of(messageId)).compose(rows -> {
            if (rows.size() != 1) {
                return Future.failedFuture(InboxException.notFound("message"));
            }
            String number = rows.iterator().next().getString(0);
            return tx.lockNumbers(Set.of(number))
                    .compose(v -> tx.query("UPDATE messages SET attempts = attempts || $2::jsonb, channel = COALESCE($3, channel),"
                                    + " updated_at = $4 WHERE id = $1 RETURNING " + MessageRows.COLUMNS,
                            Tuple.of(messageId, MessageRows.attemptStep(attempt), channel == null ? null : channel.wire(),
                                    Times.db(tx.now()))))
                    .map(updated -> MessageRows.map(updated.iterator().next()))
                    // The conversation shows the channel its latest traffic uses.
                    .compose(m -> channel == null ? Future.succeededFuture(m)
                            : tx.query("UPDATE conversations SET channel = $2 WHERE id = $1", Tuple.of(m.conversationId(), channel.wire()))
                                    .map(m))
                    .compose(m -> emit ? tx.emit(number, SyncEvent.MESSAGE_UPDATED, MessageJson.toJson(m)).map(m)
                            : Future.succeededFuture(m));
        });
    }
}
