package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Receipts owed to accounts bound to the SMPP server: the requests their submit_sm left, and the
 * receipts queued from them (delivered once the message is in the inbox, read once a device read
 * it). A receipt is queued at most once per (account, id, kind) and stays queued, across restarts,
 * until it is marked sent.
 */
public final class AccountReceiptStore {
    /** A receipt to send: the id the account knows the message by, and what the receipt text quotes. */
    public record Pending(String account, String smppId, String kind, String peer, String servedNumber, String text,
                          Instant submittedAt, Instant doneAt) {}

    private final Transactor db;

    public AccountReceiptStore(Transactor db) { this.db = db; }

    /**
     * Records what a submit_sm asked for and, once its message exists, queues the delivered receipts
     * owed for it. {@code messageId} is the message the PDU completed: null for a segment of a set
     * still incomplete. The message's {@code carrier_ref} lists every PDU of its set
     * ({@code smpp:<account>:<id>}, comma-separated), so the requests its earlier segments left are
     * resolved here too.
     */
    public Future<Void> request(String account, String smppId, boolean delivered, boolean read, String messageId) {
        return db.inTransaction(tx -> {
            Future<?> insert = delivered || read
                    ? tx.query("""
                            INSERT INTO smpp_receipt_requests (account, smpp_id, message_id, delivered, read, created_at)
                            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING""",
                            Tuple.of(account, smppId, messageId, delivered, read, Times.db(tx.now())))
                    : Future.succeededFuture();
            if (messageId == null) {
                return insert.mapEmpty();
            }
            return insert
                    .compose(v -> tx.query("""
                            UPDATE smpp_receipt_requests SET message_id = $2 WHERE account = $1 AND message_id IS NULL AND smpp_id IN (
                                SELECT split_part(ref, ':', 3) FROM messages m, unnest(string_to_array(m.carrier_ref, ',')) AS ref
                                WHERE m.id = $2 AND split_part(ref, ':', 1) = 'smpp' AND split_part(ref, ':', 2) = $1)""",
                            Tuple.of(account, messageId)))
                    .compose(v -> queue(tx, "delivered", "message_id = $1 AND delivered", Tuple.of(messageId)));
        });
    }

    /** Inside {@code markRead}'s transaction: queues the read receipts owed for these incoming messages. */
    static Future<Void> readInTx(Tx tx, List<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Future.succeededFuture();
        }
        return queue(tx, "read", "message_id = ANY($1) AND read", Tuple.of(messageIds.toArray(new String[0])));
    }

    private static Future<Void> queue(Tx tx, String kind, String where, Tuple args) {
        int n = args.size();
        return tx.query("INSERT INTO smpp_account_receipts (account, smpp_id, kind, message_id, created_at)"
                        + " SELECT account, smpp_id, $" + (n + 1) + ", message_id, $" + (n + 2) + " FROM smpp_receipt_requests WHERE "
                        + where + " ON CONFLICT DO NOTHING", args.addString(kind).addOffsetDateTime(Times.db(tx.now())))
                .mapEmpty();
    }

    /** Queued receipts for the given accounts (those with a bind that can take them), oldest first. */
    public Future<List<Pending>> pending(Collection<String> accounts, int limit) {
        return db.pool().preparedQuery("""
                        SELECT r.account, r.smpp_id, r.kind, r.created_at AS done_at, m.from_number, m.to_number, m.content,
                            m.created_at AS submitted_at
                        FROM smpp_account_receipts r JOIN messages m ON m.id = r.message_id
                        WHERE r.state = 'pending' AND r.account = ANY($1) ORDER BY r.created_at, r.smpp_id, r.kind LIMIT $2""")
                .execute(Tuple.of(accounts.toArray(new String[0]), limit))
                .map(rows -> {
                    List<Pending> out = new ArrayList<>();
                    for (Row r : rows) {
                        String text = MessageJson.contentFromJson((JsonObject) r.getValue("content")).text();
                        out.add(new Pending(r.getString("account"), r.getString("smpp_id"), r.getString("kind"),
                                r.getString("from_number"), r.getString("to_number"), text,
                                Times.instant(r.getOffsetDateTime("submitted_at")), Times.instant(r.getOffsetDateTime("done_at"))));
                    }
                    return out;
                });
    }

    /** The account acknowledged the receipt: it is never sent again. */
    public Future<Void> sent(Pending receipt) {
        return db.inTransaction(tx -> tx.query("UPDATE smpp_account_receipts SET state = 'sent', sent_at = $4"
                        + " WHERE account = $1 AND smpp_id = $2 AND kind = $3",
                Tuple.of(receipt.account(), receipt.smppId(), receipt.kind(), Times.db(tx.now()))).mapEmpty());
    }
}
