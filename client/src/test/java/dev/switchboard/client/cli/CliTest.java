package dev.switchboard.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceFolder;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.FakeGateway;
import dev.switchboard.client.FakeGateway.Reply;
import dev.switchboard.client.FakeStreamServer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DeviceCredentials ENROLLED = new DeviceCredentials("+390611111111", "dev-1", "tok-1");

    @TempDir
    Path temp;

    private final Lines out = new Lines();
    private final Lines err = new Lines();
    private final FakeGateway gateway = new FakeGateway();

    @AfterEach
    void stop() {
        gateway.close();
    }

    // --- usage errors: exit 2 ----------------------------------------------------------------

    @Test
    void noCommandIsAUsageError() {
        assertUsageError();
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertUsageError("--device-dir", dir(), "frobnicate");
        assertTrue(err.text().contains("unknown command 'frobnicate'"), err.text());
    }

    @Test
    void optionTheCommandDoesNotTakeIsAUsageError() {
        assertUsageError("--device-dir", dir(), "send", "--to", "+39", "--text", "hi", "--subject", "x");
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        assertUsageError("--device-dir", dir(), "send", "--to", "+390622222222");
        assertTrue(err.text().contains("--text"), err.text());
    }

    @Test
    void blankRequiredOptionIsAUsageError() {
        assertUsageError("--device-dir", dir(), "link", "--name", " ");
    }

    @Test
    void optionWithoutValueIsAUsageError() {
        assertUsageError("--device-dir", dir(), "messages", "--with");
    }

    @Test
    void wrongNumberOfArgumentsIsAUsageError() {
        assertUsageError("--device-dir", dir(), "approve");
        assertUsageError("--device-dir", dir(), "token", "extra");
        assertUsageError("--device-dir", dir(), "unlink", "a", "b");
    }

    @Test
    void missingDeviceDirIsAUsageError() {
        assertUsageError("--server", "http://localhost:8080", "token");
    }

    @Test
    void missingServerIsAUsageErrorWhenTheFolderKnowsNone() {
        assertUsageError("--device-dir", dir(), "enroll", "--number", "+390611111111", "--code", "1", "--name", "a");
    }

    @Test
    void serverThatIsNotAnHttpUrlIsAUsageError() {
        assertUsageError("--server", "ftp://gateway", "--device-dir", dir(), "enroll", "--number", "+39", "--code", "1",
                "--name", "a");
        assertUsageError("--server", "not a url", "--device-dir", dir(), "enroll", "--number", "+39", "--code", "1",
                "--name", "a");
    }

    @Test
    void approvingTextThatIsNotALinkCodeIsAUsageErrorAndSendsNothing() {
        enrolled();

        assertUsageError("--server", server(), "--device-dir", dir(), "approve", "https://example.com/");
        assertTrue(gateway.requests().isEmpty());
    }

    // --- help ---------------------------------------------------------------------------------

    @Test
    void helpPrintsEveryCommandAndExits0() {
        for (String[] args : List.of(new String[] {"help"}, new String[] {"--help"}, new String[] {"-h"})) {
            Lines help = new Lines();

            assertEquals(0, Cli.run(args, help.stream, err.stream));

            for (String command : List.of("enroll", "link", "approve", "send", "conversations", "messages", "watch",
                    "devices", "unlink", "token")) {
                assertTrue(help.text().contains("\n  " + command), command + " missing from\n" + help.text());
            }
        }
    }

    // --- commands against a fake gateway -----------------------------------------------------

    @Test
    void enrollSavesCredentialsAndServerInTheDeviceFolder() throws Exception {
        gateway.on("POST", "/v1/devices/primary", 201, "{\"deviceId\":\"dev-1\",\"token\":\"tok-1\",\"number\":\"+390611111111\"}");

        int status = run("--server", server(), "--device-dir", dir(), "enroll", "--number", "+390611111111", "--code",
                "424242", "--name", "laptop");

        assertEquals(0, status, err.text());
        assertEquals("enrolled: primary device dev-1 of +390611111111", out.next());
        DeviceFolder folder = new DeviceFolder(temp);
        assertEquals(Optional.of(ENROLLED), folder.credentials());
        assertEquals(Optional.of(URI.create(server())), folder.server());
        assertEquals(folder.keys().identityKeyB64(), gateway.onlyRequest().json().path("identityKey").asText());
    }

    @Test
    void linkPrintsTheQrCodeThenTheQrLineThenWaitsAndSavesTheCredentials() throws Exception {
        String qr = "sblink:1:lnk1:" + DeviceKeys.rawPublicKeyB64(DeviceKeys.generateEphemeral().getPublic());
        gateway.on("POST", "/v1/link-requests", 201,
                "{\"linkId\":\"lnk1\",\"secret\":\"s\",\"qr\":\"" + qr + "\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}");
        gateway.on("GET", "/v1/link-requests/lnk1", 200,
                "{\"status\":\"approved\",\"deviceId\":\"dev-2\",\"token\":\"tok-2\",\"number\":\"+390611111111\",\"provisioning\":\"e30\"}");

        int status = run("link", "--name", "tablet", "--server", server(), "--device-dir", dir());

        assertEquals(0, status, err.text());
        List<String> lines = out.all();
        int qrLine = lines.indexOf("QR: " + qr);
        assertTrue(qrLine > 10, "a drawn QR code comes first:\n" + out.text());
        assertTrue(lines.subList(0, qrLine).stream().allMatch(line -> line.matches("[ \u2580\u2584\u2588]+")));
        assertEquals("linked: companion device dev-2 of +390611111111", lines.get(qrLine + 1));
        assertEquals(Optional.of(new DeviceCredentials("+390611111111", "dev-2", "tok-2")), new DeviceFolder(temp).credentials());
    }

    @Test
    void linkThatExpiresFailsWithTheApiCode() {
        gateway.on("POST", "/v1/link-requests", 201,
                "{\"linkId\":\"lnk1\",\"secret\":\"s\",\"qr\":\"sblink:1:lnk1:k\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}");
        gateway.on("GET", "/v1/link-requests/lnk1", 200, "{\"status\":\"expired\"}");

        int status = run("--server", server(), "--device-dir", dir(), "link", "--name", "tablet");

        assertEquals(1, status);
        List<String> errLines = err.all();
        assertTrue(errLines.get(errLines.size() - 1).startsWith("error: link_expired: "), err.text());
        assertEquals(Optional.empty(), new DeviceFolder(temp).credentials());
    }

    @Test
    void approveSignsWithTheFolderKeysAndPrintsTheNewDevice() throws Exception {
        enrolled();
        gateway.on("POST", "/v1/link-requests/lnk1/approve", 200, "{\"deviceId\":\"dev-2\"}");
        String qr = "sblink:1:lnk1:" + DeviceKeys.rawPublicKeyB64(DeviceKeys.generateEphemeral().getPublic());

        int status = run("--server", server(), "--device-dir", dir(), "--json", "approve", qr);

        assertEquals(0, status, err.text());
        assertEquals("dev-2", JSON.readTree(out.next()).path("deviceId").asText());
        assertEquals("Bearer tok-1", gateway.onlyRequest().header("Authorization"));
    }

    @Test
    void sendWithJsonPrintsTheAcceptedMessage() throws Exception {
        enrolled();
        gateway.on("POST", "/v1/messages", 202,
                "{\"id\":\"m1\",\"conversationId\":\"c1\",\"status\":\"queued\",\"channel\":\"sms\",\"seq\":7}");

        int status = run("--server", server(), "--device-dir", dir(), "send", "--to", "+390622222222", "--text", "hello",
                "--json");

        assertEquals(0, status, err.text());
        JsonNode printed = JSON.readTree(out.next());
        assertEquals("m1", printed.path("id").asText());
        assertEquals("c1", printed.path("conversationId").asText());
        assertEquals("queued", printed.path("status").asText());
        assertEquals("sms", printed.path("channel").asText());
        assertEquals(7, printed.path("seq").asLong());
        assertFalse(gateway.onlyRequest().header("Idempotency-Key").isBlank());
    }

    @Test
    void serverDefaultsToTheOneTheFolderWasSetUpWith() throws Exception {
        enrolled();
        gateway.on("POST", "/v1/messages", 202,
                "{\"id\":\"m1\",\"conversationId\":\"c1\",\"status\":\"delivered\",\"channel\":\"onnet\",\"seq\":7}");

        int status = run("--device-dir", dir(), "send", "--to", "+390622222222", "--text", "hello");

        assertEquals(0, status, err.text());
        assertEquals("sent m1 to +390622222222: delivered via onnet", out.next());
    }

    @Test
    void conversationsPrintsOneReadableLineEach() throws Exception {
        enrolled();
        gateway.on("GET", "/v1/conversations", 200, "{\"conversations\":["
                + "{\"id\":\"c1\",\"peer\":\"+390622222222\",\"unread\":2,\"lastMessage\":{\"text\":\"hi\"}},"
                + "{\"id\":\"c2\",\"peer\":\"+390633333333\",\"unread\":0,\"lastMessage\":null}],\"next\":null}");

        int status = run("--server", server(), "--device-dir", dir(), "conversations");

        assertEquals(0, status, err.text());
        assertEquals(List.of("+390622222222  2 unread  hi", "+390633333333  0 unread  "), out.all());
    }

    @Test
    void messagesWithAPeerReadsOldestFirstAndJsonKeepsTheApiOrder() throws Exception {
        enrolled();
        gateway.on("GET", "/v1/conversations", 200,
                "{\"conversations\":[{\"id\":\"c1\",\"peer\":\"+390622222222\"}],\"next\":null}");
        gateway.on("GET", "/v1/conversations/c1/messages", 200, "{\"messages\":["
                + "{\"id\":\"m2\",\"direction\":\"in\",\"from\":\"+390622222222\",\"text\":\"fine\",\"status\":\"delivered\",\"createdAt\":\"T2\"},"
                + "{\"id\":\"m1\",\"direction\":\"out\",\"to\":\"+390622222222\",\"text\":\"how are you\",\"status\":\"read\",\"createdAt\":\"T1\"}"
                + "],\"next\":null}");

        assertEquals(0, run("--server", server(), "--device-dir", dir(), "messages", "--with", "+390622222222"));
        assertEquals(List.of("T1  -> +390622222222  how are you  [read]", "T2  <- +390622222222  fine  [delivered]"),
                out.all());

        Lines json = new Lines();
        assertEquals(0, Cli.run(new String[] {"--device-dir", dir(), "--json", "messages", "--with", "+390622222222"},
                json.stream, err.stream));
        JsonNode printed = JSON.readTree(json.next());
        assertEquals("c1", printed.path("conversation").path("id").asText());
        assertEquals("m2", printed.path("messages").path(0).path("id").asText());
    }

    @Test
    void unlinkingThisDeviceForgetsItsToken() throws Exception {
        enrolled();
        gateway.on("DELETE", "/v1/devices/dev-1", request -> Reply.noContent());

        int status = run("--server", server(), "--device-dir", dir(), "unlink", "dev-1");

        assertEquals(0, status, err.text());
        assertEquals("unlinked dev-1", out.next());
        assertEquals(Optional.empty(), new DeviceFolder(temp).credentials());
    }

    @Test
    void tokenPrintsTheBearerTokenWithoutNeedingTheServer() throws Exception {
        enrolled();

        assertEquals(0, run("--device-dir", dir(), "token"));
        assertEquals("tok-1", out.next());

        Lines json = new Lines();
        assertEquals(0, Cli.run(new String[] {"--device-dir", dir(), "token", "--json"}, json.stream, err.stream));
        assertEquals("tok-1", JSON.readTree(json.next()).path("token").asText());
    }

    // --- failures: exit 1 ---------------------------------------------------------------------

    @Test
    void apiErrorPrintsCodeAndMessageAndExits1() {
        enrolled();
        gateway.on("POST", "/v1/messages", 400, "{\"error\":\"invalid_field\",\"message\":\"to: not an E.164 number\"}");

        int status = run("--server", server(), "--device-dir", dir(), "send", "--to", "12", "--text", "x");

        assertEquals(1, status);
        assertEquals("error: invalid_field: to: not an E.164 number", err.all().get(0));
        assertTrue(out.all().isEmpty());
    }

    @Test
    void commandsThatNeedADeviceFailWhenTheFolderHasNone() {
        int status = run("--server", server(), "--device-dir", dir(), "devices");

        assertEquals(1, status);
        assertTrue(err.text().startsWith("error: not_enrolled: "), err.text());
    }

    @Test
    void unreachableGatewayExits1() throws Exception {
        enrolled();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        int status = run("--server", "http://127.0.0.1:" + closedPort, "--device-dir", dir(), "devices");

        assertEquals(1, status);
        assertTrue(err.text().startsWith("error: io: cannot reach the gateway"), err.text());
    }

    // --- watch --------------------------------------------------------------------------------

    @Test
    void watchPrintsEventsUntilInterruptedAndKeepsTheCursor() throws Exception {
        try (FakeStreamServer stream = new FakeStreamServer()) {
            new DeviceFolder(temp).saveCredentials(stream.uri(), ENROLLED);
            CompletableFuture<Integer> status = runInBackground("--device-dir", dir(), "watch", "--json");
            FakeStreamServer.Connection connection = stream.nextConnection();
            assertEquals("/v1/stream?since=0", connection.path);
            assertEquals("Bearer tok-1", connection.headers.get("authorization"));

            connection.sendText("{\"seq\":1,\"type\":\"conversation.read\",\"at\":\"2026-01-01T10:00:00Z\","
                    + "\"data\":{\"conversationId\":\"c1\",\"upTo\":\"m1\"}}");
            connection.sendText("{\"type\":\"typing\",\"data\":{\"peer\":\"+390622222222\",\"active\":true}}");

            JsonNode event = JSON.readTree(out.next());
            assertEquals(1, event.path("seq").asLong());
            assertEquals("m1", event.path("data").path("upTo").asText());
            assertEquals("typing", JSON.readTree(out.next()).path("type").asText());
            assertEquals("{\"ack\":1}", connection.nextText());

            watchThread.interrupt();
            assertEquals(0, status.get(10, TimeUnit.SECONDS));
            assertEquals(1, new DeviceFolder(temp).cursorStore().load());
        }
    }

    @Test
    void watchStopsWithExit1WhenTheDeviceIsUnlinked() throws Exception {
        try (FakeStreamServer stream = new FakeStreamServer()) {
            new DeviceFolder(temp).saveCredentials(stream.uri(), ENROLLED);
            CompletableFuture<Integer> status = runInBackground("--device-dir", dir(), "watch");

            stream.nextConnection().sendClose(4401, "unlinked");

            assertEquals(1, status.get(10, TimeUnit.SECONDS));
            assertTrue(err.all().contains("error: unlinked: unlinked"), err.text());
            assertEquals(Optional.empty(), new DeviceFolder(temp).credentials());
        }
    }

    // -----------------------------------------------------------------------------------------

    private volatile Thread watchThread;

    private CompletableFuture<Integer> runInBackground(String... args) {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        watchThread = new Thread(() -> status.complete(Cli.run(args, out.stream, err.stream)), "cli-under-test");
        watchThread.setDaemon(true);
        watchThread.start();
        return status;
    }

    private int run(String... args) {
        return Cli.run(args, out.stream, err.stream);
    }

    private void assertUsageError(String... args) {
        int status = run(args);

        assertEquals(2, status, "exit status for " + new ArrayList<>(List.of(args)) + "; err: " + err.text());
        assertTrue(err.text().startsWith("error: "), err.text());
        assertTrue(err.text().contains("usage: "), err.text());
    }

    private void enrolled() {
        new DeviceFolder(temp).saveCredentials(URI.create(server()), ENROLLED);
    }

    private String dir() {
        return temp.toString();
    }

    private String server() {
        return gateway.uri().toString();
    }
}
