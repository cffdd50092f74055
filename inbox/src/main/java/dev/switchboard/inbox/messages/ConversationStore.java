package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

/** The one conversation per (served number, peer): created on first contact, touched on every message. */
final class ConversationStore {
    private final Ids ids;

    ConversationStore(Ids ids) { this.ids = ids; }

    Future<String> upsert(Tx tx, String number, String peer, Channel channel) {
        return tx.query("""
                INSERT INTO conversations (id, number, peer, channel, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
                ON CONFLICT (number, peer) DO UPDATE SET updated_at = EXCLUDED.updated_at, channel = EXCLUDED.channel
                RETURNING id""", Tuple.of(ids.next("cnv"), number, peer, channel.wire(), Times.db(tx.now())))
                .map(rows -> rows.iterator().next().getString(0));
    }

    /** The conversation's id, creating it when there is none, without touching its activity time or channel. */
    Future<String> existingOrNew(Tx tx, String number, String peer, Channel channel) {
        return tx.query("SELECT id FROM conversations WHERE number = $1 AND peer = $2", Tuple.of(number, peer))
                .compose(rows -> rows.size() == 1 ? Future.succeededFuture(rows.iterator().next().getString(0))
                        : upsert(tx, number, peer, channel));
    }
}
