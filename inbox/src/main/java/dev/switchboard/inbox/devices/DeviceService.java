package dev.switchboard.inbox.devices;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.model.PhoneNumber;
import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.persistence.Hashes;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Enrollment, authentication, listing and unlinking of a number's devices. */
public final class DeviceService {
    /** Last-seen is a write per request otherwise; a minute's precision is plenty for a 14-day rule. */
    private static final Duration LAST_SEEN_PRECISION = Duration.ofMinutes(1);
    static final int MAX_ENROLLMENT_ATTEMPTS = 5;

    public record Enrolled(Device device, String token) {}

    private final Transactor db;
    private final Ids ids;
    private final Clock clock;

    public DeviceService(Transactor db, Ids ids, Clock clock) {
        this.db = db;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Makes a new primary with a valid enrollment code; the previous primary and every companion are
     * unlinked. The code is checked before the number is locked, so guessing cannot stall the
     * number's traffic, and after {@value #MAX_ENROLLMENT_ATTEMPTS} misses it is burnt.
     */
    public Future<Enrolled> enrollPrimary(String number, String code, String name, DeviceKeySet presented) {
        PhoneNumber.require("number", number);
        DeviceKeySet keys = KeySignatures.require(presented);
        byte[] codeHash = Hashes.sha256(code == null ? "" : code);
        return db.pool().preparedQuery("SELECT enrollment_code_hash, enrollment_expires_at, enrollment_attempts FROM numbers WHERE number = $1")
                .execute(Tuple.of(number))
                .compose(rows -> {
                    Row r = rows.size() == 1 ? rows.iterator().next() : null;
                    if (r == null || r.getBuffer("enrollment_code_hash") == null
                            || !clock.instant().isBefore(Times.instant(r.getOffsetDateTime("enrollment_expires_at")))) {
                        return Future.failedFuture(invalidCode());
                    }
                    if (r.getInteger("enrollment_attempts") >= MAX_ENROLLMENT_ATTEMPTS) {
                        return Future.failedFuture(new InboxException(InboxException.Kind.TOO_MANY_REQUESTS, "too_many_attempts",
                                "too many wrong codes; ask for a new enrollment code"));
                    }
                    if (!Hashes.constantTimeEquals(r.getBuffer("enrollment_code_hash").getBytes(), codeHash)) {
                        return db.pool().preparedQuery("UPDATE numbers SET enrollment_attempts = enrollment_attempts + 1 WHERE number = $1")
                                .execute(Tuple.of(number)).compose(v -> Future.failedFuture(invalidCode()));
                    }
                    return enrollChecked(number, codeHash, name, keys);
                });
    }

    private Future<Enrolled> enrollChecked(String number, byte[] presented, String name, DeviceKeySet keys) {
        String token = ids.secret();
        String deviceId = ids.next("dev");
        return db.inTransaction(tx -> tx.lockNumbers(Set.of(number))
                // Consumed under the lock: of two racing enrollments with the right code, one wins.
                .compose(served -> tx.query("""
                        UPDATE numbers SET enrollment_code_hash = NULL WHERE number = $1 AND enrollment_code_hash = $2
                            AND enrollment_expires_at > $3""", Tuple.of(number, Buffer.buffer(presented), Times.db(tx.now()))))
                .compose(consumed -> consumed.rowCount() == 1 ? Future.<Void>succeededFuture() : Future.failedFuture(invalidCode()))
                .compose(v -> unlinkWhere(tx, "number = $1", Tuple.of(number), "primary_replaced"))
                // A new account key starts a new history of lists: the old one's versions must not bind it.
                .compose(v -> tx.query("DELETE FROM device_lists WHERE number = $1", Tuple.of(number)))
                .compose(v -> insertDevice(tx, deviceId, number, Device.Kind.PRIMARY, name, keys, Hashes.sha256(token)))
                .map(device -> new Enrolled(device, token)));
    }

    private static InboxException invalidCode() {
        return InboxException.forbidden("invalid_enrollment_code", "the enrollment code is wrong, used or expired");
    }

    static Future<Device> insertDevice(Tx tx, String id, String number, Device.Kind kind, String name, DeviceKeySet keys,
                                       byte[] tokenHash) {
        return insertDevice(tx, id, number, kind, name, keys, tokenHash, null, null);
    }

    /** As above, for a companion with its account signature and device signature (both null for a primary). */
    static Future<Device> insertDevice(Tx tx, String id, String number, Device.Kind kind, String name, DeviceKeySet keys,
                                       byte[] tokenHash, String accountSignature, String deviceSignature) {
        return tx.query("INSERT INTO devices (id, number, kind, name, identity_key, encryption_key, token_hash, created_at, last_seen_at,"
                                + " encryption_key_id, encryption_key_signature, account_signature, device_signature)"
                                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12) RETURNING " + DeviceRows.COLUMNS,
                        Tuple.of(id, number, kind.wire(), name, keys.identityKey(), keys.encryptionKey(),
                                tokenHash == null ? null : Buffer.buffer(tokenHash), Times.db(tx.now()))
                                .addString(keys.encryptionKeyId()).addString(keys.encryptionKeySignature())
                                .addString(accountSignature).addString(deviceSignature))
                .map(rows -> DeviceRows.map(rows.iterator().next()))
                .compose(device -> DeviceLists.markStale(tx, number).map(device))
                .compose(device -> tx.emit(number, SyncEvent.DEVICE_LINKED, DeviceRows.toJson(device)).map(device));
    }

    /** Unlinks the active devices matching {@code where}, revoking their tokens, with one event each. */
    static Future<List<Device>> unlinkWhere(Tx tx, String where, Tuple args, String reason) {
        int reasonArg = args.size() + 1;
        int nowArg = args.size() + 2;
        Tuple all = args.addString(reason).addOffsetDateTime(Times.db(tx.now()));
        return tx.query("UPDATE devices SET unlinked_at = $" + nowArg + ", unlink_reason = $" + reasonArg
                        + ", token_hash = NULL WHERE unlinked_at IS NULL AND " + where + " RETURNING " + DeviceRows.COLUMNS, all)
                .compose(rows -> emitUnlinked(tx, rows, reason));
    }

    private static Future<List<Device>> emitUnlinked(Tx tx, RowSet<Row> rows, String reason) {
        List<Device> devices = new ArrayList<>();
        rows.forEach(r -> devices.add(DeviceRows.map(r)));
        devices.sort(java.util.Comparator.comparing(Device::id));
        Future<Void> chain = Future.succeededFuture();
        for (String number : devices.stream().map(Device::number).distinct().sorted().toList()) {
            chain = chain.compose(v -> DeviceLists.markStale(tx, number));
        }
        for (Device d : devices) {
            chain = chain.compose(v -> tx.emit(d.number(), SyncEvent.DEVICE_UNLINKED,
                    DeviceRows.toJson(d).put("reason", reason)).mapEmpty());
        }
        return chain.map(devices);
    }

    /** The active device holding this token, marking it seen; fails with 401 for anything else. */
    public Future<Device> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Future.failedFuture(unauthorized());
        }
        Buffer hash = Buffer.buffer(Hashes.sha256(token));
        return db.pool().preparedQuery("SELECT " + DeviceRows.COLUMNS + " FROM devices WHERE token_hash = $1 AND unlinked_at IS NULL")
                .execute(Tuple.of(hash))
                .compose(rows -> {
                    if (rows.size() != 1) {
                        return Future.failedFuture(unauthorized());
                    }
                    Device device = DeviceRows.map(rows.iterator().next());
                    return touch(device).map(device);
                });
    }

    /** Records that the device was seen now; for the primary this is its check-in. */
    public Future<Void> touch(Device device) {
        Instant now = clock.instant();
        if (device.lastSeenAt().plus(LAST_SEEN_PRECISION).isAfter(now)) {
            return Future.succeededFuture();
        }
        return db.pool().preparedQuery("UPDATE devices SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2")
                .execute(Tuple.of(device.id(), Times.db(now))).mapEmpty();
    }

    public Future<List<Device>> list(String number) {
        return db.pool().preparedQuery("SELECT " + DeviceRows.COLUMNS
                        + " FROM devices WHERE number = $1 AND unlinked_at IS NULL AND token_hash IS NOT NULL"
                        + " ORDER BY kind DESC, created_at, id")
                .execute(Tuple.of(number))
                .map(rows -> {
                    List<Device> out = new ArrayList<>();
                    rows.forEach(r -> out.add(DeviceRows.map(r)));
                    return out;
                });
    }

    /**
     * The primary may unlink any companion; a companion only itself. Devices of other numbers do not
     * exist here. When the number has a signed device list, the primary must send the new one with
     * the unlink ({@code list}: the remaining active devices, a higher version, signed by the account
     * key; 400 {@code device_list_required} without it), and both commit together. A companion
     * leaving on its own cannot sign for the account: the stored list turns stale until the primary
     * signs again.
     */
    public Future<Device> unlink(Device caller, String targetId, SignedDeviceList list) {
        byte[] statement = list == null ? null : DeviceLists.statement(caller.number(), list);
        return db.inTransaction(tx -> tx.lockNumbers(Set.of(caller.number()))
                .compose(v -> tx.query("SELECT " + DeviceRows.COLUMNS + " FROM devices WHERE id = $1 AND number = $2 AND unlinked_at IS NULL",
                        Tuple.of(targetId, caller.number())))
                .compose(rows -> {
                    if (rows.size() != 1) {
                        return Future.failedFuture(InboxException.notFound("device"));
                    }
                    Device target = DeviceRows.map(rows.iterator().next());
                    if (target.isPrimary()) {
                        return Future.failedFuture(InboxException.conflict("cannot_unlink_primary",
                                "the primary is replaced by enrolling a new one, not unlinked"));
                    }
                    boolean self = target.id().equals(caller.id());
                    if (!caller.isPrimary() && !self) {
                        return Future.failedFuture(InboxException.forbidden("forbidden", "only the primary can unlink other devices"));
                    }
                    String reason = self ? "logged_out" : "unlinked_by_primary";
                    Future<Void> listChecked = caller.isPrimary() ? checkUnlinkList(tx, caller, target, list, statement)
                            : Future.succeededFuture();
                    return listChecked
                            .compose(v -> unlinkWhere(tx, "id = $1", Tuple.of(target.id()), reason))
                            // Stored after the unlink, which marked the old list stale: the new one is current.
                            .compose(v -> caller.isPrimary() && list != null ? DeviceLists.store(tx, caller.number(), list)
                                    : Future.<Void>succeededFuture())
                            .map(target);
                }));
    }

    private static Future<Void> checkUnlinkList(Tx tx, Device primary, Device target, SignedDeviceList list, byte[] statement) {
        return DeviceLists.hasList(tx, primary.number()).compose(has -> {
            if (list == null) {
                return has ? Future.failedFuture(new InboxException(InboxException.Kind.INVALID, "device_list_required",
                        "the number has a signed device list: send the new one, without " + target.id() + ", as deviceList"))
                        : Future.succeededFuture();
            }
            return DeviceLists.currentPrimaryKey(tx, primary)
                    .compose(accountKey -> DeviceLists.check(tx, primary.number(), accountKey, list, statement, target.id(), null));
        });
    }

    /** Stores how far the device has synced (its ack); never moves backwards. */
    public Future<Void> acknowledge(Device device, long seq) {
        return db.pool().preparedQuery("UPDATE devices SET synced_seq = GREATEST(synced_seq, $2) WHERE id = $1")
                .execute(Tuple.of(device.id(), seq)).mapEmpty();
    }

    private static InboxException unauthorized() {
        return new InboxException(InboxException.Kind.UNAUTHORIZED, "unauthorized", "a valid device token is required");
    }
}
