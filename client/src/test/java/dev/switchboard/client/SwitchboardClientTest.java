package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        String qr = "sblink:1:lnk1:" + DeviceKeys.rawPublicKeyB64(DeviceKeys.generateEphemeral().getPublic());

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
        LinkRequest link = new LinkRequest("lnk1", "s3cret", "sblink:1:lnk1:x", Instant.parse("2026-01-01T10:02:00Z"));

        assertFalse(PRIMARY.toString().contains("tok-primary"));
        assertFalse(link.toString().contains("s3cret"));
    }

    private static URI nowhere() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
