package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    private final ApiTransport api;
    private final DeviceCredentials credentials;

    public SwitchboardClient(URI server) {
        this(server, defaultHttpClient());
    }

    /** For callers that manage their own {@link HttpClient} (proxies, TLS, executors). */
    public SwitchboardClient(URI server, HttpClient http) {
        this(new ApiTransport(http, checkServer(server), null), null);
    }

    private SwitchboardClient(ApiTransport api, DeviceCredentials credentials) {
        this.api = api;
        this.credentials = credentials;
    }

    public SwitchboardClient withCredentials(DeviceCredentials c) {
        Objects.requireNonNull(c, "credentials");
        return new SwitchboardClient(api.withToken(c.token()), c);
    }

    public Optional<DeviceCredentials> credentials() {
        return Optional.ofNullable(credentials);
    }

    public URI server() {
        return api.server();
    }

    // --- enrolment and linking ---------------------------------------------------------------

    public DeviceCredentials enrollPrimary(String number, String code, String name, DeviceKeys keys) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("number", number)
                .put("code", code)
                .put("name", name)
                .put("identityKey", keys.identityKeyB64())
                .put("encryptionKey", keys.encryptionKeyB64());
        JsonNode answer = api.post("/v1/devices/primary", body);
        String enrolled = Json.optionalText(answer, "number");
        return new DeviceCredentials(enrolled != null ? enrolled : number,
                Json.requiredText(answer, "deviceId"), Json.requiredText(answer, "token"));
    }

    /**
     * Starts linking this (new) device. The ephemeral private key is not kept yet: the provisioning
     * message is a plaintext placeholder until end-to-end encryption encrypts it to this key.
     */
    public LinkRequest createLinkRequest(String name, DeviceKeys keys) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("name", name)
                .put("identityKey", keys.identityKeyB64())
                .put("encryptionKey", keys.encryptionKeyB64())
                .put("ephemeralKey", DeviceKeys.rawPublicKeyB64(DeviceKeys.generateEphemeral().getPublic()));
        JsonNode answer = api.post("/v1/link-requests", body);
        return new LinkRequest(Json.requiredText(answer, "linkId"), Json.requiredText(answer, "secret"),
                Json.requiredText(answer, "qr"), Json.instant(answer, "expiresAt"));
    }

    /** One look at the request: {@code {"status":"pending"|"expired"|"approved",...}}. */
    public JsonNode pollLink(LinkRequest req) {
        return api.get("/v1/link-requests/" + ApiTransport.segment(req.linkId())
                + ApiTransport.query("secret", req.secret()));
    }

    /**
     * Polls until the primary approves. The server hands the token out exactly once, so the result
     * must be saved before anything else can fail.
     *
     * @throws SwitchboardApiException 409 {@code link_expired} when the request expired first
     * @throws IllegalStateException when {@code timeout} passes while still pending
     */
    public DeviceCredentials awaitApproval(LinkRequest req, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode state = pollLink(req);
            String status = state.path("status").asText();
            switch (status) {
                case "approved":
                    return new DeviceCredentials(Json.optionalText(state, "number"),
                            Json.requiredText(state, "deviceId"), Json.requiredText(state, "token"));
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

    /**
     * Approves a scanned link QR code as the primary: the signature proves the approval comes from
     * the holder of the account's identity key, bound to this request's ephemeral key.
     *
     * @return the new companion's device id
     * @throws IllegalArgumentException if {@code qrText} is not a Switchboard link code
     */
    public String approveLink(String qrText, DeviceKeys primaryKeys) {
        LinkQr qr = LinkQr.parse(qrText);
        DeviceCredentials self = requireCredentials();
        byte[] signed = ("sblink-approve:" + qr.linkId() + ":" + qr.ephemeralKey()).getBytes(StandardCharsets.UTF_8);
        ObjectNode provisioning = Json.MAPPER.createObjectNode()
                .put("number", self.number())
                .put("primaryDeviceId", self.deviceId());
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("accountSignature", Base64Url.encode(primaryKeys.sign(signed)))
                .put("provisioning", Base64Url.encode(provisioning.toString().getBytes(StandardCharsets.UTF_8)));
        JsonNode answer = api.post("/v1/link-requests/" + ApiTransport.segment(qr.linkId()) + "/approve", body);
        return Json.requiredText(answer, "deviceId");
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

    public void unlink(String deviceId) {
        api.delete("/v1/devices/" + ApiTransport.segment(deviceId));
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
