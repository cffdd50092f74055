package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.model.Direction;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.MessageStatus;
import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.Set;

/**
 * Messages arriving from carriers. The returned future completes only after the commit, so a
 * carrier adapter acknowledges the carrier only once the message is safe.
 */
public final class InboundService {
    private final Transactor db;
    private final Ids ids;
    private final ConversationStore conversations;

    public InboundService(Transactor db, Ids ids) {
        this.db = db;
        this.ids = ids;
        this.conversations = new ConversationStore(ids);
    }

    /** Whether the number is served here, for adapters that must refuse other destinations up front. */
    public Future<Boolean> isServed(String number) {
        return db.pool().preparedQuery("SELECT 1 FROM numbers WHERE number = $1").execute(Tuple.of(number))
                .map(rows -> rows.size() == 1);
    }

    public Future<Message> receive(InboundMessage inbound) {
        return db.inTransaction(tx -> tx.lockNumbers(Set.of(inbound.to())).compose(served -> {
            if (served.isEmpty()) {
                return Future.failedFuture(InboxException.notFound("number " + inbound.to()));
            }
            return insert(tx, inbound);
        }));
    }

    /**
     * Stores the message in the number's inbox and appends {@code message.created}, inside a
     * transaction that has already locked the number (see {@link Tx#lockNumbers}) and found it served.
     */
    Future<Message> insert(Tx tx, InboundMessage inbound) {
        return conversations.upsert(tx, inbound.to(), inbound.from(), inbound.channel()).compose(conversationId ->
                // An SMS "2" answering a rich message sent as SMS becomes an answer to its second suggestion.
                NumberedReplies.resolve(tx, conversationId, inbound.channel(), inbound.content()).compose(content -> {
                    Message in = Message.created(ids.next("msg"), conversationId, inbound.to(), Direction.IN, inbound.from(),
                            inbound.to(), inbound.channel(), MessageStatus.DELIVERED, content, tx.now(), inbound.sms());
                    return tx.query(MessageRows.INSERT_WITH_CARRIER_REF, MessageRows.insertArgs(in, null, inbound.carrierRef()))
                            .compose(v -> tx.emit(inbound.to(), SyncEvent.MESSAGE_CREATED, MessageJson.toJson(in)))
                            .map(in);
                }));
    }
}
