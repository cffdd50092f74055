package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.MessageStatus;
import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.Set;

/**
 * The forward-only status move inside a caller's transaction, with its sync event. The same UPDATE
 * appends the step to the message's status history; a refused move changes neither.
 */
final class StatusChanges {
    private StatusChanges() {}

    static Future<Optional<Message>> advance(Tx tx, String messageId, MessageStatus next, String reason) {
        return tx.query("SELECT number FROM messages WHERE id = $1", Tuple.of(messageId)).compose(rows -> {
            if (rows.size() != 1) {
                return Future.failedFuture(InboxException.notFound("message"));
            }
            String number = rows.iterator().next().getString(0);
            return tx.lockNumbers(Set.of(number))
                    .compose(v -> tx.query("SELECT status FROM messages WHERE id = $1", Tuple.of(messageId)))
                    .compose(current -> {
                        MessageStatus now = MessageStatus.fromWire(current.iterator().next().getString(0));
                        if (!now.canMoveTo(next)) {
                            return Future.succeededFuture(Optional.<Message>empty());
                        }
                        return tx.query("UPDATE messages SET status = $2, status_reason = $3, updated_at = $4, "
                                        + MessageRows.appendHistory(5) + " WHERE id = $1 RETURNING " + MessageRows.COLUMNS,
                                        Tuple.of(messageId, next.wire(), reason, Times.db(tx.now()),
                                                MessageRows.historyStep(next, tx.now(), reason)))
                                .map(updated -> MessageRows.map(updated.iterator().next()))
                                .compose(m -> tx.emit(number, SyncEvent.MESSAGE_UPDATED, MessageJson.toJson(m)).map(e -> Optional.of(m)));
                    });
        });
    }
}
