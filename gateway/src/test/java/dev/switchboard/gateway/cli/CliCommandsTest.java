package dev.switchboard.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.CursorStore;
import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceFolder;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.LinkQr;
import dev.switchboard.client.LinkRequest;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.cli.Cli;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One CLI behaviour per test, against the real gateway: what the commands print, what they keep in
 * the device folder, and how they fail. {@link CliEndToEndTest} walks the whole path a person takes.
 */
class CliCommandsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();



    // --- link --------------------------------------------------------------------------------

    @Test
    void linkThatExpiresFailsWithTheApiCodeAndExits1(@TempDir Path tablet) throws Exception {
        Background link = background("--server", server(), "--device-dir", tablet.toString(), "link", "--name", "tablet");
        link.out.nextMatching("the QR text", line -> line.startsWith("QR: "));

        gw.clock.advance(Duration.ofMinutes(2).plusSeconds(1));

        assertEquals(1, link.exit());
        List<String> err = link.err.all();
        assertTrue(err.get(err.size() - 1).startsWith("error: link_expired: "), String.join("\n", err));
        assertEquals(Optional.empty(), new DeviceFolder(tablet).credentials());
    }

    // --- approve ---------------------------------------------------------------------------

    @Test
    void approveDashReadsTheQrTextFromStandardInput(@TempDir Path phone) throws Exception {
        enroll(phone, "+390647770001");
        SwitchboardClient laptop = gw.anonymous();
        LinkRequest request = laptop.createLinkRequest("laptop", DeviceKeys.generate());

        Result approved = cliWithStdin(phone, "\n  " + request.qr() + "  \n", "--server", server(), "approve", "-");

        assertEquals(0, approved.exit(), approved.err());
        assertTrue(approved.out().startsWith("approved: linked device " + request.deviceId()), approved.out());
        assertEquals(request.deviceId(), laptop.awaitApproval(request, WAIT).deviceId());
    }

    @Test
    void approveDashWithNothingOnStandardInputIsAUsageError(@TempDir Path phone) throws Exception {
        enroll(phone, "+390647770002");

        Result approved = cliWithStdin(phone, "\n\n", "--server", server(), "approve", "-");

        assertEquals(2, approved.exit(), approved.err());
        assertTrue(approved.err().contains("standard input"), approved.err());
    }

    @Test
    void approveWithHistoryUploadsNothingForAQrCodeTheGatewaysRequestDoesNotMatch(@TempDir Path phone) throws Exception {
        DeviceCredentials self = enroll(phone, "+390647770003");
        LinkRequest request = gw.anonymous().createLinkRequest("laptop", DeviceKeys.generate());
        LinkQr seen = LinkQr.parse(request.qr());
        String forged = new LinkQr(seen.linkId(), seen.ephemeralKey(), DeviceKeys.generate().identityKeyB64(),
                seen.linkingSecret()).text();

        Result refused = cli(phone, "approve", "--history", forged);

        assertEquals(1, refused.exit(), refused.out());
        assertTrue(refused.err().contains("link_refused"), refused.err());
        assertFalse(refused.err().contains("exported"), refused.err());
        assertEquals(0, mediaOf(self.number()), "no history bundle uploaded before the QR code was checked");

        Result approved = cli(phone, "approve", "--history", request.qr());
        assertEquals(0, approved.exit(), approved.err());
        assertTrue(approved.err().contains("exported"), approved.err());
        assertEquals(1, mediaOf(self.number()));
    }

    private static int mediaOf(String number) throws Exception {
        try (var c = gw.jdbc(); var st = c.prepareStatement("SELECT count(*) FROM media WHERE number = ?")) {
            st.setString(1, number);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    // --- messages ----------------------------------------------------------------------------

    @Test
    void messagesWithAPeerPrintsOldestFirstAndJsonKeepsNewestFirst(@TempDir Path phone) throws Exception {
        DeviceCredentials me = enroll(phone, "+390657570001");
        Device peer = gw.primary("+390657570002");
        assertEquals(0, cli(phone, "send", "--to", peer.number(), "--text", "first").exit());
        peer.client().send(me.number(), "second");
        assertEquals(0, cli(phone, "send", "--to", peer.number(), "--text", "third").exit());

        Result text = cli(phone, "messages", "--with", peer.number());

        assertEquals(0, text.exit(), text.err());
        List<String> lines = text.out().lines().toList();
        assertEquals(4, lines.size(), text.out());
        assertEquals("conversation with " + peer.number() + ": not end-to-end encrypted", lines.get(0),
                "no signed device lists: on-net, but not end to end, and it says so");
        assertTrue(lines.get(1).endsWith("  -> " + peer.number() + "  first  [delivered]"), lines.get(1));
        assertTrue(lines.get(2).endsWith("  <- " + peer.number() + "  second  [delivered]"), lines.get(2));
        assertTrue(lines.get(3).endsWith("  -> " + peer.number() + "  third  [delivered]"), lines.get(3));

        Result json = cli(phone, "--json", "messages", "--with", peer.number());

        assertEquals(0, json.exit(), json.err());
        JsonObject printed = new JsonObject(json.out().trim());
        assertEquals(peer.number(), printed.getJsonObject("conversation").getString("peer"));
        JsonArray messages = printed.getJsonArray("messages");
        assertEquals(List.of("third", "second", "first"),
                List.of(messages.getJsonObject(0).getString("text"), messages.getJsonObject(1).getString("text"),
                        messages.getJsonObject(2).getString("text")));
        assertEquals(3, messages.size());
    }

    // --- unlink ------------------------------------------------------------------------------

    @Test
    void unlinkingThisDeviceForgetsItsToken(@TempDir Path laptopDir) throws Exception {
        Device primary = gw.primary("+390657570003");
        DeviceCredentials laptop = linkThroughCli(laptopDir, primary);

        Result unlink = cli(laptopDir, "unlink", laptop.deviceId());

        assertEquals(0, unlink.exit(), unlink.err());
        assertEquals("unlinked " + laptop.deviceId(), unlink.out().trim());
        assertEquals(401, gw.get("/v1/devices", laptop.token()).status(), "the gateway unlinked it");
        Result token = cli(laptopDir, "token");
        assertEquals(1, token.exit());
        assertEquals("", token.out(), "no token left to print");
        assertTrue(token.err().startsWith("error: not_enrolled: "), token.err());
    }

    // --- watch -------------------------------------------------------------------------------

    @Test
    void watchPrintsEventsUntilInterruptedAndTheNextWatchCarriesOnFromTheCursor(@TempDir Path phone) throws Exception {
        DeviceCredentials me = enroll(phone, "+390657570004");
        Device peer = gw.primary("+390657570005");
        peer.client().send(me.number(), "before watching");
        CursorStore cursor = new DeviceFolder(phone).cursorStore();

        Background first = background("--server", server(), "--device-dir", phone.toString(), "watch", "--json");
        JsonObject linked = new JsonObject(first.out.next());
        assertEquals(1, linked.getLong("seq"));
        assertEquals("device.linked", linked.getString("type"));
        JsonObject backlog = new JsonObject(first.out.next());
        assertEquals(2, backlog.getLong("seq"));
        assertEquals("before watching", backlog.getJsonObject("data").getString("text"));
        peer.client().send(me.number(), "while watching");
        JsonObject live = new JsonObject(first.out.next());
        assertEquals(3, live.getLong("seq"));
        assertEquals("while watching", live.getJsonObject("data").getString("text"));
        Eventually.await("the cursor to reach seq 3", WAIT, () -> cursor.load() == 3);

        first.thread.interrupt();

        assertEquals(0, first.exit(), String.join("\n", first.err.all()));
        assertEquals(3, cursor.load(), "the cursor stays in the device folder");

        peer.client().send(me.number(), "between the watches");
        Background second = background("--server", server(), "--device-dir", phone.toString(), "watch", "--json");
        JsonObject next = new JsonObject(second.out.next());
        assertEquals(4, next.getLong("seq"), "the second watch starts after the cursor: " + next);
        assertEquals("between the watches", next.getJsonObject("data").getString("text"));
        second.thread.interrupt();
        assertEquals(0, second.exit());
        assertEquals(1, second.out.all().size(), "nothing printed twice: " + second.out.all());
    }

    @Test
    void watchStopsWithExit1WhenThePrimaryUnlinksTheDevice(@TempDir Path laptopDir) throws Exception {
        Device primary = gw.primary("+390657570006");
        DeviceCredentials laptop = linkThroughCli(laptopDir, primary);
        Background watch = background("--device-dir", laptopDir.toString(), "watch");
        watch.out.nextMatching("the laptop's own link event",
                line -> line.contains(" device.linked ") && line.contains(laptop.deviceId()));

        primary.client().unlink(laptop.deviceId());

        assertEquals(1, watch.exit());
        assertTrue(watch.out.all().stream().anyMatch(line -> line.contains(" device.unlinked ") && line.contains(laptop.deviceId())
                && line.endsWith("(unlinked_by_primary)")), "it printed why: " + watch.out.all());
        assertTrue(watch.err.all().stream().anyMatch(line -> line.startsWith("error: unlinked: ")), String.join("\n", watch.err.all()));
        assertEquals(Optional.empty(), new DeviceFolder(laptopDir).credentials(), "the dead token is forgotten");
    }

    // --- server and errors -------------------------------------------------------------------

    @Test
    void serverDefaultsToTheOneTheFolderWasSetUpWith(@TempDir Path phone) throws Exception {
        DeviceCredentials me = enroll(phone, "+390657570007");
        Device peer = gw.primary("+390657570008");

        Result sent = cliWithoutServer(phone, "send", "--to", peer.number(), "--text", "no --server needed");

        assertEquals(0, sent.exit(), sent.err());
        JsonObject mine = new JsonObject(gw.anonymous().withCredentials(me).conversationWith(peer.number()).orElseThrow()
                .get("lastMessage").toString());
        assertEquals("no --server needed", mine.getString("text"));
        assertEquals("sent " + mine.getString("id") + " to " + peer.number() + ": delivered via onnet  (not end-to-end encrypted)",
                sent.out().trim());
    }

    @Test
    void apiErrorPrintsCodeAndMessageAndExits1(@TempDir Path phone) throws Exception {
        DeviceCredentials me = enroll(phone, "+390657570009");
        HttpResult expected = gw.request("POST", "/v1/messages", me.token(), "{\"to\":\"12\",\"text\":\"x\"}",
                Map.of("Idempotency-Key", "see-what-the-gateway-says"));
        assertEquals("invalid_field", expected.error());

        Result r = cli(phone, "send", "--to", "12", "--text", "x");

        assertEquals(1, r.exit());
        assertEquals("error: invalid_field: " + expected.json().getString("message"), r.err().lines().findFirst().orElse(""));
        assertEquals("", r.out());
    }

    // -----------------------------------------------------------------------------------------

    record Result(int exit, String out, String err) {}

    private static String server() {
        return gw.uri().toString();
    }

    private static Result cli(Path dir, String... command) {
        List<String> args = new ArrayList<>(List.of("--server", server()));
        args.addAll(List.of(command));
        return cliWithoutServer(dir, args.toArray(new String[0]));
    }

    private static Result cliWithoutServer(Path dir, String... command) {
        Lines out = new Lines();
        Lines err = new Lines();
        List<String> args = new ArrayList<>(List.of("--device-dir", dir.toString()));
        args.addAll(List.of(command));
        int exit = Cli.run(args.toArray(new String[0]), out.stream, err.stream);
        return new Result(exit, text(out), text(err));
    }

    private static Result cliWithStdin(Path dir, String stdin, String... command) {
        Lines out = new Lines();
        Lines err = new Lines();
        List<String> args = new ArrayList<>(List.of("--device-dir", dir.toString()));
        args.addAll(List.of(command));
        int exit = Cli.run(args.toArray(new String[0]), new java.io.ByteArrayInputStream(stdin.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), out.stream, err.stream);
        return new Result(exit, text(out), text(err));
    }

    private static String text(Lines lines) {
        return lines.all().stream().map(line -> line + "\n").reduce("", String::concat);
    }

    /** Enrolls the folder as the number's primary through the CLI. */
    private static DeviceCredentials enroll(Path dir, String number) throws Exception {
        String code = gw.serve(number);
        Result enrolled = cli(dir, "enroll", "--number", number, "--code", code, "--name", "phone");
        assertEquals(0, enrolled.exit(), enrolled.err());
        return new DeviceFolder(dir).credentials().orElseThrow();
    }

    /** Links the folder as a companion through the CLI: {@code link} shows its QR text, the primary approves it. */
    private static DeviceCredentials linkThroughCli(Path dir, Device primary) throws Exception {
        Background link = background("--server", server(), "--device-dir", dir.toString(), "link", "--name", "laptop");
        String qr = link.out.nextMatching("the QR text", line -> line.startsWith("QR: ")).substring("QR: ".length());
        primary.client().approveLink(qr, primary.keys());
        assertEquals(0, link.exit(), String.join("\n", link.err.all()));
        return new DeviceFolder(dir).credentials().orElseThrow();
    }

    private static Background background(String... args) {
        return new Background(args);
    }

    /** A command that blocks (link, watch) on a thread of its own: interrupting that thread is how a watch ends. */
    private static final class Background {
        final Lines out = new Lines();
        final Lines err = new Lines();
        final Thread thread;
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();

        Background(String... args) {
            thread = new Thread(() -> {
                try {
                    exit.complete(Cli.run(args, out.stream, err.stream));
                } catch (Throwable t) {
                    exit.completeExceptionally(t);
                }
            }, "cli-under-test");
            thread.setDaemon(true);
            thread.start();
        }

        int exit() throws Exception {
            return exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
