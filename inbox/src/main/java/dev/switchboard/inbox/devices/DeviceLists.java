package dev.switchboard.inbox.devices;

import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.crypto.ListedDevice;
import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys other parties need to trust a number's devices: each device's signed encryption key,
 * and the device list its primary signs with the account key. The server checks what it stores
 * (signatures, a version that only goes up, a list that is exactly the active devices) but cannot
 * forge either: only devices hold private keys.
 */
public final class DeviceLists {
    /** What {@code GET /v1/keys/{number}} shows: the account key (the primary's identity key), the signed list, the devices. */
    public record Keys(String number, String accountKey, Optional<SignedDeviceList> list, List<Device> devices,
                       java.util.Map<String, LinkSignatures> signatures) {
        /** The link signatures of a device; both null for a primary (or a companion linked before they existed). */
        public LinkSignatures signaturesOf(String deviceId) {
            return signatures.getOrDefault(deviceId, new LinkSignatures(null, null));
        }
    }

    /** A companion's account signature (by the account key over its keys) and device signature (by its identity key). */
    public record LinkSignatures(String accountSignature, String deviceSignature) {}

    /** How far one list may move the version on: enough for any client, too little to exhaust the range. */
    static final long MAX_VERSION_STEP = 1_000;

    private final Transactor db;

    public DeviceLists(Transactor db) {
        this.db = db;
    }

    /**
     * Devices and list read from one snapshot, so a list stored meanwhile (a link or unlink committing
     * between the two reads) is never paired with the devices before it. Under READ COMMITTED each
     * statement would see its own snapshot; REPEATABLE READ gives the whole (read-only) transaction one.
     */
    public Future<Keys> keys(String number) {
        return db.inTransaction(tx -> tx.conn().query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
                .compose(v -> tx.query("SELECT 1 FROM numbers WHERE number = $1", Tuple.of(number))).compose(served -> {
            if (served.size() == 0) {
                return Future.failedFuture(InboxException.notFound("number"));
            }
            return tx.query("SELECT " + DeviceRows.COLUMNS + ", account_signature, device_signature FROM devices"
                                    + " WHERE number = $1 AND unlinked_at IS NULL ORDER BY id", Tuple.of(number))
                    .compose(rows -> {
                        List<Device> devices = new ArrayList<>();
                        rows.forEach(r -> devices.add(DeviceRows.map(r)));
                        String account = devices.stream().filter(Device::isPrimary).map(Device::identityKey).findFirst().orElse(null);
                        java.util.Map<String, LinkSignatures> signatures = new java.util.HashMap<>();
                        rows.forEach(r -> signatures.put(r.getString("id"),
                                new LinkSignatures(r.getString("account_signature"), r.getString("device_signature"))));
                        return tx.query("SELECT * FROM device_lists WHERE number = $1", Tuple.of(number))
                                .map(lists -> new Keys(number, account,
                                        lists.size() == 0 ? Optional.empty() : Optional.of(list(lists.iterator().next())), devices,
                                        signatures));
                    });
        }));
    }

    /**
     * Stores a list the primary signed. Refused: a caller that is not the primary (403), a signature
     * that does not verify with the account key (400), a version not above the stored one (409
     * {@code stale_version}), devices other than exactly the active ones with their current keys
     * (409 {@code list_mismatch}).
     */
    public Future<Long> publish(Device caller, SignedDeviceList list) {
        if (!caller.isPrimary()) {
            return Future.failedFuture(InboxException.forbidden("forbidden", "only the primary device signs the device list"));
        }
        byte[] statement = statement(caller.number(), list);
        return db.inTransaction(tx -> tx.lockNumbers(Set.of(caller.number()))
                .compose(v -> currentPrimaryKey(tx, caller))
                .compose(accountKey -> check(tx, caller.number(), accountKey, list, statement, null, null))
                .compose(v -> store(tx, caller.number(), list))
                .map(list.version()));
    }

    /**
     * Under the number's lock: the identity key of {@code caller}, provided it is still the number's
     * active primary (a primary replaced while this request waited must not sign for the number).
     */
    static Future<String> currentPrimaryKey(Tx tx, Device caller) {
        return tx.query("SELECT identity_key FROM devices WHERE id = $1 AND kind = 'primary' AND unlinked_at IS NULL",
                        Tuple.of(caller.id()))
                .compose(primary -> primary.size() == 1
                        ? Future.succeededFuture(primary.iterator().next().getString(0))
                        : Future.failedFuture(InboxException.forbidden("forbidden", "only the primary device signs the device list")));
    }

    /**
     * Shape checks (400 naming the field) and the canonical bytes the account key signed:
     * the {@code "sb.devlist.v1"} statement of {@code number}.
     */
    static byte[] statement(String number, SignedDeviceList list) {
        if (list.version() < 1) {
            throw InboxException.invalid("version", "must be at least 1");
        }
        KeySignatures.signature("signature", list.signature());
        List<ListedDevice> listed = new ArrayList<>();
        for (int i = 0; i < list.devices().size(); i++) {
            SignedDeviceList.Entry e = list.devices().get(i);
            PublicKeys.require("devices[" + i + "].identityKey", e.identityKey());
            PublicKeys.require("devices[" + i + "].encryptionKey", e.encryptionKey());
            if (!"primary".equals(e.kind()) && !"companion".equals(e.kind())) {
                throw InboxException.invalid("devices[" + i + "].kind", "must be primary or companion");
            }
            listed.add(new ListedDevice(e.deviceId(), KeySignatures.raw(e.identityKey()), KeySignatures.raw(e.encryptionKey()), e.kind()));
        }
        try {
            return Canonical.deviceList(number, list.version(), list.issuedAt(), listed);
        } catch (RuntimeException e) {
            throw InboxException.invalid("devices", "cannot be encoded: " + e.getMessage());
        }
    }

    /**
     * Under the number's lock, checks a list before it is stored: signed by {@code accountKey} (400
     * {@code invalid_signature}), a version above the stored one (409 {@code stale_version}) by at
     * most {@link #MAX_VERSION_STEP}, and exactly the active devices with their current keys (409
     * {@code list_mismatch}), where {@code leaveOut} (a device being unlinked with it) does not count
     * and {@code add} (a companion being linked with it) does.
     */
    static Future<Void> check(Tx tx, String number, String accountKey, SignedDeviceList list, byte[] statement,
                              String leaveOut, SignedDeviceList.Entry add) {
        if (!Ed25519.verify(KeySignatures.raw(accountKey), statement, KeySignatures.raw(list.signature()))) {
            return Future.failedFuture(new InboxException(InboxException.Kind.INVALID, "invalid_signature",
                    "signature: does not verify with the account key over the device list"));
        }
        return tx.query("SELECT version FROM device_lists WHERE number = $1", Tuple.of(number))
                .compose(current -> {
                    long stored = current.size() == 0 ? 0 : current.iterator().next().getLong(0);
                    if (list.version() <= stored) {
                        return Future.failedFuture(staleVersion(stored));
                    }
                    // Versions only go up, so one absurd jump would lock every later list out.
                    if (list.version() > stored + MAX_VERSION_STEP) {
                        return Future.failedFuture(InboxException.invalid("version",
                                "may be at most " + MAX_VERSION_STEP + " above the stored version " + stored));
                    }
                    return tx.query("SELECT " + DeviceRows.COLUMNS + " FROM devices WHERE number = $1 AND unlinked_at IS NULL",
                            Tuple.of(number));
                })
                .compose(active -> {
                    Set<String> have = new TreeSet<>();
                    active.forEach(r -> {
                        Device d = DeviceRows.map(r);
                        if (!d.id().equals(leaveOut)) {
                            have.add(fingerprint(d.id(), d.identityKey(), d.encryptionKey(), d.kind().wire()));
                        }
                    });
                    if (add != null) {
                        have.add(fingerprint(add.deviceId(), add.identityKey(), add.encryptionKey(), add.kind()));
                    }
                    Set<String> listedPrints = new TreeSet<>();
                    list.devices().forEach(e -> listedPrints.add(fingerprint(e.deviceId(), e.identityKey(), e.encryptionKey(), e.kind())));
                    if (!have.equals(listedPrints)) {
                        return Future.failedFuture(listMismatch(idsOf(have, listedPrints), idsOf(listedPrints, have)));
                    }
                    return Future.<Void>succeededFuture();
                });
    }

    /** Stores a checked list as the number's current one (not stale) and tells the number's devices. */
    static Future<Void> store(Tx tx, String number, SignedDeviceList list) {
        return tx.query("""
                        INSERT INTO device_lists (number, version, issued_at, devices, signature, stale, stored_at)
                        VALUES ($1, $2, $3, $4, $5, FALSE, $6)
                        ON CONFLICT (number) DO UPDATE SET version = EXCLUDED.version, issued_at = EXCLUDED.issued_at,
                            devices = EXCLUDED.devices, signature = EXCLUDED.signature, stale = FALSE, stored_at = EXCLUDED.stored_at""",
                        Tuple.of(number, list.version(), list.issuedAt(), devicesJson(list.devices()), list.signature(),
                                Times.db(tx.now())))
                .compose(v -> tx.emit(number, SyncEvent.DEVICE_LIST_UPDATED,
                        new JsonObject().put("number", number).put("version", list.version())))
                .mapEmpty();
    }

    /** Whether the number has a stored list (stale or not): then every unlink by the primary must carry a new one. */
    static Future<Boolean> hasList(Tx tx, String number) {
        return tx.query("SELECT 1 FROM device_lists WHERE number = $1", Tuple.of(number)).map(rows -> rows.size() == 1);
    }

    /** A list as JSON (version, issuedAt, devices sorted by id, signature), for keeping it until a link completes. */
    static JsonObject toJson(SignedDeviceList list) {
        return new JsonObject().put("version", list.version()).put("issuedAt", list.issuedAt())
                .put("devices", devicesJson(list.devices())).put("signature", list.signature());
    }

    static SignedDeviceList fromJson(JsonObject json) {
        return new SignedDeviceList(json.getLong("version"), json.getLong("issuedAt"), entries(json.getJsonArray("devices")),
                json.getString("signature"), false);
    }

    /**
     * A device replaces its encryption key (the identity key stays). The new key is signed by the
     * identity key and has a new id, so senders can tell it from the old one.
     */
    public Future<Device> rotate(Device device, String encryptionKey, String encryptionKeyId, String signature) {
        DeviceKeySet keys = KeySignatures.require(new DeviceKeySet(device.identityKey(), encryptionKey, encryptionKeyId, signature));
        if (keys.encryptionKeyId().equals(device.encryptionKeyId())) {
            return Future.failedFuture(InboxException.conflict("key_id_unchanged", "a new encryption key needs a new encryptionKeyId"));
        }
        return db.inTransaction(tx -> tx.lockNumbers(Set.of(device.number()))
                .compose(v -> tx.query("""
                        UPDATE devices SET encryption_key = $2, encryption_key_id = $3, encryption_key_signature = $4
                        WHERE id = $1 AND unlinked_at IS NULL AND encryption_key_id <> $3 RETURNING\s""" + DeviceRows.COLUMNS,
                        Tuple.of(device.id(), keys.encryptionKey(), keys.encryptionKeyId(), keys.encryptionKeySignature())))
                .compose(rows -> rows.size() == 0
                        ? Future.failedFuture(InboxException.conflict("key_id_unchanged",
                                "the device is no longer linked, or its key already has this id"))
                        : Future.succeededFuture(DeviceRows.map(rows.iterator().next())))
                .compose(updated -> markStale(tx, device.number())
                        .compose(v -> tx.emit(device.number(), SyncEvent.DEVICE_UPDATED, DeviceRows.toJson(updated)))
                        .map(updated)));
    }

    /** The set of devices changed: the stored list no longer describes it until the primary signs again. */
    static Future<Void> markStale(Tx tx, String number) {
        return tx.query("UPDATE device_lists SET stale = TRUE WHERE number = $1", Tuple.of(number)).mapEmpty();
    }

    private static String fingerprint(String id, String identityKey, String encryptionKey, String kind) {
        return id + "\n" + identityKey + "\n" + encryptionKey + "\n" + kind;
    }

    private static List<String> idsOf(Set<String> in, Set<String> notIn) {
        return in.stream().filter(p -> !notIn.contains(p)).map(p -> p.substring(0, p.indexOf('\n'))).distinct().sorted().toList();
    }

    private static JsonArray devicesJson(List<SignedDeviceList.Entry> devices) {
        JsonArray out = new JsonArray();
        devices.stream().sorted(java.util.Comparator.comparing(SignedDeviceList.Entry::deviceId)).forEach(e -> out.add(new JsonObject()
                .put("deviceId", e.deviceId()).put("identityKey", e.identityKey()).put("encryptionKey", e.encryptionKey()).put("kind", e.kind())));
        return out;
    }

    private static SignedDeviceList list(Row r) {
        return new SignedDeviceList(r.getLong("version"), r.getLong("issued_at"), entries((JsonArray) r.getValue("devices")),
                r.getString("signature"), r.getBoolean("stale"));
    }

    private static List<SignedDeviceList.Entry> entries(JsonArray stored) {
        List<SignedDeviceList.Entry> entries = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            JsonObject e = stored.getJsonObject(i);
            entries.add(new SignedDeviceList.Entry(e.getString("deviceId"), e.getString("identityKey"), e.getString("encryptionKey"),
                    e.getString("kind")));
        }
        return entries;
    }

    /** 409 {@code stale_version}, with {@code currentVersion}: the stored list is already at that version or higher. */
    static InboxException staleVersion(long currentVersion) {
        return new InboxException(InboxException.Kind.CONFLICT, "stale_version",
                "the device list is already at version " + currentVersion + "; sign a higher one", java.util.Map.of("currentVersion", currentVersion));
    }

    /** 409 {@code list_mismatch}, with the device ids missing from the list and those it has in excess. */
    static InboxException listMismatch(List<String> missingDevices, List<String> extraDevices) {
        return new InboxException(InboxException.Kind.CONFLICT, "list_mismatch",
                "the list does not match the number's active devices and their keys",
                java.util.Map.of("missingDevices", missingDevices, "extraDevices", extraDevices));
    }
}
