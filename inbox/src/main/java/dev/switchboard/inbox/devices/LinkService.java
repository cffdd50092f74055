package dev.switchboard.inbox.devices;

import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.persistence.Hashes;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Set;

/**
 * Linking a companion by QR code, in three steps:
 * <ol>
 *   <li>{@link #create}: the new device registers its keys and an ephemeral key and gets a link
 *       id, its reserved device id and a collection secret. Its QR code carries a linking secret
 *       the server never sees.</li>
 *   <li>{@link #approve}: the primary, having read the QR code and checked {@link #details}, sends
 *       the account signature over the companion's keys, the new signed device list and the
 *       provisioning message sealed to the ephemeral key with the linking secret (HPKE PSK mode).
 *       The server checks what it can (signatures, list) and stores them; no device exists yet.</li>
 *   <li>{@link #complete}: the companion opened the provisioning, checked it, and signs the account
 *       key back. Only then is the device inserted, the list made current and the token minted
 *       (stored hashed, handed out once).</li>
 * </ol>
 */
public final class LinkService {

    public record Created(String linkId, String deviceId, String secret, Instant expiresAt) {}

    /** What the new device learns when it asks: the status and, once approved, the sealed provisioning. */
    public record Status(String status, String deviceId, String number, String provisioning) {
        static Status of(String status) { return new Status(status, null, null, null); }
    }

    /** What the primary sees of a scanned request before it approves it. */
    public record Details(String linkId, String deviceId, String name, DeviceKeySet keys, String ephemeralKey,
                          Instant expiresAt, String status) {}

    /** A completed link: the companion's credentials, handed out once. */
    public record Completed(String deviceId, String token, String number) {
        @Override
        public String toString() {
            return "Completed[deviceId=" + deviceId + ", number=" + number + ", token=[REDACTED]]";
        }
    }

    private final Transactor db;
    private final Ids ids;
    private final DevicePolicy policy;
    private final java.time.Clock clock;

    public LinkService(Transactor db, Ids ids, DevicePolicy policy, java.time.Clock clock) {
        this.db = db;
        this.ids = ids;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Drops the sealed provisioning and pending list of approvals whose companion never completed
     * within the link lifetime: they hold no slot (no device exists before completion), but there is
     * no reason to keep them.
     *
     * @return how many approvals were abandoned
     */
    public Future<Integer> expireUncollected() {
        return db.pool().preparedQuery("UPDATE link_requests SET provisioning = NULL, pending_list = NULL"
                        + " WHERE status = 'approved' AND expires_at <= $1 AND (provisioning IS NOT NULL OR pending_list IS NOT NULL)")
                .execute(Tuple.of(Times.db(clock.instant())))
                .map(rows -> rows.rowCount());
    }

    public Future<Created> create(String name, DeviceKeySet presented, String ephemeralKey) {
        DeviceKeySet keys = KeySignatures.require(presented);
        PublicKeys.require("ephemeralKey", ephemeralKey);
        String linkId = ids.next("lnk");
        String deviceId = ids.next("dev");
        String secret = ids.secret();
        return db.inTransaction(tx -> {
            Instant expires = tx.now().plus(policy.linkTtl());
            return tx.query("""
                    INSERT INTO link_requests (id, secret_hash, name, identity_key, encryption_key, ephemeral_key, status, created_at, expires_at,
                        encryption_key_id, encryption_key_signature, device_id)
                    VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, $10, $11)""",
                    Tuple.of(linkId, Buffer.buffer(Hashes.sha256(secret)), name, keys.identityKey(), keys.encryptionKey(), ephemeralKey)
                            .addOffsetDateTime(Times.db(tx.now())).addOffsetDateTime(Times.db(expires))
                            .addString(keys.encryptionKeyId()).addString(keys.encryptionKeySignature()).addString(deviceId))
                    .map(new Created(linkId, deviceId, secret, expires));
        });
    }

    /**
     * A request as the primary that scanned it sees it, to compare with the QR code before it signs
     * anything. Only a primary may look; a request approved for another number does not exist for it.
     */
    public Future<Details> details(Device primary, String linkId) {
        if (!primary.isPrimary()) {
            return Future.failedFuture(InboxException.forbidden("forbidden", "only the primary device can approve a link"));
        }
        return db.pool().preparedQuery("SELECT * FROM link_requests WHERE id = $1").execute(Tuple.of(linkId)).compose(rows -> {
            Row link = rows.size() == 1 ? rows.iterator().next() : null;
            if (link == null || (link.getString("number") != null && !link.getString("number").equals(primary.number()))) {
                return Future.failedFuture(InboxException.notFound("link request"));
            }
            Instant expires = Times.instant(link.getOffsetDateTime("expires_at"));
            String status = link.getString("status");
            if (!status.equals("collected") && !clock.instant().isBefore(expires)) {
                status = "expired";
            }
            return Future.succeededFuture(new Details(linkId, link.getString("device_id"), link.getString("name"), keysOf(link),
                    link.getString("ephemeral_key"), expires, status));
        });
    }

    /**
     * The primary approves a scanned request. Checked under the number's lock: the caller is still the
     * primary; the request is pending and not expired; a companion slot is free; the account signature
     * verifies with the primary's identity key over the companion's keys (400
     * {@code invalid_account_signature}); the list is signed by the account key (400
     * {@code invalid_signature}), above the stored version (409 {@code stale_version}) and lists the
     * active devices plus this companion (409 {@code list_mismatch}). The companion then has a fresh
     * link lifetime to complete.
     */
    public Future<String> approve(Device primary, String linkId, String accountSignature, SignedDeviceList list, String provisioning) {
        if (!primary.isPrimary()) {
            return Future.failedFuture(InboxException.forbidden("forbidden", "only the primary device can approve a link"));
        }
        byte[] signature = KeySignatures.signature("accountSignature", accountSignature);
        byte[] listStatement = DeviceLists.statement(primary.number(), list);
        return db.inTransaction(tx -> tx.lockNumbers(Set.of(primary.number()))
                // Re-checked under the lock: a primary replaced a moment ago must not link anything.
                .compose(v -> tx.query("SELECT identity_key FROM devices WHERE id = $1 AND kind = 'primary' AND unlinked_at IS NULL",
                        Tuple.of(primary.id())))
                .compose(still -> still.size() == 1 ? Future.succeededFuture(still.iterator().next().getString(0))
                        : Future.<String>failedFuture(new InboxException(InboxException.Kind.UNAUTHORIZED, "unauthorized",
                                "this device is no longer linked")))
                .compose(accountKey -> tx.query("SELECT * FROM link_requests WHERE id = $1 FOR UPDATE", Tuple.of(linkId))
                        .compose(rows -> {
                            if (rows.size() != 1) {
                                return Future.failedFuture(InboxException.notFound("link request"));
                            }
                            Row link = rows.iterator().next();
                            if (!"pending".equals(link.getString("status"))) {
                                return Future.failedFuture(InboxException.conflict("link_not_pending", "the link request was already approved"));
                            }
                            if (!tx.now().isBefore(Times.instant(link.getOffsetDateTime("expires_at")))) {
                                return Future.failedFuture(InboxException.conflict("link_expired", "the link request expired; show a new QR code"));
                            }
                            String deviceId = link.getString("device_id");
                            DeviceKeySet keys = keysOf(link);
                            return requireFreeSlot(tx, primary.number())
                                    .compose(v -> {
                                        byte[] statement = Canonical.accountSignatureStatement(primary.number(), deviceId,
                                                KeySignatures.raw(keys.identityKey()), KeySignatures.raw(keys.encryptionKey()));
                                        if (!Ed25519.verify(KeySignatures.raw(accountKey), statement, signature)) {
                                            return Future.failedFuture(new InboxException(InboxException.Kind.INVALID, "invalid_account_signature",
                                                    "accountSignature: does not verify with the account key over the companion's keys"));
                                        }
                                        return DeviceLists.check(tx, primary.number(), accountKey, list, listStatement, null, companionEntry(deviceId, keys));
                                    })
                                    .compose(v -> tx.query("""
                                            UPDATE link_requests SET status = 'approved', number = $2, account_signature = $3, provisioning = $4,
                                                pending_list = $5, account_key = $6, expires_at = $7 WHERE id = $1""",
                                            Tuple.of(linkId, primary.number(), accountSignature, provisioning, DeviceLists.toJson(list), accountKey)
                                                    .addOffsetDateTime(Times.db(tx.now().plus(policy.linkTtl())))))
                                    .map(deviceId);
                        })));
    }

    /**
     * What the new device sees when it asks with its collection secret: {@code pending},
     * {@code expired} (also once completed), or {@code approved} with its number, device id and the
     * sealed provisioning. Nothing is handed out here: the token comes from {@link #complete}.
     */
    public Future<Status> status(String linkId, String secret) {
        return load(linkId, secret).map(link -> {
            String status = link.getString("status");
            boolean expired = !clock.instant().isBefore(Times.instant(link.getOffsetDateTime("expires_at")));
            if (status.equals("collected") || expired) {
                return Status.of("expired");
            }
            if (status.equals("pending")) {
                return Status.of("pending");
            }
            return new Status("approved", link.getString("device_id"), link.getString("number"), link.getString("provisioning"));
        });
    }

    /**
     * The companion completes an approved link with its device signature over the account key and
     * its own keys (400 {@code invalid_device_signature}). Under the number's lock the pending list is
     * checked again against the devices now (409 {@code link_outdated} when the number changed since
     * the approval), and a slot must still be free; then the device is inserted with both signatures,
     * the list becomes current and the token is minted, handed out this once.
     */
    public Future<Completed> complete(String linkId, String secret, String deviceSignature) {
        byte[] signature = KeySignatures.signature("deviceSignature", deviceSignature);
        return load(linkId, secret).compose(first -> {
            String number = first.getString("number");
            if (number == null || !"approved".equals(first.getString("status"))) {
                return Future.failedFuture(notApproved(first.getString("status")));
            }
            return db.inTransaction(tx -> tx.lockNumbers(Set.of(number))
                    .compose(v -> tx.query("SELECT * FROM link_requests WHERE id = $1 FOR UPDATE", Tuple.of(linkId)))
                    .compose(rows -> {
                        Row link = rows.iterator().next();
                        if (!"approved".equals(link.getString("status"))) {
                            return Future.failedFuture(notApproved(link.getString("status")));
                        }
                        if (!tx.now().isBefore(Times.instant(link.getOffsetDateTime("expires_at")))) {
                            return Future.failedFuture(InboxException.conflict("link_expired",
                                    "the approval expired before the link was completed; show a new QR code"));
                        }
                        DeviceKeySet keys = keysOf(link);
                        String accountKey = link.getString("account_key");
                        byte[] statement = Canonical.deviceSignatureStatement(KeySignatures.raw(accountKey),
                                KeySignatures.raw(keys.identityKey()), KeySignatures.raw(keys.encryptionKey()));
                        if (!Ed25519.verify(KeySignatures.raw(keys.identityKey()), statement, signature)) {
                            return Future.failedFuture(new InboxException(InboxException.Kind.INVALID, "invalid_device_signature",
                                    "deviceSignature: does not verify with the companion's identity key over the account key and its keys"));
                        }
                        return completeChecked(tx, link, number, keys, accountKey, deviceSignature);
                    }));
        });
    }

    private Future<Completed> completeChecked(Tx tx, Row link, String number, DeviceKeySet keys, String accountKey,
                                              String deviceSignature) {
        String deviceId = link.getString("device_id");
        SignedDeviceList list = DeviceLists.fromJson((JsonObject) link.getValue("pending_list"));
        String token = ids.secret();
        return tx.query("SELECT identity_key FROM devices WHERE number = $1 AND kind = 'primary' AND unlinked_at IS NULL",
                        Tuple.of(number))
                .compose(primary -> {
                    if (primary.size() != 1 || !accountKey.equals(primary.iterator().next().getString(0))) {
                        return Future.failedFuture(outdated("the number has another primary since the approval"));
                    }
                    return DeviceLists.check(tx, number, accountKey, list, DeviceLists.statement(number, list), null,
                                    companionEntry(deviceId, keys))
                            .recover(e -> Future.failedFuture(e instanceof InboxException ie && Set.of("stale_version", "list_mismatch",
                                    "invalid_signature").contains(ie.code()) ? outdated(ie.getMessage()) : e));
                })
                .compose(v -> requireFreeSlot(tx, number))
                .compose(v -> DeviceService.insertDevice(tx, deviceId, number, Device.Kind.COMPANION, link.getString("name"), keys,
                        Hashes.sha256(token), link.getString("account_signature"), deviceSignature))
                .compose(v -> DeviceLists.store(tx, number, list))
                .compose(v -> tx.query("UPDATE link_requests SET status = 'collected', provisioning = NULL, pending_list = NULL WHERE id = $1",
                        Tuple.of(link.getString("id"))))
                .map(v -> new Completed(deviceId, token, number));
    }

    /** Checks the collection secret (constant time); unknown request or wrong secret both fail as not found. */
    private Future<Row> load(String linkId, String secret) {
        return db.pool().preparedQuery("SELECT * FROM link_requests WHERE id = $1")
                .execute(Tuple.of(linkId))
                .compose(rows -> {
                    Row link = rows.size() == 1 ? rows.iterator().next() : null;
                    if (link == null || secret == null
                            || !Hashes.constantTimeEquals(link.getBuffer("secret_hash").getBytes(), Hashes.sha256(secret))) {
                        return Future.failedFuture(InboxException.notFound("link request"));
                    }
                    return Future.succeededFuture(link);
                });
    }

    /** Checks the secret and tells the status without handing anything out; unknown or wrong secret fails as not found. */
    public Future<String> peek(String linkId, String secret) {
        return status(linkId, secret).map(Status::status);
    }

    private Future<Void> requireFreeSlot(Tx tx, String number) {
        return tx.query("SELECT count(*) FROM devices WHERE number = $1 AND kind = 'companion' AND unlinked_at IS NULL",
                        Tuple.of(number))
                .compose(count -> count.iterator().next().getLong(0) >= policy.maxCompanions()
                        ? Future.failedFuture(InboxException.conflict("too_many_devices",
                                "a number can have at most " + policy.maxCompanions() + " companion devices"))
                        : Future.succeededFuture());
    }

    private static DeviceKeySet keysOf(Row link) {
        return new DeviceKeySet(link.getString("identity_key"), link.getString("encryption_key"),
                link.getString("encryption_key_id"), link.getString("encryption_key_signature"));
    }

    private static SignedDeviceList.Entry companionEntry(String deviceId, DeviceKeySet keys) {
        return new SignedDeviceList.Entry(deviceId, keys.identityKey(), keys.encryptionKey(), Device.Kind.COMPANION.wire());
    }

    private static InboxException notApproved(String status) {
        return "collected".equals(status)
                ? InboxException.conflict("link_completed", "the link was already completed")
                : InboxException.conflict("link_not_approved", "the primary has not approved the link request yet");
    }

    private static InboxException outdated(String why) {
        return InboxException.conflict("link_outdated", "the number's devices changed since the approval (" + why
                + "); ask the primary to approve a new QR code");
    }
}
