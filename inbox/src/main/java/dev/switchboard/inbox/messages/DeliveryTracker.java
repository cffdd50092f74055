package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.model.MessageStatus;
import dev.switchboard.inbox.model.SmsDetails;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Set;

/**
 * Ties carrier message ids to messages and turns receipts into status changes. A receipt can
 * arrive before the submission it confirms is committed: it is kept and applied when the id
 * appears, never dropped. A message with several segments is delivered when all of them are.
 */
public final class DeliveryTracker {
    /** What a receipt says about one segment. */
    public enum Outcome { DELIVERED, FAILED, PENDING }

    private final Transactor db;

    public DeliveryTracker(Transactor db) { this.db = db; }

    /**
     * Commits one accepted segment and applies any receipt that was waiting for its id. The first
     * segment accepted also records how the message travels ({@code sms}: SMS count, encoding, route)
     * on the message, in the same transaction; later ones leave it as it is. No event is appended for
     * that: the {@code message.updated} of the move to {@code sent} carries it.
     */
    public Future<Void> segmentAccepted(String messageId, int segment, int segments, String carrier, String smscId, String normalisedId,
                                        SmsDetails sms) {
        return db.inTransaction(tx -> lockId(tx, carrier, normalisedId).compose(locked -> tx.query("""
                        INSERT INTO sms_submissions (message_id, segment, segments, carrier, smsc_id, smsc_id_norm, submitted_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING""",
                        Tuple.of(messageId, segment, segments, carrier, smscId, normalisedId).addOffsetDateTime(Times.db(tx.now())))
                .compose(v -> tx.query("DELETE FROM sms_unmatched_receipts WHERE carrier = $1 AND smsc_id_norm = $2 RETURNING state, error",
                        Tuple.of(carrier, normalisedId)))
                .compose(waiting -> {
                    if (waiting.size() == 0) {
                        // The common case takes no number lock, so this commit stays short and never waits
                        // behind the number's other writers: a crash can resend only what fell in it.
                        return recordDetails(tx, messageId, sms);
                    }
                    // A receipt was waiting: the status moves, and status changes lock the number before
                    // the message row, so take it before writing the row here.
                    Row r = waiting.iterator().next();
                    return lockNumberOf(tx, messageId)
                            .compose(v -> recordDetails(tx, messageId, sms))
                            .compose(v -> apply(tx, carrier, List.of(normalisedId), Outcome.valueOf(r.getString("state")), r.getString("error")))
                            .mapEmpty();
                })));
    }

    /**
     * Serialises the submission of one SMSC id with its receipt. Without it, a receipt whose transaction
     * overlaps the submission's would miss the uncommitted submission and park itself as unmatched,
     * while the submission missed the uncommitted unmatched row: the receipt was never applied (seen
     * in the mt-send benchmark, a third of the messages stuck at sent). Taken first in both, so it
     * adds no lock-order cycle with the number locks taken later.
     */
    private static Future<Void> lockId(Tx tx, String carrier, String normalisedId) {
        return tx.query("SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))", Tuple.of(carrier, normalisedId)).mapEmpty();
    }

    /** The first accepted segment's plan and route, kept on the message; later segments leave it. */
    private static Future<Void> recordDetails(Tx tx, String messageId, SmsDetails sms) {
        if (sms == null) {
            return Future.succeededFuture();
        }
        return tx.query("UPDATE messages SET sms_segments = $2, sms_encoding = $3, sms_carrier = $4 WHERE id = $1 AND sms_segments IS NULL",
                Tuple.of(messageId, sms.segments(), sms.encoding(), sms.carrier())).mapEmpty();
    }

    private static Future<Void> lockNumberOf(Tx tx, String messageId) {
        return tx.query("SELECT number FROM messages WHERE id = $1", Tuple.of(messageId)).compose(rows -> rows.size() == 1
                ? tx.lockNumbers(Set.of(rows.iterator().next().getString(0))).mapEmpty()
                : Future.failedFuture(InboxException.notFound("message")));
    }

    /**
     * Applies a receipt. {@code idCandidates} are the normalised forms to try, preferred first
     * (the carrier's configured base, then the other one). The other base is only a guess, so it
     * may match only a segment still waiting for its receipt. Returns whether it matched.
     */
    public Future<Boolean> receipt(String carrier, List<String> idCandidates, Outcome outcome, String error) {
        return db.inTransaction(tx -> (idCandidates.isEmpty() ? Future.<Void>succeededFuture() : lockId(tx, carrier, idCandidates.get(0)))
                .compose(locked -> apply(tx, carrier, idCandidates, outcome, error)).compose(matched -> {
            if (matched || idCandidates.isEmpty()) {
                return Future.succeededFuture(matched);
            }
            return tx.query("""
                    INSERT INTO sms_unmatched_receipts (carrier, smsc_id_norm, state, error, received_at) VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (carrier, smsc_id_norm) DO UPDATE SET state = EXCLUDED.state, error = EXCLUDED.error""",
                    Tuple.of(carrier, idCandidates.get(0), outcome.name(), error).addOffsetDateTime(Times.db(tx.now())))
                    .map(false);
        }));
    }

    private static Future<Boolean> apply(Tx tx, String carrier, List<String> idCandidates, Outcome outcome, String error) {
        return tx.query("""
                SELECT message_id, segment FROM sms_submissions WHERE carrier = $1 AND smsc_id_norm = ANY($2)
                    AND (smsc_id_norm = $2[1] OR state = 'sent')
                ORDER BY array_position($2, smsc_id_norm) LIMIT 1""", Tuple.of(carrier, (Object) idCandidates.toArray(new String[0])))
                .compose(found -> {
                    if (found.size() == 0) {
                        return Future.succeededFuture(false);
                    }
                    Row hit = found.iterator().next();
                    String messageId = hit.getString("message_id");
                    if (outcome == Outcome.PENDING) {
                        return Future.succeededFuture(true);
                    }
                    return tx.query("UPDATE sms_submissions SET state = $3, error = $4, done_at = $5 WHERE message_id = $1 AND segment = $2",
                                    Tuple.of(messageId, hit.getInteger("segment"), outcome == Outcome.DELIVERED ? "delivered" : "failed", error)
                                            .addOffsetDateTime(Times.db(tx.now())))
                            .compose(v -> tx.query("SELECT segments, count(*) FILTER (WHERE state = 'delivered') AS delivered,"
                                    + " count(*) FILTER (WHERE state = 'failed') AS failed FROM sms_submissions WHERE message_id = $1"
                                    + " GROUP BY segments", Tuple.of(messageId)))
                            .compose(totals -> settle(tx, messageId, totals, error))
                            .map(true);
                });
    }

    private static Future<Void> settle(Tx tx, String messageId, RowSet<Row> totals, String error) {
        Row t = totals.iterator().next();
        if (t.getLong("failed") > 0) {
            return StatusChanges.advance(tx, messageId, MessageStatus.FAILED, error).mapEmpty();
        }
        if (t.getLong("delivered") == t.getInteger("segments").longValue()) {
            return StatusChanges.advance(tx, messageId, MessageStatus.DELIVERED, null).mapEmpty();
        }
        return Future.succeededFuture();
    }
}
