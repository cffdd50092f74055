package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * READ receipts owed to RCS providers: queued in the transaction that marks the messages read, so a
 * receipt is never lost nor owed twice, and sent by the RCS adapter afterwards.
 *
 * <p>An inbound RCS message's {@code carrier_ref} is {@code rcs:<provider>:<provider message id>}.
 */
public final class RcsReadReceipts {
    public record Owed(String id, String provider, String peer, String providerMessageId, int attempts) {}

    private final Transactor db;
    private final Clock clock;

    public RcsReadReceipts(Transactor db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    static Future<Void> readInTx(Tx tx, List<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Future.succeededFuture();
        }
        return tx.query("""
                INSERT INTO rcs_agent_events (id, provider, peer, provider_message_id, created_at)
                SELECT 'rd-' || gen_random_uuid(), split_part(carrier_ref, ':', 2), from_number,
                    substr(carrier_ref, length(split_part(carrier_ref, ':', 2)) + 6), $2
                FROM messages WHERE id = ANY($1) AND channel = 'rcs' AND carrier_ref LIKE 'rcs:%:%'""",
                Tuple.of(messageIds.toArray(new String[0]), Times.db(tx.now()))).mapEmpty();
    }

    public Future<List<Owed>> claim(int limit) {
        Instant now = clock.instant();
        return db.pool().preparedQuery("""
                UPDATE rcs_agent_events SET attempts = attempts + 1, next_attempt_at = $2
                WHERE id IN (SELECT id FROM rcs_agent_events WHERE state = 'pending'
                    AND (next_attempt_at IS NULL OR next_attempt_at <= $1) ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED)
                RETURNING id, provider, peer, provider_message_id, attempts""")
                .execute(Tuple.of(Times.db(now), Times.db(now.plus(Duration.ofMinutes(2))), limit))
                .map(rows -> {
                    List<Owed> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Owed(r.getString("id"), r.getString("provider"), r.getString("peer"),
                            r.getString("provider_message_id"), r.getInteger("attempts"))));
                    return out;
                });
    }

    public Future<Void> sent(Owed o) { return set(o, "sent", null); }

    public Future<Void> failed(Owed o) { return set(o, "failed", null); }

    public Future<Void> retryLater(Owed o, Duration delay) { return set(o, "pending", clock.instant().plus(delay)); }

    private Future<Void> set(Owed o, String state, Instant next) {
        return db.pool().preparedQuery("UPDATE rcs_agent_events SET state = $2, next_attempt_at = $3 WHERE id = $1")
                .execute(Tuple.of(o.id(), state, next == null ? null : Times.db(next))).mapEmpty();
    }
}
