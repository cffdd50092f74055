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
