package dev.switchboard.inbox.devices;

import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Transactor;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Unlinks the companions of numbers whose primary has not checked in for the configured period,
 * as WhatsApp does after 14 days: companions act for the primary, so they must not outlive it.
 */
public final class PrimaryCheckinSweeper {
    public static final String REASON = "primary_inactive";

    private final Transactor db;
    private final Clock clock;
    private final DevicePolicy policy;

    public PrimaryCheckinSweeper(Transactor db, Clock clock, DevicePolicy policy) {
        this.db = db;
        this.clock = clock;
        this.policy = policy;
    }

    /** Runs one sweep and returns the companions it unlinked. */
    public Future<List<Device>> sweep() {
        Instant cutoff = clock.instant().minus(policy.primaryCheckin());
        return db.pool().preparedQuery("""
                SELECT DISTINCT c.number FROM devices c
                JOIN devices p ON p.number = c.number AND p.kind = 'primary' AND p.unlinked_at IS NULL
                WHERE c.kind = 'companion' AND c.unlinked_at IS NULL AND p.last_seen_at < $1
                ORDER BY c.number""")
                .execute(Tuple.of(Times.db(cutoff)))
                .compose(rows -> {
                    List<String> numbers = new ArrayList<>();
                    rows.forEach(r -> numbers.add(r.getString(0)));
                    List<Device> unlinked = new ArrayList<>();
                    Future<Void> chain = Future.succeededFuture();
                    for (String number : numbers) {
                        chain = chain.compose(v -> sweepNumber(number, cutoff)).map(unlinked::addAll).mapEmpty();
                    }
                    return chain.map(unlinked);
                });
    }

    // Re-checked under the number's lock: the primary may have checked in since the scan.
    private Future<List<Device>> sweepNumber(String number, Instant cutoff) {
        return db.inTransaction(tx -> tx.lockNumbers(Set.of(number))
                .compose(v -> DeviceService.unlinkWhere(tx, """
                        number = $1 AND kind = 'companion' AND EXISTS (SELECT 1 FROM devices p WHERE p.number = $1
                            AND p.kind = 'primary' AND p.unlinked_at IS NULL AND p.last_seen_at < $2)""",
                        Tuple.of(number, Times.db(cutoff)), REASON)));
    }
}
