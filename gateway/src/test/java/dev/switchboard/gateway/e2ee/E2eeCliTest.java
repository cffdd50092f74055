package dev.switchboard.gateway.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.DeviceFolder;
import dev.switchboard.client.cli.Cli;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end messages as a person uses the CLI: {@code send} encrypts by itself to a peer that can
 * take it, {@code messages} decrypts and marks them, a carrier conversation says it is not end to
 * end encrypted, {@code approve --history} hands a new companion the earlier messages, and a changed
 * account key stops {@code send} with a warning until {@code trust}.
 */
class E2eeCliTest {
    private static final String A = "+390621210001";
    private static final String B = "+390621210002";
    private static final String C = "+447700921003";

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    record Result(int exit, String out, String err) {
    }

    private static Result cli(Path dir, String... command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("--server", gw.uri().toString(), "--device-dir", dir.toString()));
        args.addAll(List.of(command));
        int exit = Cli.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void ok(Result result) {
        assertEquals(0, result.exit(), result.out() + result.err());
    }

    @Test
    void sendEncryptsMessagesDecryptsAndApproveHandsOverTheHistory(@TempDir Path phone, @TempDir Path peer,
            @TempDir Path laptop) throws Exception {
        ok(cli(phone, "enroll", "--number", A, "--code", gw.serve(A), "--name", "phone"));
        ok(cli(phone, "publish-list"));
        ok(cli(peer, "enroll", "--number", B, "--code", gw.serve(B), "--name", "phone"));
        ok(cli(peer, "publish-list"));

        Result sent = cli(phone, "--json", "send", "--to", B, "--text", "a secret for B only");
        ok(sent);
        assertTrue(new JsonObject(sent.out().trim()).getBoolean("e2ee"), sent.out());
        Path file = Files.writeString(peer.resolve("note.txt"), "an attached note");
        ok(cli(peer, "send", "--to", A, "--text", "and a file back", "--file", file.toString()));

        Result json = cli(peer, "--json", "messages", "--with", A);
        ok(json);
        JsonArray messages = new JsonObject(json.out().trim()).getJsonArray("messages");
        assertEquals(2, messages.size());
        for (Object m : messages) {
            JsonObject message = (JsonObject) m;
            assertTrue(message.getBoolean("e2ee"));
            assertFalse(message.containsKey("decryptError"), message.encode());
            assertFalse(message.containsKey("encrypted"), "the ciphertext is not printed");
        }
        assertEquals("and a file back", messages.getJsonObject(0).getString("text"));
        assertEquals("note.txt", messages.getJsonObject(0).getJsonArray("parts").getJsonObject(0).getString("fileName"));
        assertEquals("a secret for B only", messages.getJsonObject(1).getString("text"));

        Result human = cli(phone, "messages", "--with", B);
        ok(human);
        assertTrue(human.out().contains("end-to-end encrypted") && human.out().contains("\uD83D\uDD12 -> " + B + "  a secret for B only"),
                human.out());

        // A carrier peer: sent as before, and said to be not end-to-end encrypted.
        Result toCarrier = cli(phone, "--json", "send", "--to", C, "--text", "hello over SMS");
        ok(toCarrier);
        assertFalse(new JsonObject(toCarrier.out().trim()).getBoolean("e2ee"));
        Result carrier = cli(phone, "messages", "--with", C);
        ok(carrier);
        assertTrue(carrier.out().contains("not end-to-end encrypted (SMS)"), carrier.out());
        assertFalse(carrier.out().contains("\uD83D\uDD12"), carrier.out());

        // A new laptop for A gets the history through approve --history.
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
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("QR: ")) {
                qr = line.substring(4);
                break;
            }
        }
        assertTrue(qr != null, "link printed its QR text");
        ok(cli(phone, "approve", "--history", qr));
        new Thread(() -> lines.lines().count()).start();
        assertEquals(0, linking.get(30, TimeUnit.SECONDS), linkErr.toString(StandardCharsets.UTF_8));

        Result onLaptop = cli(laptop, "--json", "messages", "--with", B);
        ok(onLaptop);
        JsonArray history = new JsonObject(onLaptop.out().trim()).getJsonArray("messages");
        assertEquals(2, history.size());
        for (Object m : history) {
            JsonObject message = (JsonObject) m;
            assertEquals("history", message.getString("decryptedFrom"), message.encode());
        }
        assertEquals("a secret for B only", history.getJsonObject(1).getString("text"));

        // B's account key as A's phone remembers it is not the one shown now: no send until trusted.
        new DeviceFolder(phone).trustStore().put(B, 0, Ed25519.generate().publicKey());
        Result refused = cli(phone, "send", "--to", B, "--text", "still you?");
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("account_key_changed") && refused.err().contains("warning: the account key of " + B),
                refused.err());
        ok(cli(phone, "trust", B));
        Result accepted = cli(phone, "--json", "send", "--to", B, "--text", "still you?");
        ok(accepted);
        assertTrue(new JsonObject(accepted.out().trim()).getBoolean("e2ee"));
    }
}
