package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.model.MessageStatus;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Transactor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The queue of messages waiting for a carrier. A row is claimed by one worker at a time
 * ({@code FOR UPDATE SKIP LOCKED}), and leaves the queue only when every segment was accepted, or
 * when the message failed for good.
 */
public final class OutboxStore {
    private final Transactor db;
    private final Clock clock;

    public OutboxStore(Transactor db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** After a crash, rows left mid-submission go back to the queue; their accepted segments are remembered. */
    public Future<Integer> recover() {
        return db.pool().query("UPDATE outbox SET state = 'pending' WHERE state = 'submitting' AND channel = 'sms'").execute().map(r -> r.rowCount());
    }

    public Future<List<OutboxItem>> claim(int limit) {
        return db.inTransaction(tx -> tx.query("""
                        UPDATE outbox SET state = 'submitting', attempts = attempts + 1
                        WHERE message_id IN (SELECT message_id FROM outbox
                            WHERE channel = 'sms' AND state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
                            ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
                        RETURNING message_id, attempts""", Tuple.of(Times.db(tx.now()), limit))
                .compose(claimed -> {
                    if (claimed.size() == 0) {
                        return Future.succeededFuture(List.<OutboxItem>of());
                    }
                    List<String> ids = new ArrayList<>();
                    claimed.forEach(r -> ids.add(r.getString("message_id")));
                    return tx.query("""
                            SELECT m.id, m.from_number, m.to_number, m.content, o.attempts,
                                COALESCE((SELECT array_agg(s.segment) FROM sms_submissions s WHERE s.message_id = m.id), '{}') AS done,
                                (SELECT i.carrier_ref FROM messages i WHERE i.conversation_id = m.conversation_id
                                    AND i.direction = 'in' ORDER BY i.pos DESC LIMIT 1) AS last_inbound_ref
                            FROM messages m JOIN outbox o ON o.message_id = m.id WHERE m.id = ANY($1) ORDER BY o.created_at""",
                            Tuple.of(ids.toArray(new String[0])))
                            .map(rows -> {
                                List<OutboxItem> items = new ArrayList<>();
                                for (Row r : rows) {
                                    Set<Integer> done = new HashSet<>();
                                    for (Integer i : r.getArrayOfIntegers("done")) {
                                        done.add(i);
                                    }
                                    items.add(new OutboxItem(r.getString("id"), r.getString("from_number"), r.getString("to_number"),
                                            MessageJson.contentFromJson((JsonObject) r.getValue("content")), r.getInteger("attempts"), done,
                                            r.getString("last_inbound_ref")));
                                }
                                return items;
                            });
                }));
    }

    /** Puts the item back for a later attempt (no route or bind yet, throttled, transient error). */
    public Future<Void> retryLater(String messageId, Duration delay, String error) {
        Instant at = clock.instant().plus(delay);
        return db.pool().preparedQuery("UPDATE outbox SET state = 'pending', next_attempt_at = $2, last_error = $3 WHERE message_id = $1")
                .execute(Tuple.of(messageId, Times.db(at), error)).mapEmpty();
    }

    /** Every segment was accepted: the message leaves the queue and its ticks move to sent. */
    public Future<Void> submitted(String messageId) {
        return db.inTransaction(tx -> tx.query("DELETE FROM outbox WHERE message_id = $1", Tuple.of(messageId))
                .compose(v -> recordAttempt(tx, messageId, "accepted", null))
                .compose(v -> StatusChanges.advance(tx, messageId, MessageStatus.SENT, null)).mapEmpty());
    }

    /** The carrier refused the message for good. */
    public Future<Void> failed(String messageId, String reason) {
        return db.inTransaction(tx -> tx.query("DELETE FROM outbox WHERE message_id = $1", Tuple.of(messageId))
                .compose(v -> recordAttempt(tx, messageId, "failed", reason))
                .compose(v -> StatusChanges.advance(tx, messageId, MessageStatus.FAILED, reason)).mapEmpty());
    }

    /** The SMS route is the one recorded with the first accepted segment (null when none was). */
    private static Future<Void> recordAttempt(dev.switchboard.inbox.persistence.Tx tx, String messageId, String result, String reason) {
        return tx.query("SELECT sms_carrier FROM messages WHERE id = $1", Tuple.of(messageId)).compose(rows -> rows.size() == 0
                ? Future.succeededFuture()
                : Attempts.record(tx, messageId, new dev.switchboard.inbox.model.DeliveryAttempt(dev.switchboard.inbox.model.Channel.SMS,
                        rows.iterator().next().getString(0), result, reason, tx.now()), null, false).mapEmpty());
    }
}
