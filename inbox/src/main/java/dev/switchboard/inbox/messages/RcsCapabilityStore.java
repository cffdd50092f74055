package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.persistence.Times;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What providers said about peers' RCS capabilities, trusted until it expires. Kept in the database
 * so a restart does not send a burst of capability checks, and so the send transaction can read it.
 */
public final class RcsCapabilityStore {
    /** A cached answer; {@code features} uses the RBM feature names. */
    public record Cached(boolean reachable, Set<String> features, Instant expiresAt) {
        public Cached { features = Set.copyOf(features); }
    }

    /** A cache entry to refresh. */
    public record Entry(String provider, String peer) {}

    private final Pool pool;
    private final Clock clock;

    public RcsCapabilityStore(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /** The unexpired answer for the peer at that provider, through {@code client} (a transaction's connection or the pool). */
    public Future<Optional<Cached>> fresh(SqlClient client, String provider, String peer, Instant now) {
        return client.preparedQuery("SELECT reachable, features, expires_at FROM rcs_capabilities WHERE provider = $1 AND peer = $2 AND expires_at > $3")
                .execute(Tuple.of(provider, peer, Times.db(now)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    var r = rows.iterator().next();
                    return Optional.of(new Cached(r.getBoolean("reachable"), Set.of(r.getArrayOfStrings("features")),
                            Times.instant(r.getOffsetDateTime("expires_at"))));
                });
    }

    public Future<Optional<Cached>> fresh(String provider, String peer) {
        return fresh(pool, provider, peer, clock.instant());
    }

    public Future<Void> store(String provider, String peer, boolean reachable, Set<String> features, Duration ttl) {
        Instant now = clock.instant();
        return pool.preparedQuery("""
                INSERT INTO rcs_capabilities (provider, peer, reachable, features, checked_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (provider, peer) DO UPDATE SET reachable = EXCLUDED.reachable, features = EXCLUDED.features,
                    checked_at = EXCLUDED.checked_at, expires_at = EXCLUDED.expires_at""")
                .execute(Tuple.of(provider, peer, reachable, features.toArray(new String[0]), Times.db(now), Times.db(now.plus(ttl))))
                .mapEmpty();
    }

    /**
     * The peer just wrote to us over RCS, so a cached "unreachable" is wrong now: dropped, the next
     * send asks the provider again.
     */
    public Future<Void> forgetUnreachable(String provider, String peer) {
        return pool.preparedQuery("DELETE FROM rcs_capabilities WHERE provider = $1 AND peer = $2 AND NOT reachable")
                .execute(Tuple.of(provider, peer)).mapEmpty();
    }

    /**
     * Entries still valid that expire before {@code horizon}, soonest first: the background refresh
     * renews them before a send needs them, for peers with a conversation active in the last day.
     * Entries already expired are left alone: the next send checks afresh.
     */
    public Future<List<Entry>> expiringBefore(Instant horizon, int limit) {
        // Only peers someone talked with in the last day: the others are checked afresh if they are ever sent to again.
        return pool.preparedQuery("""
                SELECT r.provider, r.peer FROM rcs_capabilities r WHERE r.expires_at > $1 AND r.expires_at < $2
                AND EXISTS (SELECT 1 FROM conversations c WHERE c.peer = r.peer AND c.updated_at > $4)
                ORDER BY r.expires_at LIMIT $3""")
                .execute(Tuple.of(Times.db(clock.instant()), Times.db(horizon), limit, Times.db(clock.instant().minus(Duration.ofDays(1)))))
                .map(rows -> {
                    List<Entry> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Entry(r.getString(0), r.getString(1))));
                    return out;
                });
    }
}
