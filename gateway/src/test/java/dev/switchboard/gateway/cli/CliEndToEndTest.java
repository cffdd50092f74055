package dev.switchboard.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.cli.Cli;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a person uses it: enroll, link a second device by its QR text, send, read, list. */
class CliEndToEndTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();



    record Result(int exit, String out, String err) {}

    private static Result cli(Path dir, String... command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("--server", gw.uri().toString(), "--device-dir", dir.toString()));
        args.addAll(List.of(command));
        int exit = Cli.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void enrollLinkSendAndReadThroughTheCli(@TempDir Path phone, @TempDir Path laptop, @TempDir Path peer) throws Exception {
        String code = gw.serve("+390612121201");
        String peerCode = gw.serve("+390612121202");
        assertEquals(0, cli(phone, "enroll", "--number", "+390612121201", "--code", code, "--name", "phone").exit());
        assertEquals(0, cli(peer, "enroll", "--number", "+390612121202", "--code", peerCode, "--name", "phone").exit());

        // `link` prints the QR text and blocks until the phone approves it.
        PipedInputStream pipe = new PipedInputStream();
        PrintStream linkOut = new PrintStream(new PipedOutputStream(pipe), true, StandardCharsets.UTF_8);
        ByteArrayOutputStream linkErr = new ByteArrayOutputStream();
        CompletableFuture<Integer> linking = CompletableFuture.supplyAsync(() -> {
            try {
                return Cli.run(new String[] {"--server", gw.uri().toString(), "--device-dir", laptop.toString(), "link", "--name", "laptop"},
                        linkOut, new PrintStream(linkErr, true, StandardCharsets.UTF_8));
            } finally {
                linkOut.close();
            }
        });
        BufferedReader lines = new BufferedReader(new InputStreamReader(pipe, StandardCharsets.UTF_8));
        String qr = null;
        List<String> drawn = new ArrayList<>();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("QR: ")) {
                qr = line.substring(4);
                break;
            }
            drawn.add(line);
        }
        assertTrue(qr != null && qr.startsWith("sblink:2:"), "link printed its QR text");
        assertEquals(6, qr.split(":").length, "with the link id, both keys and the linking secret: " + qr);
        assertTrue(drawn.size() > 10 && drawn.stream().anyMatch(l -> l.contains("\u2588")), "and drew the code in the terminal");
        // A code whose identity key is not the one the request was made with is refused before anything is signed.
        String otherIdentity = qr.replace(qr.split(":")[4], dev.switchboard.client.DeviceKeys.generate().identityKeyB64());
        Result mismatch = cli(phone, "approve", otherIdentity);
        assertEquals(1, mismatch.exit());
        assertTrue(mismatch.err().startsWith("error: link_refused: "), mismatch.err());
        Result approve = cli(phone, "approve", qr);
        assertEquals(0, approve.exit(), approve.err());
        new Thread(() -> lines.lines().count()).start(); // drain the rest so the CLI never blocks on the pipe
        assertEquals(0, linking.get(30, TimeUnit.SECONDS), linkErr.toString(StandardCharsets.UTF_8));
        assertEquals(1L, new dev.switchboard.client.DeviceFolder(laptop).trustStore().peer("+390612121201").orElseThrow().highestVersion(),
                "the companion trusts its account key and list version from the provisioning");

        Result devices = cli(laptop, "--json", "devices");
        assertEquals(0, devices.exit(), devices.err());
        assertEquals(2, new JsonObject(devices.out().trim()).getJsonArray("devices").size());

        Result sent = cli(laptop, "send", "--to", "+390612121202", "--text", "hi from the laptop", "--json");
        assertEquals(0, sent.exit(), sent.err());
        assertEquals("delivered", new JsonObject(sent.out().trim()).getString("status"));

        Result inbox = cli(peer, "--json", "messages", "--with", "+390612121201");
        assertEquals(0, inbox.exit(), inbox.err());
        assertTrue(inbox.out().contains("hi from the laptop"), inbox.out());

        Result conversations = cli(phone, "conversations");
        assertEquals(0, conversations.exit(), conversations.err());
        assertTrue(conversations.out().contains("+390612121202"), conversations.out());

        Result token = cli(laptop, "token");
        assertEquals(0, token.exit());
        assertEquals(200, gw.get("/v1/devices", token.out().trim()).status(), "the printed token is the device's bearer token");
    }

    @Test
    void failuresExitNonZero(@TempDir Path dir) {
        assertEquals(2, cli(dir, "frobnicate").exit());
        Result wrong = cli(dir, "enroll", "--number", "+390612121209", "--code", "000", "--name", "x");
        assertEquals(1, wrong.exit());
        assertTrue(wrong.err().contains("invalid_enrollment_code"), wrong.err());
        assertEquals(1, cli(dir, "conversations").exit(), "no credentials yet");
    }

}
