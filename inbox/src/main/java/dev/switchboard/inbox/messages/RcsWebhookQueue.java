package dev.switchboard.inbox.messages;

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
import java.util.Comparator;
import java.util.List;

/**
 * Webhook events committed before the provider gets its 200, applied afterwards. The primary key
 * drops an event the provider delivers again; a claimed event is leased rather than locked, so a
 * worker that dies mid-way leaves it to be taken again when the lease runs out.
 */
public final class RcsWebhookQueue {
    private static final Duration LEASE = Duration.ofMinutes(2);

    public record Event(String provider, String dedupeKey, JsonObject payload, int attempts) {}

    public record Incoming(String dedupeKey, JsonObject payload) {}

    private final Transactor db;
    private final Clock clock;

    public RcsWebhookQueue(Transactor db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Stores every event of one webhook request in one transaction; returns how many were new. */
    public Future<Integer> enqueue(String provider, List<Incoming> events) {
        if (events.isEmpty()) {
            return Future.succeededFuture(0);
        }
        return db.inTransaction(tx -> {
            Future<Integer> chain = Future.succeededFuture(0);
            for (Incoming e : events) {
                chain = chain.compose(n -> tx.query("""
                        INSERT INTO rcs_webhook_events (provider, dedupe_key, payload, received_at) VALUES ($1, $2, $3, $4)
                        ON CONFLICT DO NOTHING""", Tuple.of(provider, e.dedupeKey(), e.payload(), Times.db(tx.now())))
                        .map(r -> n + r.rowCount()));
            }
            return chain;
        });
    }

    /** Takes due events in the order they arrived, leasing them to the caller. */
    public Future<List<Event>> claim(int limit) {
        Instant now = clock.instant();
        return db.pool().preparedQuery("""
                UPDATE rcs_webhook_events SET next_attempt_at = $2, attempts = attempts + 1
                WHERE (provider, dedupe_key) IN (SELECT provider, dedupe_key FROM rcs_webhook_events
                    WHERE state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
                    ORDER BY arrival LIMIT $3 FOR UPDATE SKIP LOCKED)
                RETURNING provider, dedupe_key, payload, attempts, arrival""")
                .execute(Tuple.of(Times.db(now), Times.db(now.plus(LEASE)), limit))
                .map(rows -> {
                    // RETURNING does not keep the subquery's ORDER BY (the planner de-duplicates the IN list with a
                    // hash aggregate), so the arrival order is restored here.
                    List<Row> claimed = new ArrayList<>();
                    rows.forEach(claimed::add);
                    claimed.sort(Comparator.comparing((Row r) -> r.getLong("arrival")));
                    List<Event> out = new ArrayList<>();
                    claimed.forEach(r -> out.add(new Event(r.getString("provider"), r.getString("dedupe_key"),
                            (JsonObject) r.getValue("payload"), r.getInteger("attempts"))));
                    return out;
                });
    }

    public Future<Void> done(Event e) {
        return set(e, "done", null, null);
    }

    public Future<Void> retryLater(Event e, Duration delay, String error) {
        return set(e, "pending", clock.instant().plus(delay), error);
    }

    /** Given up on after repeated failures; kept with the error for an operator. */
    public Future<Void> failed(Event e, String error) {
        return set(e, "failed", null, error);
    }

    private Future<Void> set(Event e, String state, Instant next, String error) {
        return db.pool().preparedQuery("UPDATE rcs_webhook_events SET state = $3, next_attempt_at = $4, error = $5 WHERE provider = $1 AND dedupe_key = $2")
                .execute(Tuple.of(e.provider(), e.dedupeKey(), state, next == null ? null : Times.db(next), error)).mapEmpty();
    }

    /** Applied events older than the longest provider retry window are no longer needed to drop duplicates. */
    public Future<Integer> prune(Duration keep) {
        return db.pool().preparedQuery("DELETE FROM rcs_webhook_events WHERE state = 'done' AND received_at < $1")
                .execute(Tuple.of(Times.db(clock.instant().minus(keep)))).map(r -> r.rowCount());
    }
}
