package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Transactor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the RCS adapter asks the inbox about peers: whose inbox a peer writes to, its subscription, our message ids. */
public final class RcsPeers {
    private final Transactor db;
    private final ConversationStore conversations;

    public RcsPeers(Transactor db, Ids ids) {
        this.db = db;
        this.conversations = new ConversationStore(ids);
    }

    /**
     * An RBM webhook names the agent, not one of our numbers: the peer's message goes to the served
     * number (of those the provider serves) it talked with last, else the provider's first number.
     */
    public Future<String> numberFor(List<String> numbers, String peer) {
        return db.pool().preparedQuery("SELECT number FROM conversations WHERE number = ANY($1) AND peer = $2 ORDER BY updated_at DESC LIMIT 1")
                .execute(Tuple.of(numbers.toArray(new String[0]), peer))
                .map(rows -> rows.size() == 1 ? rows.iterator().next().getString(0) : numbers.get(0));
    }

    /** The message a provider message id we sent under belongs to (receipts name the provider id). */
    public Future<Optional<String>> messageFor(String provider, String providerMessageId) {
        return db.pool().preparedQuery("SELECT message_id FROM rcs_sends WHERE provider = $1 AND provider_message_id = $2")
                .execute(Tuple.of(provider, providerMessageId))
                .map(rows -> rows.size() == 1 ? Optional.of(rows.iterator().next().getString(0)) : Optional.empty());
    }

    /**
     * Records that the peer unsubscribed from (or subscribed again to) the number's messages, and
     * tells the number's devices with {@code conversation.updated}. Repeating the same state changes nothing.
     */
    public Future<Void> setSubscribed(String number, String peer, boolean subscribed) {
        return db.inTransaction(tx -> tx.lockNumbers(Set.of(number)).compose(served -> {
            if (served.isEmpty()) {
                return Future.succeededFuture();
            }
            return conversations.existingOrNew(tx, number, peer, Channel.RCS)
                    .compose(conversationId -> tx.query("""
                            UPDATE conversations SET unsubscribed_at = $2 WHERE id = $1
                            AND (unsubscribed_at IS NULL) = $3 RETURNING id""",
                            Tuple.of(conversationId, subscribed ? null : Times.db(tx.now()), !subscribed))
                            .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture()
                                    : tx.emit(number, SyncEvent.CONVERSATION_UPDATED, new JsonObject().put("conversationId", conversationId)
                                            .put("peer", peer).put("unsubscribed", !subscribed)).mapEmpty()));
        }));
    }

    /**
     * Whether a carrier message is already in the number's inbox: a webhook event applied just
     * before a crash, and taken again, must not create a second message.
     */
    public Future<Boolean> alreadyReceived(String number, String carrierRef) {
        return db.pool().preparedQuery("SELECT 1 FROM messages WHERE number = $1 AND carrier_ref = $2")
                .execute(Tuple.of(number, carrierRef)).map(rows -> rows.size() > 0);
    }
}
