package dev.switchboard.inbox.devices;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.persistence.Hashes;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Transactor;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Set;

/**
 * Linking a companion the WhatsApp-Web way: the new device asks for a link request and shows its
 * QR code, the primary scans and approves it, and the new device collects its token with the
 * secret only it knows. The token is minted at collection, so the server never holds it in clear
 * and it can be handed out only once.
 */
public final class LinkService {
    public static final String QR_PREFIX = "sblink:1:";

    public record Created(String linkId, String secret, String qr, Instant expiresAt) {}

    /** What the new device learns when it asks: status, and on approval its credentials. */
    public record Status(String status, String deviceId, String token, String number, String provisioning) {
        static Status of(String status) { return new Status(status, null, null, null, null); }
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
     * Unlinks approved companions that never collected their token within the link lifetime, so an
     * abandoned QR code does not hold one of the number's companion slots forever.
     */
    public Future<java.util.List<Device>> expireUncollected() {
        Instant cutoff = clock.instant().minus(policy.linkTtl());
        String where = "number = $1 AND kind = 'companion' AND token_hash IS NULL AND created_at < $2";
        return db.pool().preparedQuery("SELECT DISTINCT number FROM devices WHERE kind = 'companion' AND token_hash IS NULL"
                        + " AND unlinked_at IS NULL AND created_at < $1 ORDER BY number")
                .execute(Tuple.of(Times.db(cutoff)))
                .compose(rows -> {
                    java.util.List<Device> expired = new java.util.ArrayList<>();
                    Future<Void> chain = Future.succeededFuture();
                    for (Row r : rows) {
                        String number = r.getString(0);
                        chain = chain.compose(v -> db.inTransaction(tx -> tx.lockNumbers(Set.of(number))
                                .compose(x -> DeviceService.unlinkWhere(tx, where, Tuple.of(number, Times.db(cutoff)), "link_not_completed")))
                                .map(expired::addAll).mapEmpty());
                    }
                    return chain.map(expired);
                });
    }

    public Future<Created> create(String name, DeviceKeySet presented, String ephemeralKey) {
        DeviceKeySet keys = KeySignatures.require(presented);
        PublicKeys.require("ephemeralKey", ephemeralKey);
        String linkId = ids.next("lnk");
        String secret = ids.secret();
        return db.inTransaction(tx -> {
            Instant expires = tx.now().plus(policy.linkTtl());
            return tx.query("""
                    INSERT INTO link_requests (id, secret_hash, name, identity_key, encryption_key, ephemeral_key, status, created_at, expires_at,
                        encryption_key_id, encryption_key_signature)
                    VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, $10)""",
                    Tuple.of(linkId, Buffer.buffer(Hashes.sha256(secret)), name, keys.identityKey(), keys.encryptionKey(), ephemeralKey)
                            .addOffsetDateTime(Times.db(tx.now())).addOffsetDateTime(Times.db(expires))
                            .addString(keys.encryptionKeyId()).addString(keys.encryptionKeySignature()))
                    .map(new Created(linkId, secret, QR_PREFIX + linkId + ":" + ephemeralKey, expires));
        });
    }

    /** The primary approves a scanned request; the companion exists (without a token) from here on. */
    public Future<String> approve(Device primary, String linkId, String accountSignature, String provisioning) {
        if (!primary.isPrimary()) {
            return Future.failedFuture(InboxException.forbidden("forbidden", "only the primary device can approve a link"));
        }
        String deviceId = ids.next("dev");
        return db.inTransaction(tx -> tx.lockNumbers(Set.of(primary.number()))
                // Re-checked under the lock: a primary replaced a moment ago must not link anything.
                .compose(v -> tx.query("SELECT 1 FROM devices WHERE id = $1 AND kind = 'primary' AND unlinked_at IS NULL",
                        Tuple.of(primary.id())))
                .compose(still -> still.size() == 1 ? Future.<Void>succeededFuture()
                        : Future.failedFuture(new InboxException(InboxException.Kind.UNAUTHORIZED, "unauthorized", "this device is no longer linked")))
                .compose(v -> tx.query("SELECT * FROM link_requests WHERE id = $1 FOR UPDATE", Tuple.of(linkId)))
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
                    return tx.query("SELECT count(*) FROM devices WHERE number = $1 AND kind = 'companion' AND unlinked_at IS NULL",
                                    Tuple.of(primary.number()))
                            .compose(count -> {
                                if (count.iterator().next().getLong(0) >= policy.maxCompanions()) {
                                    return Future.failedFuture(InboxException.conflict("too_many_devices",
                                            "a number can have at most " + policy.maxCompanions() + " companion devices"));
                                }
                                return DeviceService.insertDevice(tx, deviceId, primary.number(), Device.Kind.COMPANION,
                                        link.getString("name"), new DeviceKeySet(link.getString("identity_key"), link.getString("encryption_key"),
                                                link.getString("encryption_key_id"), link.getString("encryption_key_signature")), null);
                            })
                            .compose(device -> tx.query("""
                                    UPDATE link_requests SET status = 'approved', number = $2, device_id = $3,
                                        account_signature = $4, provisioning = $5 WHERE id = $1""",
                                    Tuple.of(linkId, primary.number(), deviceId, accountSignature, provisioning)))
                            .map(deviceId);
                }));
    }

    /** Answers the new device; on the first ask after approval it mints and returns the token, never again. */
    public Future<Status> collect(String linkId, String secret) {
        return db.inTransaction(tx -> tx.query("SELECT * FROM link_requests WHERE id = $1 FOR UPDATE", Tuple.of(linkId))
                .compose(rows -> {
                    Row link = rows.size() == 1 ? rows.iterator().next() : null;
                    if (link == null || secret == null
                            || !Hashes.constantTimeEquals(link.getBuffer("secret_hash").getBytes(), Hashes.sha256(secret))) {
                        return Future.failedFuture(InboxException.notFound("link request"));
                    }
                    String status = link.getString("status");
                    if (status.equals("pending")) {
                        boolean expired = !tx.now().isBefore(Times.instant(link.getOffsetDateTime("expires_at")));
                        return Future.succeededFuture(Status.of(expired ? "expired" : "pending"));
                    }
                    if (status.equals("collected")) {
                        return Future.succeededFuture(Status.of("expired"));
                    }
                    String token = ids.secret();
                    String deviceId = link.getString("device_id");
                    return tx.query("UPDATE devices SET token_hash = $2 WHERE id = $1 AND unlinked_at IS NULL",
                                    Tuple.of(deviceId, Buffer.buffer(Hashes.sha256(token))))
                            .compose(updated -> tx.query("UPDATE link_requests SET status = 'collected', provisioning = NULL WHERE id = $1",
                                            Tuple.of(linkId))
                                    .map(v -> updated.rowCount() == 1
                                            ? new Status("approved", deviceId, token, link.getString("number"), link.getString("provisioning"))
                                            : Status.of("expired")));
                }));
    }

    /** Checks the secret and tells the status without handing anything out; unknown or wrong secret fails as not found. */
    public Future<String> peek(String linkId, String secret) {
        return db.pool().preparedQuery("SELECT secret_hash, status, expires_at FROM link_requests WHERE id = $1")
                .execute(Tuple.of(linkId))
                .compose(rows -> {
                    Row link = rows.size() == 1 ? rows.iterator().next() : null;
                    if (link == null || secret == null
                            || !Hashes.constantTimeEquals(link.getBuffer("secret_hash").getBytes(), Hashes.sha256(secret))) {
                        return Future.failedFuture(InboxException.notFound("link request"));
                    }
                    return Future.succeededFuture(link.getString("status"));
                });
    }

    /** The QR text of a link request, for rendering; empty when unknown. */
    public Future<String> qrText(String linkId) {
        return db.pool().preparedQuery("SELECT ephemeral_key FROM link_requests WHERE id = $1 AND status = 'pending'")
                .execute(Tuple.of(linkId))
                .compose(rows -> rows.size() == 1
                        ? Future.succeededFuture(QR_PREFIX + linkId + ":" + rows.iterator().next().getString(0))
                        : Future.failedFuture(InboxException.notFound("link request")));
    }
}
