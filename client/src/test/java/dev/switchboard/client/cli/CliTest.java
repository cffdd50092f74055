package dev.switchboard.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceFolder;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.TrustStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI where no server takes part: command-line parsing and usage errors (exit 2), help, and
 * failures found before any request. The commands at work against a gateway are tested against the
 * real gateway, in the gateway module's {@code dev.switchboard.gateway.cli} tests.
 */
class CliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DeviceCredentials ENROLLED = new DeviceCredentials("+390611111111", "dev-1", "tok-1");

    @TempDir
    Path temp;

    private final Lines out = new Lines();
    private final Lines err = new Lines();
    /** Nothing listens there: a command that reached for the network would fail with {@code error: io: ...}, exit 1. */
    private final String nowhere = nowhere();

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
        assertUsageError("--device-dir", dir(), "security-code");
        assertUsageError("--device-dir", dir(), "security-code", "+390622222222", "+390633333333");
        assertUsageError("--device-dir", dir(), "publish-list", "extra");
    }

    @Test
    void securityCodeTakesNoOptionsButJson() {
        assertUsageError("--device-dir", dir(), "security-code", "+390622222222", "--peer", "x");
    }

    @Test
    void securityCodeNeedsADevice() {
        int status = run("--server", nowhere, "--device-dir", dir(), "security-code", "+390622222222");

        assertEquals(1, status);
        assertTrue(err.text().startsWith("error: not_enrolled: "), err.text());
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

        // Exit 2, not the exit 1 of an unreachable server: the text was refused before any request.
        assertUsageError("--server", nowhere, "--device-dir", dir(), "approve", "https://example.com/");
    }

    // --- help ---------------------------------------------------------------------------------

    @Test
    void helpPrintsEveryCommandAndExits0() {
        for (String[] args : List.of(new String[] {"help"}, new String[] {"--help"}, new String[] {"-h"})) {
            Lines help = new Lines();

            assertEquals(0, Cli.run(args, help.stream, err.stream));

            for (String command : List.of("enroll", "link", "approve", "send", "conversations", "messages", "watch",
                    "devices", "unlink", "security-code", "trust", "publish-list", "token")) {
                assertTrue(help.text().contains("\n  " + command), command + " missing from\n" + help.text());
            }
        }
    }

    // --- commands that need no server ---------------------------------------------------------

    @Test
    void tokenPrintsTheBearerTokenWithoutNeedingTheServer() throws Exception {
        enrolled();

        assertEquals(0, run("--device-dir", dir(), "token"));
        assertEquals("tok-1", out.next());

        Lines json = new Lines();
        assertEquals(0, Cli.run(new String[] {"--device-dir", dir(), "token", "--json"}, json.stream, err.stream));
        assertEquals("tok-1", JSON.readTree(json.next()).path("token").asText());
    }

    @Test
    void trustAcknowledgesAChangedAccountKeyWithoutTheServer() throws Exception {
        enrolled();
        String peer = "+390622222222";
        byte[] oldKey = DeviceKeys.generate().rawIdentityKey();
        byte[] newKey = DeviceKeys.generate().rawIdentityKey();
        TrustStore trust = new DeviceFolder(temp).trustStore();
        trust.accept(peer, oldKey, 0);
        assertTrue(trust.accept(peer, newKey, 0));

        assertEquals(0, run("--device-dir", dir(), "trust", peer), err.text());

        assertTrue(out.next().startsWith("accepted the new account key of " + peer));
        assertFalse(new DeviceFolder(temp).trustStore().accept(peer, newKey, 0), "no longer reported");
        Lines json = new Lines();
        assertEquals(0, Cli.run(new String[] {"--device-dir", dir(), "--json", "trust", peer}, json.stream, err.stream));
        assertFalse(JSON.readTree(json.next()).path("acknowledged").asBoolean(true), "nothing left to acknowledge");
    }

    @Test
    void trustNeedsANumberSeenBefore() {
        assertUsageError("--device-dir", dir(), "trust");
        assertUsageError("--device-dir", dir(), "trust", "+390622222222", "--accept", "x");

        assertEquals(1, run("--device-dir", dir(), "trust", "+390622222222"));
        assertTrue(err.text().contains("error: unknown_number: "), err.text());
    }

    // --- failures: exit 1 ---------------------------------------------------------------------

    @Test
    void commandsThatNeedADeviceFailWhenTheFolderHasNone() {
        int status = run("--server", nowhere, "--device-dir", dir(), "devices");

        assertEquals(1, status);
        assertTrue(err.text().startsWith("error: not_enrolled: "), err.text());
    }

    @Test
    void aPendingEncryptionKeyIsSettledBeforeACommandBestEffort() {
        enrolled();
        DeviceFolder folder = new DeviceFolder(temp);
        folder.savePendingEncryptionKey(folder.keys().withNewEncryptionKey(), "2");

        int status = run("--server", nowhere, "--device-dir", dir(), "devices");

        assertEquals(1, status);
        assertTrue(err.text().startsWith("warning: cannot settle the pending encryption key"), err.text());
        assertTrue(err.text().contains("error: io: cannot reach the gateway"), err.text());
        assertEquals("1", folder.encryptionKeyId());
        assertTrue(folder.pendingEncryptionKey().isPresent(), "still pending");
    }

    @Test
    void unreachableGatewayExits1() {
        enrolled();

        int status = run("--server", nowhere, "--device-dir", dir(), "devices");

        assertEquals(1, status);
        assertTrue(err.text().startsWith("error: io: cannot reach the gateway"), err.text());
    }

    // -----------------------------------------------------------------------------------------

    private int run(String... args) {
        return Cli.run(args, out.stream, err.stream);
    }

    private void assertUsageError(String... args) {
        int status = run(args);

        assertEquals(2, status, "exit status for " + new ArrayList<>(List.of(args)) + "; err: " + err.text());
        assertTrue(err.text().startsWith("error: "), err.text());
        assertTrue(err.text().contains("usage: "), err.text());
    }

    /** A folder set up against {@link #nowhere}, so a command that needs no server proves it by succeeding. */
    private void enrolled() {
        new DeviceFolder(temp).saveCredentials(URI.create(nowhere), ENROLLED);
    }

    private String dir() {
        return temp.toString();
    }

    private static String nowhere() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
