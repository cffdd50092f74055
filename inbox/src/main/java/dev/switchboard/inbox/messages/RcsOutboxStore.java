package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.DeliveryAttempt;
import dev.switchboard.inbox.model.MessageStatus;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Transactor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The outbox rows meant for RCS. Each outcome of an attempt is one transaction that records the
 * attempt on the message: accepted (the row leaves, ticks move to sent), retried later, degraded,
 * failed, or handed to the SMS worker by flipping the row's channel, so a message is never in two
 * queues and never in none.
 */
public final class RcsOutboxStore {
    /**
     * A claimed row is leased, not locked: if the worker never settles it (a database failover between
     * the send and the commit), it is taken again when the lease runs out. Longer than any attempt can
     * take; a second take resends under the same provider ids, which the provider answers as duplicates.
     */
    static final Duration LEASE = Duration.ofMinutes(15);

    private final Transactor db;
    private final Clock clock;

    public RcsOutboxStore(Transactor db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Future<List<RcsOutboxItem>> claim(int limit) {
        return db.inTransaction(tx -> tx.query("""
                        UPDATE outbox SET state = 'submitting', attempts = attempts + 1, next_attempt_at = $3
                        WHERE message_id IN (SELECT message_id FROM outbox
                            WHERE channel = 'rcs' AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
                                AND (state = 'pending' OR state = 'submitting')
                            ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
                        RETURNING message_id""", Tuple.of(Times.db(tx.now()), limit, Times.db(tx.now().plus(LEASE))))
                .compose(claimed -> {
                    if (claimed.size() == 0) {
                        return Future.succeededFuture(List.<RcsOutboxItem>of());
                    }
                    List<String> ids = new ArrayList<>();
                    claimed.forEach(r -> ids.add(r.getString(0)));
                    return tx.query("""
                            SELECT m.id, m.from_number, m.to_number, m.content, o.attempts, o.forced, o.deadline_at, o.degraded,
                                COALESCE((SELECT jsonb_object_agg(s.provider_message_id, s.state) FROM rcs_sends s
                                    WHERE s.message_id = m.id), '{}'::jsonb) AS sends
                            FROM messages m JOIN outbox o ON o.message_id = m.id WHERE m.id = ANY($1) ORDER BY o.created_at""",
                            Tuple.of(ids.toArray(new String[0]))).map(rows -> {
                                List<RcsOutboxItem> items = new ArrayList<>();
                                for (Row r : rows) {
                                    Map<String, String> sends = new HashMap<>();
                                    ((JsonObject) r.getValue("sends")).forEach(e -> sends.put(e.getKey(), (String) e.getValue()));
                                    items.add(new RcsOutboxItem(r.getString("id"), r.getString("from_number"), r.getString("to_number"),
                                            MessageJson.contentFromJson((JsonObject) r.getValue("content")), r.getInteger("attempts"),
                                            r.getBoolean("forced"), r.getOffsetDateTime("deadline_at") == null ? null
                                                    : Times.instant(r.getOffsetDateTime("deadline_at")),
                                            r.getBoolean("degraded"), sends));
                                }
                                return items;
                            });
                }));
    }

    /** After a crash, rows left mid-attempt go back to the queue. */
    public Future<Integer> recover() {
        return db.pool().query("UPDATE outbox SET state = 'pending' WHERE state = 'submitting' AND channel = 'rcs'").execute()
                .map(r -> r.rowCount());
    }

    /** Remembers that the message went out (or may have) under this provider message id; committed before the next unit. */
    public Future<Void> recordSend(String messageId, String provider, String providerMessageId, String state) {
        return db.pool().preparedQuery("""
                INSERT INTO rcs_sends (provider, provider_message_id, message_id, state, at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (provider, provider_message_id) DO UPDATE SET state = EXCLUDED.state, at = EXCLUDED.at""")
                .execute(Tuple.of(provider, providerMessageId, messageId, state, Times.db(clock.instant()))).mapEmpty();
    }

    /** The provider message ids the message may be held under at that provider (sent or unknown, not revoked). */
    public Future<List<String>> sendsOf(String messageId, String provider) {
        return db.pool().preparedQuery("SELECT provider_message_id FROM rcs_sends WHERE message_id = $1 AND provider = $2 AND state <> 'revoked' ORDER BY at")
                .execute(Tuple.of(messageId, provider)).map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString(0)));
                    return out;
                });
    }

    /** Every unit was accepted: the row leaves the queue and the message turns sent. */
    public Future<Void> accepted(String messageId, String provider, String detail) {
        return db.inTransaction(tx -> tx.query("DELETE FROM outbox WHERE message_id = $1", Tuple.of(messageId))
                .compose(v -> Attempts.record(tx, messageId, attempt(provider, "accepted", detail), Channel.RCS, false))
                .compose(v -> StatusChanges.advance(tx, messageId, MessageStatus.SENT, null)).mapEmpty());
    }

    /** A retryable failure before the deadline: try again after {@code delay}. */
    public Future<Void> retryLater(String messageId, String provider, String result, String detail, Duration delay) {
        return db.inTransaction(tx -> tx.query("UPDATE outbox SET state = 'pending', next_attempt_at = $2, last_error = $3 WHERE message_id = $1",
                        Tuple.of(messageId, Times.db(tx.now().plus(delay)), detail))
                .compose(v -> Attempts.record(tx, messageId, attempt(provider, result, detail), null, true)).mapEmpty());
    }

    /** The provider refused a feature: next time send the content one step simpler, at once. */
    public Future<Void> degrade(String messageId, String provider, String detail) {
        return db.inTransaction(tx -> tx.query("UPDATE outbox SET state = 'pending', degraded = TRUE, next_attempt_at = NULL WHERE message_id = $1",
                        Tuple.of(messageId))
                .compose(v -> Attempts.record(tx, messageId, attempt(provider, "unsupported", detail), null, true)).mapEmpty());
    }

    /**
     * RCS is out for this message: the row moves to the SMS queue in the same transaction that
     * records why, so the SMS worker takes it exactly once.
     */
    public Future<Void> fallBackToSms(String messageId, String provider, String result, String detail) {
        return db.inTransaction(tx -> tx.query("""
                        UPDATE outbox SET channel = 'sms', state = 'pending', next_attempt_at = NULL, attempts = 0, last_error = $2
                        WHERE message_id = $1""", Tuple.of(messageId, detail))
                .compose(v -> Attempts.record(tx, messageId, attempt(provider, result, detail), null, false))
                .compose(v -> Attempts.record(tx, messageId, new DeliveryAttempt(Channel.RCS, provider, "fallback",
                        "falling back to SMS", tx.now()), Channel.SMS, true)).mapEmpty());
    }

    /** RCS failed for good and there is no fallback (forced RCS, or an unconfirmed revocation). */
    public Future<Void> failed(String messageId, String provider, String result, String detail, String reason) {
        return db.inTransaction(tx -> tx.query("DELETE FROM outbox WHERE message_id = $1", Tuple.of(messageId))
                .compose(v -> Attempts.record(tx, messageId, attempt(provider, result, detail), null, false))
                .compose(v -> StatusChanges.advance(tx, messageId, MessageStatus.FAILED, reason)).mapEmpty());
    }

    /**
     * The deadline passed and the revocation was not confirmed: the provider may still deliver it,
     * so it must not go out as SMS too. It leaves the queue as sent; a receipt can still move it on.
     */
    public Future<Void> abandonedUnconfirmed(String messageId, String provider, String detail) {
        return db.inTransaction(tx -> tx.query("DELETE FROM outbox WHERE message_id = $1", Tuple.of(messageId))
                .compose(v -> Attempts.record(tx, messageId, attempt(provider, "revocation_failed", detail), Channel.RCS, false))
                .compose(v -> StatusChanges.advance(tx, messageId, MessageStatus.SENT,
                        "RCS delivery unconfirmed and the revocation failed: not sent as SMS to avoid a duplicate"))
                .mapEmpty());
    }

    private DeliveryAttempt attempt(String provider, String result, String detail) {
        return new DeliveryAttempt(Channel.RCS, provider, result, detail, clock.instant());
    }

}
