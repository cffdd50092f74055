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
import java.util.function.Function;

/**
 * Messages arriving from carriers. The returned future completes only after the commit, so a
 * carrier adapter acknowledges the carrier only once the message is safe. With an {@link
 * InboundBatcher} many messages share one commit (each still completes after its own); without
 * one, each message is a transaction of its own.
 */
public final class InboundService {
    private final Transactor db;
    private final Ids ids;
    private final ConversationStore conversations;
    private final InboundBatcher batcher;

    /** One transaction per message. */
    public InboundService(Transactor db, Ids ids) {
        this(db, ids, null);
    }

    /** Messages (and {@link FragmentStore} segments) group-committed by {@code batcher}; null for one transaction each. */
    public InboundService(Transactor db, Ids ids, InboundBatcher batcher) {
        this.db = db;
        this.ids = ids;
        this.conversations = new ConversationStore(ids);
        this.batcher = batcher;
    }

    /** Whether the number is served here, for adapters that must refuse other destinations up front. */
    public Future<Boolean> isServed(String number) {
        return db.pool().preparedQuery("SELECT 1 FROM numbers WHERE number = $1").execute(Tuple.of(number))
                .map(rows -> rows.size() == 1);
    }

    public Future<Message> receive(InboundMessage inbound) {
        return onServedNumber(inbound.to(), tx -> insert(tx, inbound));
    }

    /**
     * Runs {@code work} in a transaction (the batch's, with a batcher) that has locked the number and
     * found it served, else fails with {@link InboxException.Kind#NOT_FOUND}; completes after the commit.
     */
    <T> Future<T> onServedNumber(String number, Function<Tx, Future<T>> work) {
        if (batcher != null) {
            return batcher.submit(number, work);
        }
        return db.inTransaction(tx -> tx.lockNumbers(Set.of(number)).compose(served -> {
            if (served.isEmpty()) {
                return Future.failedFuture(InboxException.notFound("number " + number));
            }
            return work.apply(tx);
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
