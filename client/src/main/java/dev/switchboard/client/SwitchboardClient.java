package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.ListedDevice;
import dev.switchboard.crypto.RawKeyPair;
import dev.switchboard.crypto.X25519;
import java.security.SecureRandom;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;

/**
 * A device's view of the gateway's API. Instances are immutable and thread-safe; an unauthenticated
 * client can enroll a primary or start linking, and {@link #withCredentials} gives the same
 * connection pool to an authenticated one. Calls block; every non-2xx answer becomes a
 * {@link SwitchboardApiException}, an unreachable gateway an {@link java.io.UncheckedIOException}.
 */
public final class SwitchboardClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LINK_POLL_INTERVAL = Duration.ofMillis(250);
    private static final int MAX_PAGE = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiTransport api;
    private final DeviceCredentials credentials;
    /** This device's keys, when given ({@link #withKeys}): a primary then signs the device list when it unlinks. */
    private final DeviceKeys keys;
    /** The last device list this primary signed that the gateway took ({@link #withSignedListStore}). */
    private final SignedListStore signedLists;

    public SwitchboardClient(URI server) {
        this(server, defaultHttpClient());
    }

    /** For callers that manage their own {@link HttpClient} (proxies, TLS, executors). */
    public SwitchboardClient(URI server, HttpClient http) {
        this(new ApiTransport(http, checkServer(server), null), null, null, SignedListStore.inMemory());
    }

    private SwitchboardClient(ApiTransport api, DeviceCredentials credentials, DeviceKeys keys, SignedListStore signedLists) {
        this.api = api;
        this.credentials = credentials;
        this.keys = keys;
        this.signedLists = signedLists;
    }

    public SwitchboardClient withCredentials(DeviceCredentials c) {
        Objects.requireNonNull(c, "credentials");
        return new SwitchboardClient(api.withToken(c.token()), c, keys, signedLists);
    }

    /**
     * The same client, knowing this device's keys: {@link #unlink(String)} on a primary then signs
     * the new device list itself.
     */
    public SwitchboardClient withKeys(DeviceKeys deviceKeys) {
        Objects.requireNonNull(deviceKeys, "deviceKeys");
        return new SwitchboardClient(api, credentials, deviceKeys, signedLists);
    }

    /**
     * The same client, keeping the record of the last device list this primary signed in
     * {@code store} ({@link DeviceFolder#signedListStore()} keeps it on disk). Before it signs a list
     * ({@link #approveLink}, {@link #unlink}, {@link #publishDeviceList}) a primary checks the list
     * the gateway shows against it, and refuses an older one (a rollback, which may still list a
     * device unlinked since) or another one with the same version. A client made with a constructor
     * keeps it in memory, shared with the clients derived from it.
     */
    public SwitchboardClient withSignedListStore(SignedListStore store) {
        Objects.requireNonNull(store, "store");
        return new SwitchboardClient(api, credentials, keys, store);
    }

    public Optional<DeviceCredentials> credentials() {
        return Optional.ofNullable(credentials);
    }

    public URI server() {
        return api.server();
    }

    // --- enrolment and linking ---------------------------------------------------------------

    /**
     * Enrolls this device as the number's primary with an enrolment code. The encryption key is
     * registered as key {@value DeviceKeys#FIRST_ENCRYPTION_KEY_ID}, signed by the identity key.
     */
    public DeviceCredentials enrollPrimary(String number, String code, String name, DeviceKeys keys) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("number", number)
                .put("code", code)
                .put("name", name)
                .put("identityKey", keys.identityKeyB64())
                .put("encryptionKey", keys.encryptionKeyB64())
                .put("encryptionKeyId", DeviceKeys.FIRST_ENCRYPTION_KEY_ID)
                .put("encryptionKeySignature", keys.encryptionKeySignatureB64());
        JsonNode answer = api.post("/v1/devices/primary", body);
        String enrolled = Json.optionalText(answer, "number");
        return new DeviceCredentials(enrolled != null ? enrolled : number,
                Json.requiredText(answer, "deviceId"), Json.requiredText(answer, "token"));
    }

    /**
     * Starts linking this (new) device: generates an ephemeral X25519 key pair and a 32-byte linking
     * secret here, registers the device's keys and the ephemeral key, and returns the request with
     * its QR text ({@link LinkRequest#qr()}, which carries the linking secret: the server never sees
     * it). Show the QR code to the primary, then {@link #awaitLink}.
     */
    public LinkRequest createLinkRequest(String name, DeviceKeys keys) {
        RawKeyPair ephemeral = X25519.generate();
        byte[] linkingSecret = new byte[LinkQr.LINKING_SECRET_BYTES];
        RANDOM.nextBytes(linkingSecret);
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("name", name)
                .put("identityKey", keys.identityKeyB64())
                .put("encryptionKey", keys.encryptionKeyB64())
                .put("encryptionKeyId", DeviceKeys.FIRST_ENCRYPTION_KEY_ID)
                .put("encryptionKeySignature", keys.encryptionKeySignatureB64())
                .put("ephemeralKey", Base64Url.encode(ephemeral.publicKey()));
        JsonNode answer = api.post("/v1/link-requests", body);
        return new LinkRequest(Json.requiredText(answer, "linkId"), Json.requiredText(answer, "deviceId"),
                Json.requiredText(answer, "secret"), Json.instant(answer, "expiresAt"), keys, ephemeral, linkingSecret);
    }

    /** One look at the request: {@code {"status":"pending"|"expired"|"approved",...}}. */
    public JsonNode pollLink(LinkRequest req) {
        return api.get("/v1/link-requests/" + ApiTransport.segment(req.linkId())
                + ApiTransport.query("secret", req.secret()));
    }

    /**
     * Waits for the primary's approval and completes the link: opens the sealed provisioning message
     * with this request's linking secret, checks it (account signature over this device's keys, a
     * device list signed by the account key listing this device), signs the account key back and
     * collects the token. The server hands the token out exactly once, so the result must be saved
     * before anything else can fail; seed the trust store with {@link Provisioning#trust}.
     *
     * @throws LinkRefusedException when the provisioning does not open or does not hold: the link is
     *         not completed
     * @throws SwitchboardApiException 409 {@code link_expired} when the request expired first;
     *         409 {@code link_outdated} when the number's devices changed since the approval
     * @throws IllegalStateException when {@code timeout} passes while still pending
     */
    public LinkedDevice awaitLink(LinkRequest req, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode state = pollLink(req);
            String status = state.path("status").asText();
            switch (status) {
                case "approved":
                    return complete(req, state);
                case "expired":
                    throw new SwitchboardApiException(409, "link_expired",
                            "link request " + req.linkId() + " expired before it was approved");
                case "pending":
                    break;
                default:
                    throw new IllegalStateException("unexpected link request status '" + status + "'");
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new IllegalStateException("no approval for link request " + req.linkId() + " within " + timeout);
            }
            pause(Math.min(remaining, LINK_POLL_INTERVAL.toNanos()));
        }
    }

    /** {@link #awaitLink}, keeping only the credentials. */
    public DeviceCredentials awaitApproval(LinkRequest req, Duration timeout) {
        return awaitLink(req, timeout).credentials();
    }

    private LinkedDevice complete(LinkRequest req, JsonNode state) {
        String number = Json.requiredText(state, "number");
        String deviceId = Json.requiredText(state, "deviceId");
        if (!deviceId.equals(req.deviceId())) {
            throw new LinkRefusedException("the server approved link request " + req.linkId() + " for device " + deviceId
                    + ", not the reserved " + req.deviceId() + "; link refused");
        }
        Provisioning provisioning = LinkProtocol.open(req, number, Json.optionalText(state, "provisioning"));
        byte[] deviceSignature = LinkProtocol.deviceSignature(req.keys(), provisioning.rawAccountKey());
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("secret", req.secret())
                .put("deviceSignature", Base64Url.encode(deviceSignature));
        JsonNode answer = api.post("/v1/link-requests/" + ApiTransport.segment(req.linkId()) + "/complete", body);
        DeviceCredentials credentials = new DeviceCredentials(Json.requiredText(answer, "number"),
                Json.requiredText(answer, "deviceId"), Json.requiredText(answer, "token"));
        return new LinkedDevice(credentials, provisioning);
    }

    /**
     * {@link #approveLink(String, DeviceKeys, ApprovedDevices, HistoryPointer)} with no approvals
     * recorded besides the companions the number's stored device list (signed by this account key)
     * already holds, and no history.
     */
    public String approveLink(String qrText, DeviceKeys primaryKeys) {
        return approveLink(qrText, primaryKeys, ApprovedDevices.none(), null);
    }

    /**
     * Approves a scanned link QR code as the primary. Checks that the request the server shows has
     * the QR code's identity and ephemeral keys and a signed encryption key; signs the companion's
     * keys with the account key; signs a new device list (the devices this primary may sign, see
     * {@link #publishDeviceList}, plus the companion, one version up); and seals the provisioning
     * message (number, account key and signature, the list, {@code history}) to the QR code's
     * ephemeral key under its linking secret. Companions in {@code approved} or in the stored list
     * signed by this account key count as approved, provided that the stored list is not older than
     * the last one this primary signed ({@link #withSignedListStore}); the new list gets version
     * max(stored, last signed) + 1. Record the returned id ({@link DeviceFolder#recordApproved}).
     *
     * @param history where the companion finds this primary's history bundle, or null
     * @return the new companion's device id
     * @throws IllegalArgumentException if {@code qrText} is not a Switchboard link code
     * @throws LinkRefusedException when the server's request does not match the QR code
     * @throws KeyVerificationException when the number shows a device this primary may not sign, or
     *         a device list older than the last one this primary signed ({@code ROLLBACK}) or another
     *         one with the same version ({@code EQUIVOCATION})
     * @throws SwitchboardApiException e.g. 409 {@code too_many_devices}, {@code link_expired},
     *         {@code stale_version} or {@code list_mismatch} (the devices changed meanwhile: try again)
     */
    public String approveLink(String qrText, DeviceKeys primaryKeys, ApprovedDevices approved, HistoryPointer history) {
        return approveLinkWithHistory(qrText, primaryKeys, approved, () -> history);
    }

    /**
     * {@link #approveLink(String, DeviceKeys, ApprovedDevices, HistoryPointer)}, asking
     * {@code history} for the history pointer only once every check passed (the request the server
     * shows matches the QR code, the stored device list is not a rollback): a history bundle is
     * then exported and uploaded only for a companion that is about to be approved. {@code history}
     * may return null (no history).
     */
    public String approveLinkWithHistory(String qrText, DeviceKeys primaryKeys, ApprovedDevices approved,
            java.util.function.Supplier<HistoryPointer> history) {
        Objects.requireNonNull(history, "history");
        LinkQr qr = LinkQr.parse(qrText);
        Objects.requireNonNull(primaryKeys, "primaryKeys");
        Objects.requireNonNull(approved, "approved");
        DeviceCredentials self = requireCredentials();
        String number = requireNumber(self);
        JsonNode details = api.get("/v1/link-requests/" + ApiTransport.segment(qr.linkId()) + "/details");
        ListedDevice companion = LinkProtocol.checkDetails(qr, details);
        JsonNode keysAnswer = api.get("/v1/keys/" + ApiTransport.segment(number));
        OwnDeviceList.Base base = ownListBase(number, primaryKeys, keysAnswer);
        ObjectNode body = LinkProtocol.approval(number, self.deviceId(), primaryKeys, approved.union(base.listed()), qr,
                companion, keysAnswer, base.nextVersion(), history.get());
        JsonNode answer = api.post("/v1/link-requests/" + ApiTransport.segment(qr.linkId()) + "/approve", body);
        return Json.requiredText(answer, "deviceId");
    }

    // --- keys and device lists ----------------------------------------------------------------

    /**
     * Replaces this device's encryption key: {@code identityAndNewEncryption} is this device's
     * identity with the new encryption key pair ({@link DeviceKeys#withNewEncryptionKey()}), signed
     * here by the identity key. The number's signed device list turns stale until its primary
     * publishes a new one. This call keeps nothing: prefer {@link #rotateEncryptionKey(DeviceFolder, String)},
     * which saves the new private key before asking the gateway, so that a crash cannot lose a key
     * the gateway already took. Otherwise keep the new key (and the old one, for late messages) once
     * this returns: {@link DeviceFolder#saveRotatedEncryptionKey}.
     *
     * @param keyId the new key's id, 1 to 64 of {@code [A-Za-z0-9_-]}, different from the current one
     * @return the key id the gateway now lists for this device
     * @throws SwitchboardApiException 409 {@code key_id_unchanged} when {@code keyId} is the current
     *         id; 400 {@code invalid_signature}
     */
    public String rotateEncryptionKey(DeviceKeys identityAndNewEncryption, String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        requireCredentials();
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("encryptionKey", identityAndNewEncryption.encryptionKeyB64())
                .put("encryptionKeyId", keyId)
                .put("encryptionKeySignature", identityAndNewEncryption.encryptionKeySignatureB64());
        JsonNode answer = api.put("/v1/devices/self/keys", body);
        String listed = Json.optionalText(answer, "encryptionKeyId");
        return listed != null ? listed : keyId;
    }

    /**
     * Rotates this device's encryption key, crash-safe: a pending key left by an earlier attempt is
     * settled first ({@link #reconcilePendingEncryptionKey}); then a new key pair is saved in
     * {@code folder} as pending, before the gateway is asked to take it, and promoted to current once
     * it did. When the call fails the key stays pending (the current key stays current): if the
     * gateway took it after all, the next {@link #reconcilePendingEncryptionKey} promotes it.
     *
     * @param folder this device's folder, holding its keys
     * @param keyId  the new key's id, as for {@link #rotateEncryptionKey(DeviceKeys, String)}
     * @return the key id the gateway now lists for this device
     */
    public String rotateEncryptionKey(DeviceFolder folder, String keyId) {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(keyId, "keyId");
        requireCredentials();
        if (folder.pendingEncryptionKey().isPresent()) {
            reconcilePendingEncryptionKey(folder);
        }
        DeviceKeys rotated = folder.keys().withNewEncryptionKey();
        folder.savePendingEncryptionKey(rotated, keyId);
        String listed = rotateEncryptionKey(rotated, keyId);
        folder.promotePendingEncryptionKey(listed);
        return listed;
    }

    /**
     * Settles a pending encryption key in {@code folder} (a rotation cut short by a crash or a
     * failed call): when {@code GET /v1/keys/{number}} shows this device with the pending key, the
     * gateway took it, and the folder promotes it to current. Asks nothing when no key is pending.
     *
     * @return whether a pending key was promoted
     * @throws IllegalStateException when these credentials do not say which number this device belongs to
     */
    public boolean reconcilePendingEncryptionKey(DeviceFolder folder) {
        Objects.requireNonNull(folder, "folder");
        DeviceCredentials self = requireCredentials();
        if (folder.pendingEncryptionKey().isEmpty()) {
            return false;
        }
        String number = self.number();
        if (number == null) {
            throw new IllegalStateException("these credentials do not say which number this device belongs to");
        }
        JsonNode answer = api.get("/v1/keys/" + ApiTransport.segment(number));
        KeyVerifier.ShownDevice shown = KeyVerifier.devices(number, answer).get(self.deviceId());
        if (shown == null || !shown.encryptionKeySigned()) {
            return false;
        }
        return folder.reconcilePendingEncryptionKey(shown.encryptionKeyId(), shown.keys().encryptionKey());
    }

    /**
     * Signs and publishes the number's device list, as its primary, with version one above the
     * stored list's or the last one this primary signed, whichever is higher (1 for the first),
     * issued now; a stored list older than the last one this primary signed, or another one with
     * its version, is refused ({@link #withSignedListStore}). The gateway's word is not enough to sign a device:
     * the list is the devices the gateway shows, provided that they are this device (listed under
     * {@code primaryKeys}, the only primary) and companions in {@code approved}, each with the
     * identity key recorded at approval (if one was) and an encryption key signed by its identity
     * key. Approved devices no longer shown are left out.
     *
     * @param primaryKeys this primary device's keys; the identity key is the account key
     * @param approved the companions this primary approved itself ({@link #approveLink}), as
     *        {@link DeviceFolder#approvedDevices()} keeps them
     * @return the published version
     * @throws KeyVerificationException signing nothing, when the gateway shows a device this primary
     *         did not approve ({@link KeyVerificationException.Reason#UNAPPROVED}), an approved one with
     *         another identity key, another primary, this device with keys other than
     *         {@code primaryKeys}, or a device without a valid encryption key signature
     * @throws SwitchboardApiException 403 when this device is not the primary; 409 {@code stale_version}
     *         or {@code list_mismatch} when the devices changed meanwhile (call again)
     */
    public long publishDeviceList(DeviceKeys primaryKeys, ApprovedDevices approved) {
        Objects.requireNonNull(primaryKeys, "primaryKeys");
        Objects.requireNonNull(approved, "approved");
        DeviceCredentials self = requireCredentials();
        String number = self.number();
        if (number == null) {
            throw new IllegalStateException("these credentials do not say which number this device belongs to");
        }
        JsonNode answer = api.get("/v1/keys/" + ApiTransport.segment(number));
        long version = ownListBase(number, primaryKeys, answer).nextVersion();
        List<ListedDevice> devices = KeyVerifier.devicesToSign(number, self.deviceId(), primaryKeys, approved, answer);
        ObjectNode body = LinkProtocol.signedList(number, version, devices, primaryKeys);
        JsonNode published = api.put("/v1/devices/list", body);
        signedLists.save(SignedListRecord.of(number, primaryKeys.rawIdentityKey(), body));
        return published.path("version").asLong(version);
    }

    /**
     * A number's keys, verified ({@link VerifiedKeys}): each device's encryption key signature with
     * its identity key; the signed device list with the account key and, unless the gateway marks
     * it stale, that it lists exactly the devices shown; and, against {@code trust}, that the list
     * is not older than one seen before, nor another list with a version seen before. {@code trust}
     * then remembers the list version, its digest and the account key; {@link VerifiedKeys#accountKeyChanged()} says when the latter changed, on every
     * call until the change is {@linkplain TrustStore#acknowledge acknowledged}.
     *
     * @throws KeyVerificationException when a check fails; nothing is remembered then
     * @throws SwitchboardApiException 404 {@code not_found} for a number this gateway does not serve
     */
    public VerifiedKeys verifiedKeys(String number, TrustStore trust) {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(trust, "trust");
        requireCredentials();
        JsonNode answer = api.get("/v1/keys/" + ApiTransport.segment(number));
        VerifiedKeys keys = KeyVerifier.verify(number, answer);
        byte[] digest = keys.listVersion() > 0 ? KeyVerifier.signedList(number, answer.get("deviceList")).digest() : null;
        boolean changed = trust.accept(number, keys.accountKey(), keys.listVersion(), digest);
        return keys.withAccountKeyChanged(changed);
    }

    // --- messages ----------------------------------------------------------------------------

    /** Sends a text with a fresh Idempotency-Key: retrying this call may send twice; keep the key to retry safely. */
    public SentMessage send(String to, String text) {
        return send(to, text, UUID.randomUUID().toString());
    }

    public SentMessage send(String to, String text, String idempotencyKey) {
        return send(Json.MAPPER.createObjectNode().put("to", to).put("text", text), idempotencyKey);
    }

    /** Sends a full message body ({@code to}, {@code text}, {@code parts}, {@code suggestions}). */
    public SentMessage send(ObjectNode body, String idempotencyKey) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        JsonNode answer = api.post("/v1/messages", body, Map.of("Idempotency-Key", idempotencyKey));
        return new SentMessage(Json.requiredText(answer, "id"), Json.requiredText(answer, "conversationId"),
                Json.requiredText(answer, "status"), Json.requiredText(answer, "channel"),
                Json.requiredLong(answer, "seq"));
    }

    // --- conversations -----------------------------------------------------------------------

    /** One page, most recent first: {@code {"conversations":[...],"next":cursor|null}}. */
    public JsonNode conversations(int limit, String cursor) {
        return api.get("/v1/conversations" + ApiTransport.query("limit", limit, "cursor", cursor));
    }

    public List<JsonNode> allConversations() {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = conversations(MAX_PAGE, cursor);
            page.path("conversations").forEach(all::add);
            cursor = Json.optionalText(page, "next");
        } while (cursor != null);
        return all;
    }

    public Optional<JsonNode> conversationWith(String peer) {
        JsonNode page = api.get("/v1/conversations" + ApiTransport.query("peer", peer, "limit", 1));
        JsonNode first = page.path("conversations").path(0);
        return first.isMissingNode() ? Optional.empty() : Optional.of(first);
    }

    /** One page, newest first: {@code {"messages":[...],"next":messageId|null}}; {@code before} may be null. */
    public JsonNode messages(String conversationId, String before, int limit) {
        return api.get("/v1/conversations/" + ApiTransport.segment(conversationId) + "/messages"
                + ApiTransport.query("before", before, "limit", limit));
    }

    /** Every message of the conversation, newest first. */
    public List<JsonNode> allMessages(String conversationId) {
        List<JsonNode> all = new ArrayList<>();
        String before = null;
        do {
            JsonNode page = messages(conversationId, before, MAX_PAGE);
            page.path("messages").forEach(all::add);
            before = Json.optionalText(page, "next");
        } while (before != null);
        return all;
    }

    public void markRead(String conversationId, String upToMessageId) {
        api.post("/v1/conversations/" + ApiTransport.segment(conversationId) + "/read",
                Json.MAPPER.createObjectNode().put("upTo", upToMessageId));
    }

    public void typing(String conversationId, boolean active) {
        api.post("/v1/conversations/" + ApiTransport.segment(conversationId) + "/typing",
                Json.MAPPER.createObjectNode().put("active", active));
    }

    // --- sync --------------------------------------------------------------------------------

    public SyncPage sync(long since, int limit) {
        JsonNode page = api.get("/v1/sync" + ApiTransport.query("since", since, "limit", limit));
        List<SyncEvent> events = new ArrayList<>();
        page.path("events").forEach(event -> events.add(SyncEvent.fromJson(event)));
        return new SyncPage(events, page.path("next").asLong(since), page.path("hasMore").asBoolean(false));
    }

    /**
     * A live, started event stream from the cursor on; {@link SyncStream#start()} is idempotent, so
     * calling it again is harmless. Close the stream to stop it.
     */
    public SyncStream stream(CursorStore cursor, SyncListener listener) {
        DeviceCredentials self = requireCredentials();
        return new SyncStream(api.http(), api.server(), self.token(), cursor, listener).start();
    }

    // --- devices and media -------------------------------------------------------------------

    public List<JsonNode> devices() {
        List<JsonNode> devices = new ArrayList<>();
        api.get("/v1/devices").path("devices").forEach(devices::add);
        return devices;
    }

    /**
     * Unlinks a device. On a primary whose keys this client knows ({@link #withKeys}), unlinking a
     * companion signs the new device list (the remaining devices, one version up) and sends it along,
     * as the gateway requires once the number has a list; see
     * {@link #unlink(String, DeviceKeys, ApprovedDevices)}. Otherwise (a companion leaving, or no
     * keys known) it sends no list.
     */
    public void unlink(String deviceId) {
        DeviceCredentials self = requireCredentials();
        if (keys == null || deviceId.equals(self.deviceId()) || self.number() == null) {
            api.delete("/v1/devices/" + ApiTransport.segment(deviceId));
            return;
        }
        unlinkSigned(deviceId, keys, ApprovedDevices.none(), self, api.get("/v1/keys/" + ApiTransport.segment(self.number())));
    }

    /**
     * Unlinks companion {@code deviceId} as the primary, signing the new device list: the devices
     * this primary may sign ({@link #publishDeviceList}; companions in {@code approved} or in the
     * stored list signed by this account key, unless it is older than the last one this primary
     * signed, see {@link #withSignedListStore}) without {@code deviceId}, one version up. The list
     * and the unlink commit together. Called on a companion (or for this device itself) it sends no list,
     * and the gateway decides (a companion may unlink only itself).
     *
     * @throws KeyVerificationException when the number shows a device this primary may not sign
     * @throws SwitchboardApiException 409 {@code stale_version} or {@code list_mismatch} when the
     *         devices changed meanwhile (call again)
     */
    public void unlink(String deviceId, DeviceKeys primaryKeys, ApprovedDevices approved) {
        Objects.requireNonNull(primaryKeys, "primaryKeys");
        Objects.requireNonNull(approved, "approved");
        DeviceCredentials self = requireCredentials();
        String number = requireNumber(self);
        unlinkSigned(deviceId, primaryKeys, approved, self, api.get("/v1/keys/" + ApiTransport.segment(number)));
    }

    private void unlinkSigned(String deviceId, DeviceKeys primaryKeys, ApprovedDevices approved, DeviceCredentials self,
            JsonNode answer) {
        String number = self.number();
        KeyVerifier.ShownDevice own = KeyVerifier.devices(number, answer).get(self.deviceId());
        if (deviceId.equals(self.deviceId()) || own == null || !"primary".equals(own.keys().kind())) {
            // Only the primary signs lists; a companion leaving on its own leaves the list stale.
            api.delete("/v1/devices/" + ApiTransport.segment(deviceId));
            return;
        }
        OwnDeviceList.Base base = ownListBase(number, primaryKeys, answer);
        ApprovedDevices vouched = approved.union(base.listed());
        List<ListedDevice> remaining = KeyVerifier.devicesToSign(number, self.deviceId(), primaryKeys, vouched, answer, deviceId);
        ObjectNode list = LinkProtocol.signedList(number, base.nextVersion(), remaining, primaryKeys);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("deviceList", list);
        api.delete("/v1/devices/" + ApiTransport.segment(deviceId), body);
        signedLists.save(SignedListRecord.of(number, primaryKeys.rawIdentityKey(), list));
    }

    /**
     * The stored list of this primary's own number checked against the record of the last one it
     * signed ({@link OwnDeviceList}); a newer stored list signed by this account key (an approval
     * completed since) becomes the record.
     */
    private OwnDeviceList.Base ownListBase(String number, DeviceKeys primaryKeys, JsonNode answer) {
        OwnDeviceList.Base base = OwnDeviceList.check(number, primaryKeys, answer, signedLists.load(number));
        if (base.base() != null) {
            signedLists.save(base.base());
        }
        return base;
    }

    /** @return {@code {"mediaId","size","contentType","sha256"}} */
    public JsonNode uploadMedia(byte[] bytes, String contentType, String fileName) {
        Map<String, String> headers = fileName == null ? Map.of() : Map.of("X-File-Name", fileName);
        return api.postBytes("/v1/media", bytes, contentType, headers);
    }

    public byte[] downloadMedia(String mediaId) {
        return api.getBytes("/v1/media/" + ApiTransport.segment(mediaId));
    }

    // -----------------------------------------------------------------------------------------

    private static String requireNumber(DeviceCredentials self) {
        if (self.number() == null) {
            throw new IllegalStateException("these credentials do not say which number this device belongs to");
        }
        return self.number();
    }

    private DeviceCredentials requireCredentials() {
        if (credentials == null) {
            throw new IllegalStateException("this client has no device credentials; use withCredentials()");
        }
        return credentials;
    }

    private static URI checkServer(URI server) {
        Objects.requireNonNull(server, "server");
        String scheme = server.getScheme();
        if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || server.getHost() == null) {
            throw new IllegalArgumentException("server must be an http:// or https:// URL: " + server);
        }
        return server;
    }

    private static HttpClient defaultHttpClient() {
        // HTTP/1.1: the default HTTP/2 would try an h2c upgrade on plain http, which buys nothing here.
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    private static void pause(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for link approval");
        }
    }
}
