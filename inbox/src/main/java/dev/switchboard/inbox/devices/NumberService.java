package dev.switchboard.inbox.devices;

import dev.switchboard.inbox.model.PhoneNumber;
import dev.switchboard.inbox.persistence.Hashes;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Transactor;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The numbers the gateway serves, and the one-time codes that enroll their primary device. */
public final class NumberService {

    public record Enrollment(String number, String label, String enrollmentCode, Instant expiresAt, boolean created) {}

    public record ServedNumber(String number, String label, Instant createdAt, int devices) {}

    private final Transactor db;
    private final Ids ids;
    private final DevicePolicy policy;

    public NumberService(Transactor db, Ids ids, DevicePolicy policy) {
        this.db = db;
        this.ids = ids;
        this.policy = policy;
    }

    /** Serves a number, or issues a fresh enrollment code for one already served (the old code stops working). */
    public Future<Enrollment> serve(String number, String label) {
        PhoneNumber.require("number", number);
        String code = ids.enrollmentCode();
        return db.inTransaction(tx -> {
            Instant expires = tx.now().plus(policy.enrollmentTtl());
            return tx.query("""
                    INSERT INTO numbers (number, label, enrollment_code_hash, enrollment_expires_at, created_at)
                    VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (number) DO UPDATE SET label = COALESCE(EXCLUDED.label, numbers.label),
                        enrollment_code_hash = EXCLUDED.enrollment_code_hash,
                        enrollment_expires_at = EXCLUDED.enrollment_expires_at, enrollment_attempts = 0
                    RETURNING label, (xmax = 0) AS inserted""",
                    Tuple.of(number, label, io.vertx.core.buffer.Buffer.buffer(Hashes.sha256(code)), Times.db(expires), Times.db(tx.now())))
                    .map(rows -> {
                        Row r = rows.iterator().next();
                        return new Enrollment(number, r.getString("label"), code, expires, r.getBoolean("inserted"));
                    });
        });
    }

    /**
     * Issues a fresh enrollment code for a served number, to be sent to it by SMS; the code then works
     * like an admin-issued one (and burns after the same number of misses). Empty when the number is
     * not served. Fails with 429 when a code went out less than {@code minInterval} ago.
     */
    public Future<java.util.Optional<Instant>> issueVerification(String number, String code, java.time.Duration ttl,
                                                                java.time.Duration minInterval) {
        PhoneNumber.require("number", number);
        return db.inTransaction(tx -> tx.query("""
                UPDATE numbers SET enrollment_code_hash = $2, enrollment_expires_at = $3, enrollment_attempts = 0,
                    verification_sent_at = $4
                WHERE number = $1 AND (verification_sent_at IS NULL OR verification_sent_at <= $5)
                RETURNING number""", Tuple.of(number, io.vertx.core.buffer.Buffer.buffer(Hashes.sha256(code)),
                        Times.db(tx.now().plus(ttl)), Times.db(tx.now()), Times.db(tx.now().minus(minInterval))))
                .compose(updated -> {
                    if (updated.size() == 1) {
                        return Future.succeededFuture(java.util.Optional.of(tx.now().plus(ttl)));
                    }
                    return tx.query("SELECT 1 FROM numbers WHERE number = $1", Tuple.of(number)).compose(exists -> exists.size() == 0
                            ? Future.succeededFuture(java.util.Optional.<Instant>empty())
                            : Future.failedFuture(new dev.switchboard.inbox.InboxException(dev.switchboard.inbox.InboxException.Kind.TOO_MANY_REQUESTS,
                                    "too_many_requests", "a code was sent a moment ago; wait before asking again")));
                }));
    }

    public Future<Boolean> isServed(String number) {
        return db.pool().preparedQuery("SELECT 1 FROM numbers WHERE number = $1").execute(Tuple.of(number)).map(rows -> rows.size() == 1);
    }

    public Future<List<ServedNumber>> list() {
        return db.pool().query("""
                SELECT n.number, n.label, n.created_at,
                    (SELECT count(*) FROM devices d WHERE d.number = n.number AND d.unlinked_at IS NULL) AS devices
                FROM numbers n ORDER BY n.number""").execute()
                .map(rows -> {
                    List<ServedNumber> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new ServedNumber(r.getString("number"), r.getString("label"),
                            Times.instant(r.getOffsetDateTime("created_at")), r.getLong("devices").intValue())));
                    return out;
                });
    }
}
