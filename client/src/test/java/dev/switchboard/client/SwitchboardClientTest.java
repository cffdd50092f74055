package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.FakeGateway.Reply;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SwitchboardClientTest {

    private static final DeviceCredentials PRIMARY = new DeviceCredentials("+390611111111", "dev-primary", "tok-primary");
    private static final String MESSAGE_ACCEPTED =
            "{\"id\":\"m1\",\"conversationId\":\"c1\",\"status\":\"queued\",\"channel\":\"sms\",\"seq\":7}";

    private final FakeGateway gateway = new FakeGateway();
    private final SwitchboardClient anonymous = new SwitchboardClient(gateway.uri());
    private final SwitchboardClient device = anonymous.withCredentials(PRIMARY);

    @AfterEach
    void stop() {
        gateway.close();
    }

    // --- enrolment and linking ---------------------------------------------------------------

    @Test
    void enrollPrimarySendsRawPublicKeysAndReturnsTheCredentials() {
        gateway.on("POST", "/v1/devices/primary", 201,
                "{\"deviceId\":\"dev-1\",\"token\":\"tok-1\",\"number\":\"+390612345678\"}");
        DeviceKeys keys = DeviceKeys.generate();

        DeviceCredentials credentials = anonymous.enrollPrimary("+390612345678", "123456", "laptop", keys);

        assertEquals(new DeviceCredentials("+390612345678", "dev-1", "tok-1"), credentials);
        JsonNode body = gateway.onlyRequest().json();
        assertEquals("+390612345678", body.path("number").asText());
        assertEquals("123456", body.path("code").asText());
        assertEquals("laptop", body.path("name").asText());
        assertEquals(keys.identityKeyB64(), body.path("identityKey").asText());
        assertEquals(keys.encryptionKeyB64(), body.path("encryptionKey").asText());
        assertNull(gateway.onlyRequest().header("Authorization"));
    }

    @Test
    void createLinkRequestSendsAFreshEphemeralKey() {
        gateway.on("POST", "/v1/link-requests", request -> Reply.json(201,
                "{\"linkId\":\"lnk1\",\"secret\":\"s3cret\",\"qr\":\"sblink:1:lnk1:" + request.json().path("ephemeralKey").asText()
                        + "\",\"expiresAt\":\"2026-01-01T10:02:00Z\"}"));
        DeviceKeys keys = DeviceKeys.generate();

        LinkRequest link = anonymous.createLinkRequest("phone", keys);

        JsonNode body = gateway.onlyRequest().json();
        String ephemeral = body.path("ephemeralKey").asText();
        assertEquals(32, Base64.getUrlDecoder().decode(ephemeral).length);
        assertNotEquals(keys.encryptionKeyB64(), ephemeral);
        assertEquals(keys.identityKeyB64(), body.path("identityKey").asText());
        assertEquals("phone", body.path("name").asText());
        assertEquals(new LinkRequest("lnk1", "s3cret", "sblink:1:lnk1:" + ephemeral, Instant.parse("2026-01-01T10:02:00Z")),
                link);
    }

    @Test
    void awaitApprovalPollsWithTheSecretUntilApproved() {
        AtomicInteger polls = new AtomicInteger();
        gateway.on("GET", "/v1/link-requests/lnk1", request -> polls.incrementAndGet() < 3
                ? Reply.json(200, "{\"status\":\"pending\"}")
                : Reply.json(200, "{\"status\":\"approved\",\"deviceId\":\"dev-2\",\"token\":\"tok-2\","
                        + "\"number\":\"+390611111111\",\"provisioning\":\"e30\"}"));

        DeviceCredentials credentials = anonymous.awaitApproval(link(), Duration.ofSeconds(10));

        assertEquals(new DeviceCredentials("+390611111111", "dev-2", "tok-2"), credentials);
        assertEquals(3, gateway.requests().size());
        assertEquals("s3cret", gateway.requests().get(0).query("secret"));
    }

    @Test
    void awaitApprovalFailsWithLinkExpiredWhenTheRequestExpires() {
        gateway.on("GET", "/v1/link-requests/lnk1", 200, "{\"status\":\"expired\"}");

        SwitchboardApiException e = assertThrows(SwitchboardApiException.class,
                () -> anonymous.awaitApproval(link(), Duration.ofSeconds(10)));

        assertEquals(409, e.status());
        assertEquals("link_expired", e.code());
    }

    @Test
    void awaitApprovalGivesUpAfterTheTimeout() {
        gateway.on("GET", "/v1/link-requests/lnk1", 200, "{\"status\":\"pending\"}");

        assertThrows(IllegalStateException.class, () -> anonymous.awaitApproval(link(), Duration.ZERO));
        assertEquals(1, gateway.requests().size());
    }

    @Test
    void approveLinkSignsTheLinkIdAndEphemeralKeyWithThePrimaryIdentityKey() throws Exception {
        gateway.on("POST", "/v1/link-requests/lnk1/approve", 200, "{\"deviceId\":\"dev-2\"}");
        DeviceKeys primaryKeys = DeviceKeys.generate();
        String ephemeral = DeviceKeys.rawPublicKeyB64(DeviceKeys.generateEphemeral().getPublic());

        String deviceId = device.approveLink("sblink:1:lnk1:" + ephemeral, primaryKeys);

        assertEquals("dev-2", deviceId);
        FakeGateway.Request request = gateway.onlyRequest();
        assertEquals("Bearer tok-primary", request.header("Authorization"));
        JsonNode body = request.json();
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(primaryKeys.identity().getPublic());
        verifier.update(("sblink-approve:lnk1:" + ephemeral).getBytes(StandardCharsets.UTF_8));
        assertTrue(verifier.verify(Base64.getUrlDecoder().decode(body.path("accountSignature").asText())));
        assertFalse(body.path("accountSignature").asText().contains("="), "base64url without padding");
        JsonNode provisioning = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(body.path("provisioning").asText()));
        assertEquals("+390611111111", provisioning.path("number").asText());
        assertEquals("dev-primary", provisioning.path("primaryDeviceId").asText());
    }

    @Test
    void approveLinkRejectsOtherTextsWithoutAskingTheGateway() {
        assertThrows(IllegalArgumentException.class, () -> device.approveLink("https://evil.example/", DeviceKeys.generate()));
        assertTrue(gateway.requests().isEmpty());
    }

    @Test
    void authenticatedCallsNeedCredentials() {
        String qr = "sblink:1:lnk1:" + DeviceKeys.rawPublicKeyB64(DeviceKeys.generateEphemeral().getPublic());

        assertThrows(IllegalStateException.class, () -> anonymous.approveLink(qr, DeviceKeys.generate()));
        assertThrows(IllegalStateException.class, () -> anonymous.stream(CursorStore.inMemory(0), e -> { }));
    }

    @Test
    void withCredentialsLeavesTheOriginalClientAnonymous() {
        assertEquals(Optional.empty(), anonymous.credentials());
        assertEquals(Optional.of(PRIMARY), device.credentials());
    }

    // --- messages ----------------------------------------------------------------------------

    @Test
    void sendPostsTextWithAFreshIdempotencyKeyEachTime() {
        gateway.on("POST", "/v1/messages", 202, MESSAGE_ACCEPTED);

        SentMessage sent = device.send("+390622222222", "hello");
        device.send("+390622222222", "hello");

        assertEquals(new SentMessage("m1", "c1", "queued", "sms", 7), sent);
        List<FakeGateway.Request> requests = gateway.requests();
        assertEquals("+390622222222", requests.get(0).json().path("to").asText());
        assertEquals("hello", requests.get(0).json().path("text").asText());
        assertEquals("Bearer tok-primary", requests.get(0).header("Authorization"));
        assertEquals("application/json", requests.get(0).header("Content-Type"));
        assertNotEquals(requests.get(0).header("Idempotency-Key"), requests.get(1).header("Idempotency-Key"));
    }

    @Test
    void sendWithAKeyRepeatsThatKey() {
        gateway.on("POST", "/v1/messages", 202, MESSAGE_ACCEPTED);

        device.send("+390622222222", "hello", "retry-me");
        device.send(Json.MAPPER.createObjectNode().put("to", "+390622222222").put("text", "hello"), "retry-me");

        assertEquals("retry-me", gateway.requests().get(0).header("Idempotency-Key"));
        assertEquals(gateway.requests().get(0).json(), gateway.requests().get(1).json());
        assertEquals("retry-me", gateway.requests().get(1).header("Idempotency-Key"));
    }

    @Test
    void errorBodyBecomesAnApiExceptionWithStatusCodeAndMessage() {
        gateway.on("POST", "/v1/messages", 422,
                "{\"error\":\"idempotency_key_reused\",\"message\":\"key used with another body\"}");

        SwitchboardApiException e = assertThrows(SwitchboardApiException.class, () -> device.send("+390622222222", "x", "k"));

        assertEquals(422, e.status());
        assertEquals("idempotency_key_reused", e.code());
        assertEquals("key used with another body", e.getMessage());
    }

    @Test
    void errorWithoutJsonBodyStillCarriesTheStatus() {
        gateway.on("GET", "/v1/devices", request -> new Reply(502, "text/html", "<h1>Bad gateway</h1>".getBytes()));

        SwitchboardApiException e = assertThrows(SwitchboardApiException.class, device::devices);

        assertEquals(502, e.status());
        assertEquals("http_502", e.code());
    }

    @Test
    void unreachableGatewayIsAnUncheckedIoException() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SwitchboardClient client = new SwitchboardClient(URI.create("http://127.0.0.1:" + closedPort)).withCredentials(PRIMARY);

        UncheckedIOException e = assertThrows(UncheckedIOException.class, client::devices);

        assertTrue(e.getMessage().contains("cannot reach the gateway"), e.getMessage());
    }

    // --- conversations -----------------------------------------------------------------------

    @Test
    void allConversationsFollowsTheNextCursor() {
        gateway.on("GET", "/v1/conversations", request -> request.query("cursor") == null
                ? Reply.json(200, "{\"conversations\":[{\"id\":\"c1\"},{\"id\":\"c2\"}],\"next\":\"cur/2+\"}")
                : Reply.json(200, "{\"conversations\":[{\"id\":\"c3\"}],\"next\":null}"));

        List<JsonNode> all = device.allConversations();

        assertEquals(List.of("c1", "c2", "c3"), all.stream().map(c -> c.path("id").asText()).toList());
        assertEquals("cur/2+", gateway.requests().get(1).query("cursor"), "the opaque cursor survives URL encoding");
    }

    @Test
    void conversationWithFiltersByPeerAndIsEmptyWhenThereIsNone() {
        gateway.on("GET", "/v1/conversations", request -> "+390622222222".equals(request.query("peer"))
                ? Reply.json(200, "{\"conversations\":[{\"id\":\"c1\",\"peer\":\"+390622222222\"}],\"next\":null}")
                : Reply.json(200, "{\"conversations\":[],\"next\":null}"));

        assertEquals("c1", device.conversationWith("+390622222222").orElseThrow().path("id").asText());
        assertEquals(Optional.empty(), device.conversationWith("+390633333333"));
        assertTrue(gateway.requests().get(0).rawQuery().contains("peer=%2B390622222222"), gateway.requests().get(0).rawQuery());
    }

    @Test
    void allMessagesPagesBackwardsWithBeforeUntilNextIsNull() {
        gateway.on("GET", "/v1/conversations/c1/messages", request -> request.query("before") == null
                ? Reply.json(200, "{\"messages\":[{\"id\":\"m3\"},{\"id\":\"m2\"}],\"next\":\"m2\"}")
                : Reply.json(200, "{\"messages\":[{\"id\":\"m1\"}],\"next\":null}"));

        List<JsonNode> all = device.allMessages("c1");

        assertEquals(List.of("m3", "m2", "m1"), all.stream().map(m -> m.path("id").asText()).toList());
        assertEquals("m2", gateway.requests().get(1).query("before"));
    }

    @Test
    void markReadAndTypingPostTheirBodies() {
        gateway.on("POST", "/v1/conversations/c1/read", request -> Reply.noContent());
        gateway.on("POST", "/v1/conversations/c1/typing", request -> Reply.noContent());

        device.markRead("c1", "m9");
        device.typing("c1", true);

        assertEquals("m9", gateway.requests().get(0).json().path("upTo").asText());
        assertTrue(gateway.requests().get(1).json().path("active").asBoolean());
    }

    // --- sync, devices, media ----------------------------------------------------------------

    @Test
    void syncParsesEventsAndPaging() {
        gateway.on("GET", "/v1/sync", 200, "{\"events\":[{\"seq\":5,\"type\":\"conversation.read\","
                + "\"at\":\"2026-01-01T10:00:00.123+00:00\",\"data\":{\"conversationId\":\"c1\",\"upTo\":\"m1\"}}],"
                + "\"next\":5,\"hasMore\":true}");

        SyncPage page = device.sync(4, 1);

        assertEquals(5, page.next());
        assertTrue(page.hasMore());
        SyncEvent event = page.events().get(0);
        assertEquals(5, event.seq());
        assertEquals("conversation.read", event.type());
        assertEquals(Instant.parse("2026-01-01T10:00:00.123Z"), event.at());
        assertEquals("m1", event.data().path("upTo").asText());
        assertEquals("4", gateway.onlyRequest().query("since"));
        assertEquals("1", gateway.onlyRequest().query("limit"));
    }

    @Test
    void devicesListsAndUnlinkDeletes() {
        gateway.on("GET", "/v1/devices", 200, "{\"devices\":[{\"id\":\"dev-primary\",\"current\":true},{\"id\":\"dev-2\"}]}");
        gateway.on("DELETE", "/v1/devices/dev-2", request -> Reply.noContent());

        assertEquals(2, device.devices().size());
        device.unlink("dev-2");

        assertEquals("DELETE", gateway.requests().get(1).method());
    }

    @Test
    void uploadSendsRawBytesWithTypeAndNameAndDownloadReturnsThem() {
        byte[] image = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
        gateway.on("POST", "/v1/media", 201, "{\"mediaId\":\"med1\",\"size\":7,\"contentType\":\"image/png\",\"sha256\":\"x\"}");
        gateway.on("GET", "/v1/media/med1", request -> new Reply(200, "image/png", image));

        JsonNode uploaded = device.uploadMedia(image, "image/png", "cat.png");
        byte[] downloaded = device.downloadMedia("med1");

        FakeGateway.Request upload = gateway.requests().get(0);
        assertArrayEquals(image, upload.body());
        assertEquals("image/png", upload.header("Content-Type"));
        assertEquals("cat.png", upload.header("X-File-Name"));
        assertEquals("med1", uploaded.path("mediaId").asText());
        assertArrayEquals(image, downloaded);
    }

    @Test
    void serverUrlWithAPathPrefixKeepsThePrefix() {
        gateway.on("GET", "/switchboard/v1/devices", 200, "{\"devices\":[]}");
        SwitchboardClient prefixed = new SwitchboardClient(URI.create(gateway.uri() + "/switchboard/")).withCredentials(PRIMARY);

        assertEquals(List.of(), prefixed.devices());
    }

    @Test
    void rejectsServerUrlsThatAreNotHttp() {
        assertThrows(IllegalArgumentException.class, () -> new SwitchboardClient(URI.create("ws://localhost:8080")));
        assertThrows(IllegalArgumentException.class, () -> new SwitchboardClient(URI.create("localhost:8080")));
    }

    @Test
    void credentialsAndLinkRequestsDoNotPrintTheirSecrets() {
        assertFalse(PRIMARY.toString().contains("tok-primary"));
        assertFalse(link().toString().contains("s3cret"));
    }

    private static LinkRequest link() {
        return new LinkRequest("lnk1", "s3cret", "sblink:1:lnk1:x", Instant.parse("2026-01-01T10:02:00Z"));
    }
}
