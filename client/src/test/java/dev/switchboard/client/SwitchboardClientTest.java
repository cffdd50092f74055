package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the client decides on its own, without any server. How it works with the gateway is tested
 * against the real gateway, in the gateway module's {@code dev.switchboard.gateway.client.SwitchboardClientTest}.
 */
class SwitchboardClientTest {

    private static final DeviceCredentials PRIMARY = new DeviceCredentials("+390611111111", "dev-primary", "tok-primary");

    /** Nothing listens there: a call that reached for the network would fail with an UncheckedIOException. */
    private final SwitchboardClient anonymous = new SwitchboardClient(nowhere());
    private final SwitchboardClient device = anonymous.withCredentials(PRIMARY);

    @Test
    void approveLinkRejectsOtherTextsWithoutAskingTheGateway() {
        assertThrows(IllegalArgumentException.class, () -> device.approveLink("https://evil.example/", DeviceKeys.generate()));
    }

    @Test
    void authenticatedCallsNeedCredentials() {
        String qr = "sblink:2:lnk1:" + DeviceKeys.rawPublicKeyB64(DeviceKeys.generateEphemeral().getPublic()) + ":"
                + DeviceKeys.generate().identityKeyB64() + ":" + Base64Url.encode(new byte[32]);

        assertThrows(IllegalStateException.class, () -> anonymous.approveLink(qr, DeviceKeys.generate()));
        assertThrows(IllegalStateException.class, () -> anonymous.stream(CursorStore.inMemory(0), e -> { }));
    }

    @Test
    void withCredentialsReturnsAnAuthenticatedCopyAndKeepsTheOriginalWithout() {
        assertEquals(Optional.empty(), anonymous.credentials());
        assertEquals(Optional.of(PRIMARY), device.credentials());
        assertEquals(anonymous.server(), device.server());
    }

    @Test
    void rejectsServerUrlsThatAreNotHttp() {
        assertThrows(IllegalArgumentException.class, () -> new SwitchboardClient(URI.create("ws://localhost:8080")));
        assertThrows(IllegalArgumentException.class, () -> new SwitchboardClient(URI.create("localhost:8080")));
    }

    @Test
    void credentialsAndLinkRequestsDoNotPrintTheirSecrets() {
        byte[] linkingSecret = new byte[32];
        java.util.Arrays.fill(linkingSecret, (byte) 7);
        LinkRequest link = new LinkRequest("lnk1", "dev1", "s3cret", Instant.parse("2026-01-01T10:02:00Z"), DeviceKeys.generate(),
                dev.switchboard.crypto.X25519.generate(), linkingSecret);

        assertFalse(PRIMARY.toString().contains("tok-primary"));
        assertFalse(link.toString().contains("s3cret"));
        assertFalse(link.toString().contains(Base64Url.encode(linkingSecret)), "nor the linking secret");
        assertTrue(link.qr().endsWith(":" + Base64Url.encode(linkingSecret)), "which only the QR text carries");
    }

    // --- crash-safe encryption key rotation ----------------------------------------------------

    @TempDir
    Path temp;

    @Test
    void aRotationSavesTheNewKeyAsPendingBeforeAskingAndLeavesItPendingWhenTheCallFails() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        DeviceKeys first = folder.keys();

        assertThrows(UncheckedIOException.class, () -> device.rotateEncryptionKey(folder, "2"));

        DeviceFolder reopened = new DeviceFolder(folder.dir());
        assertEquals("1", reopened.encryptionKeyId(), "the current key stays current");
        assertEquals(first.encryptionKeyB64(), reopened.keys().encryptionKeyB64());
        DeviceFolder.PendingEncryptionKey pending = reopened.pendingEncryptionKey().orElseThrow();
        assertEquals("2", pending.keyId());
        assertFalse(pending.keys().encryptionKeyB64().equals(first.encryptionKeyB64()));
    }

    @Test
    void anAcceptedRotationPromotesThePendingKey() throws Exception {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        DeviceKeys first = folder.keys();
        List<String> offered = new ArrayList<>();
        try (FakeGateway gw = new FakeGateway()) {
            gw.on("PUT", "/v1/devices/self/keys", body -> {
                offered.add(body);
                // The folder already holds the key while the gateway takes it.
                assertEquals("2", folder.pendingEncryptionKey().orElseThrow().keyId());
                return "{\"deviceId\":\"dev-primary\",\"encryptionKeyId\":\"2\"}";
            });

            assertEquals("2", gw.client().rotateEncryptionKey(folder, "2"));
        }

        assertEquals(1, offered.size());
        DeviceFolder reopened = new DeviceFolder(folder.dir());
        assertEquals("2", reopened.encryptionKeyId());
        assertTrue(offered.get(0).contains(reopened.keys().encryptionKeyB64()), offered.get(0));
        assertEquals(Optional.empty(), reopened.pendingEncryptionKey());
        assertEquals(first.encryptionKeyB64(), DeviceKeys.rawPublicKeyB64(reopened.encryptionKey("1").orElseThrow().getPublic()));
    }

    @Test
    void aPendingKeyTheGatewayAlreadyHasIsPromotedOnReconcile() throws Exception {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        DeviceKeys first = folder.keys();
        DeviceKeys rotated = first.withNewEncryptionKey();
        folder.savePendingEncryptionKey(rotated, "2");
        KeysAnswer shown = new KeysAnswer(PRIMARY.number());
        try (FakeGateway gw = new FakeGateway()) {
            gw.on("GET", "/v1/keys/", body -> shown.withoutList().toString());

            shown.devices.put(PRIMARY.deviceId(), new KeysAnswer.Entry(PRIMARY.deviceId(), "primary", first, "1"));
            assertFalse(gw.client().reconcilePendingEncryptionKey(folder), "the crash came before the gateway took it");
            assertEquals("1", folder.encryptionKeyId());
            assertTrue(folder.pendingEncryptionKey().isPresent());

            shown.devices.put(PRIMARY.deviceId(), new KeysAnswer.Entry(PRIMARY.deviceId(), "primary", rotated, "2"));
            assertTrue(gw.client().reconcilePendingEncryptionKey(folder), "the crash came after");
        }

        assertEquals("2", folder.encryptionKeyId());
        assertEquals(rotated.encryptionKeyB64(), folder.keys().encryptionKeyB64());
        assertEquals(Optional.empty(), folder.pendingEncryptionKey());
    }

    @Test
    void reconcilingWithNothingPendingAsksNothing() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        folder.keys();

        assertFalse(device.reconcilePendingEncryptionKey(folder), "nowhere would have failed with an UncheckedIOException");
    }

    /** Answers a few routes, each with a fixed function of the request body; any other request is a 404. */
    private static final class FakeGateway implements AutoCloseable {

        private final HttpServer server;

        FakeGateway() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.start();
        }

        void on(String method, String pathPrefix, Function<String, String> answer) {
            server.createContext(pathPrefix, exchange -> {
                try (exchange) {
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    byte[] out;
                    int status;
                    if (exchange.getRequestMethod().equals(method)) {
                        status = 200;
                        out = answer.apply(body).getBytes(StandardCharsets.UTF_8);
                    } else {
                        status = 405;
                        out = "{\"error\":\"method_not_allowed\",\"message\":\"no\"}".getBytes(StandardCharsets.UTF_8);
                    }
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(status, out.length);
                    exchange.getResponseBody().write(out);
                }
            });
        }

        SwitchboardClient client() {
            return new SwitchboardClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort())).withCredentials(PRIMARY);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static URI nowhere() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
