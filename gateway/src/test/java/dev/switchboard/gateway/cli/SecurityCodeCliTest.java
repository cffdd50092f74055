package dev.switchboard.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceFolder;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.LinkRequest;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.cli.Cli;
import dev.switchboard.crypto.SecurityCode;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code security-code <number>} and {@code publish-list} against the real gateway: both sides of a
 * conversation print the same code, a replaced primary makes the code change with a warning, and
 * keys that do not verify make the command fail.
 */
class SecurityCodeCliTest {

    private static final String CODE_SHAPE = "\\d{5}( \\d{5}){11}";
    private static final String WARNING = "warning: the account key of %s changed since you last saw it";

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    @Test
    void bothSidesPrintTheSameCode(@TempDir Path alice, @TempDir Path bob) throws Exception {
        DeviceCredentials a = enroll(alice, "+390659590001");
        DeviceCredentials b = enroll(bob, "+390659590002");

        Result fromAlice = cli(alice, "security-code", b.number());
        Result fromBob = cli(bob, "security-code", a.number());

        assertEquals(0, fromAlice.exit(), fromAlice.err());
        assertEquals(0, fromBob.exit(), fromBob.err());
        String code = fromAlice.out().strip();
        assertTrue(code.matches(CODE_SHAPE), code);
        assertEquals(1, fromAlice.out().lines().count(), fromAlice.out());
        assertEquals(code, fromBob.out().strip(), "the same code on both sides");
        assertEquals(SecurityCode.of(a.number(), new DeviceFolder(alice).keys().rawIdentityKey(),
                b.number(), new DeviceFolder(bob).keys().rawIdentityKey()), code);
        assertEquals("", fromAlice.err(), "no warning the first time");
        assertEquals("", fromBob.err());
    }

    @Test
    void jsonPrintsOnlyTheSecurityCode(@TempDir Path alice, @TempDir Path bob) throws Exception {
        enroll(alice, "+390659590003");
        DeviceCredentials b = enroll(bob, "+390659590004");
        String text = cli(alice, "security-code", b.number()).out().strip();

        Result json = cli(alice, "security-code", b.number(), "--json");

        assertEquals(0, json.exit(), json.err());
        assertEquals(1, json.out().lines().count(), json.out());
        JsonObject printed = new JsonObject(json.out().strip());
        assertEquals(Set.of("securityCode"), printed.fieldNames());
        assertEquals(text, printed.getString("securityCode"));
        assertEquals(text, new JsonObject(cli(alice, "--json", "security-code", b.number()).out().strip())
                .getString("securityCode"), "--json before the command works too");
    }

    @Test
    void aCompanionPrintsTheSameCodeAsItsPrimary(@TempDir Path phone, @TempDir Path laptop, @TempDir Path bob)
            throws Exception {
        enroll(phone, "+390659590005");
        linkFolder(laptop, phone);
        DeviceCredentials b = enroll(bob, "+390659590006");

        Result fromPhone = cli(phone, "security-code", b.number());
        Result fromLaptop = cli(laptop, "security-code", b.number());

        assertEquals(0, fromLaptop.exit(), fromLaptop.err());
        assertEquals(fromPhone.out(), fromLaptop.out(), "the code is of the account keys, not of the device");
    }

    @Test
    void aReplacedPrimaryChangesTheCodeWithAWarningUntilTrusted(@TempDir Path alice, @TempDir Path bob, @TempDir Path bobsNewPhone)
            throws Exception {
        DeviceCredentials a = enroll(alice, "+390659590007");
        DeviceCredentials b = enroll(bob, "+390659590008");
        Result before = cli(alice, "security-code", b.number());
        assertEquals(0, before.exit(), before.err());

        enroll(bobsNewPhone, b.number());

        Result after = cli(alice, "security-code", b.number());
        assertEquals(0, after.exit(), after.err());
        assertTrue(after.err().lines().anyMatch(line -> line.equals(String.format(WARNING, b.number()))), after.err());
        assertTrue(after.out().strip().matches(CODE_SHAPE), after.out());
        assertNotEquals(before.out(), after.out(), "a new account key, a new code");
        assertEquals(after.out(), cli(bobsNewPhone, "security-code", a.number()).out(), "the new phone agrees");

        Result again = cli(alice, "security-code", b.number(), "--json");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains(String.format(WARNING, b.number())), "warned until trusted: " + again.err());
        assertTrue(again.err().contains("trust " + b.number()), again.err());
        assertEquals(after.out().strip(), new JsonObject(again.out().strip()).getString("securityCode"));

        Result trusted = cli(alice, "trust", b.number());
        assertEquals(0, trusted.exit(), trusted.err());
        assertTrue(trusted.out().startsWith("accepted the new account key of " + b.number()), trusted.out());

        Result quiet = cli(alice, "security-code", b.number());
        assertEquals(0, quiet.exit(), quiet.err());
        assertEquals("", quiet.err(), "no warning once trusted");
        assertEquals(after.out(), quiet.out());
    }

    @Test
    void theWarningAlsoComesWithJson(@TempDir Path alice, @TempDir Path bob, @TempDir Path bobsNewPhone) throws Exception {
        enroll(alice, "+390659590009");
        DeviceCredentials b = enroll(bob, "+390659590010");
        assertEquals(0, cli(alice, "security-code", b.number()).exit());
        enroll(bobsNewPhone, b.number());

        Result json = cli(alice, "--json", "security-code", b.number());

        assertEquals(0, json.exit(), json.err());
        assertTrue(json.err().contains(String.format(WARNING, b.number())), json.err());
        assertTrue(new JsonObject(json.out().strip()).getString("securityCode").matches(CODE_SHAPE), "stdout stays JSON");
    }

    @Test
    void aRollbackMakesTheCommandFail(@TempDir Path alice, @TempDir Path bob) throws Exception {
        enroll(alice, "+390659590011");
        DeviceCredentials b = enroll(bob, "+390659590012");
        Result published = cli(bob, "publish-list");
        assertEquals(0, published.exit(), published.err());
        new DeviceFolder(alice).trustStore().put(b.number(), 2, new DeviceFolder(bob).keys().rawIdentityKey());

        Result refused = cli(alice, "security-code", b.number());

        assertEquals(1, refused.exit());
        assertEquals("", refused.out());
        assertTrue(refused.err().startsWith("error: key_verification_failed: "), refused.err());
        assertTrue(refused.err().contains("rollback"), refused.err());
    }

    @Test
    void aNumberThisGatewayDoesNotServeIsAnApiError(@TempDir Path alice) throws Exception {
        enroll(alice, "+390659590013");

        Result r = cli(alice, "security-code", "+14155550199");

        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("error: not_found: "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void securityCodeWithoutANumberIsAUsageError(@TempDir Path alice) throws Exception {
        enroll(alice, "+390659590014");

        Result r = cli(alice, "security-code");

        assertEquals(2, r.exit());
        assertTrue(r.err().contains("usage: "), r.err());
    }

    // --- publish-list -------------------------------------------------------------------------

    @Test
    void publishListPrintsTheNewVersion(@TempDir Path phone, @TempDir Path laptop) throws Exception {
        DeviceCredentials a = enroll(phone, "+390659590015");

        Result first = cli(phone, "publish-list");
        assertEquals(0, first.exit(), first.err());
        assertEquals("published device list version 1 of " + a.number(), first.out().strip());

        linkFolder(laptop, phone);
        Result json = cli(phone, "--json", "publish-list");
        assertEquals(0, json.exit(), json.err());
        assertEquals(3L, new JsonObject(json.out().strip()).getLong("version"), "the link itself stored version 2");

        Result fromCompanion = cli(laptop, "publish-list");
        assertEquals(1, fromCompanion.exit());
        assertTrue(fromCompanion.err().startsWith("error: "), fromCompanion.err());
    }

    @Test
    void approveRecordsTheCompanionThatPublishListThenSigns(@TempDir Path phone, @TempDir Path laptop) throws Exception {
        enroll(phone, "+390659590016");

        String laptopId = linkFolder(laptop, phone);

        assertEquals(Set.of(laptopId), new DeviceFolder(phone).approvedDevices().deviceIds());
        Result published = cli(phone, "--json", "publish-list");
        assertEquals(0, published.exit(), published.err());
        assertEquals(2L, new JsonObject(published.out().strip()).getLong("version"), "after the link's version 1");
    }

    @Test
    void publishListRefusesADeviceThePrimaryNeverApproved(@TempDir Path phone, @TempDir Path laptop) throws Exception {
        DeviceCredentials a = enroll(phone, "+390659590017");
        String laptopId = linkFolder(laptop, phone);
        assertEquals(0, cli(phone, "publish-list").exit());
        String strangerId = linkUnrecorded(phone);

        Result refused = cli(phone, "publish-list");

        assertEquals(1, refused.exit());
        assertEquals("", refused.out());
        assertTrue(refused.err().startsWith("error: key_verification_failed: "), refused.err());
        assertTrue(refused.err().contains(strangerId), refused.err());
        assertFalse(refused.err().contains(laptopId), refused.err());
        assertEquals(3L, gw.get("/v1/keys/" + java.net.URLEncoder.encode(a.number(), java.nio.charset.StandardCharsets.UTF_8),
                a.token()).json().getJsonObject("deviceList").getLong("version"), "nothing was published after the stranger's link");

        Result unlinked = cli(phone, "unlink", strangerId);
        assertEquals(0, unlinked.exit(), unlinked.err());
        Result published = cli(phone, "--json", "publish-list");
        assertEquals(0, published.exit(), published.err());
        assertEquals(5L, new JsonObject(published.out().strip()).getLong("version"), "after the unlink's version 4");
    }

    @Test
    void unlinkForgetsTheApproval(@TempDir Path phone, @TempDir Path laptop) throws Exception {
        enroll(phone, "+390659590018");
        String laptopId = linkFolder(laptop, phone);

        Result unlinked = cli(phone, "unlink", laptopId);

        assertEquals(0, unlinked.exit(), unlinked.err());
        assertTrue(new DeviceFolder(phone).approvedDevices().isEmpty());
        assertEquals(0, cli(phone, "publish-list").exit(), "an unlinked companion needs no check");
    }

    // -----------------------------------------------------------------------------------------

    record Result(int exit, String out, String err) {}

    private static Result cli(Path dir, String... command) {
        Lines out = new Lines();
        Lines err = new Lines();
        List<String> args = new ArrayList<>(List.of("--server", gw.uri().toString(), "--device-dir", dir.toString()));
        args.addAll(List.of(command));
        int exit = Cli.run(args.toArray(new String[0]), out.stream, err.stream);
        return new Result(exit, text(out), text(err));
    }

    private static String text(Lines lines) {
        return lines.all().stream().map(line -> line + "\n").reduce("", String::concat);
    }

    /** Enrolls the folder as the number's primary through the CLI, with a fresh code (replacing any primary). */
    private static DeviceCredentials enroll(Path dir, String number) throws Exception {
        String code = gw.serve(number);
        Result enrolled = cli(dir, "enroll", "--number", number, "--code", code, "--name", "phone");
        assertEquals(0, enrolled.exit(), enrolled.err());
        return new DeviceFolder(dir).credentials().orElseThrow();
    }

    /**
     * Links the folder as a companion of the primary in {@code primaryDir}, as {@code link} does on
     * the new device (without the terminal in between) and {@code approve} on the primary, which
     * records the approval.
     *
     * @return the new companion's device id
     */
    private static String linkFolder(Path dir, Path primaryDir) throws Exception {
        DeviceFolder folder = new DeviceFolder(dir);
        SwitchboardClient fresh = gw.anonymous();
        LinkRequest request = fresh.createLinkRequest("laptop", folder.keys());
        Result approved = cli(primaryDir, "approve", request.qr());
        assertEquals(0, approved.exit(), approved.err());
        folder.saveCredentials(gw.uri(), fresh.awaitApproval(request, Duration.ofSeconds(10)));
        String deviceId = folder.credentials().orElseThrow().deviceId();
        assertEquals("approved: linked device " + deviceId, approved.out().strip());
        return deviceId;
    }

    /**
     * Links a device to the primary in {@code primaryDir} with a client that approves with the
     * account key but records nothing: to the primary's folder, a device it never approved.
     *
     * @return its device id
     */
    private static String linkUnrecorded(Path primaryDir) {
        DeviceFolder primary = new DeviceFolder(primaryDir);
        SwitchboardClient fresh = gw.anonymous();
        LinkRequest request = fresh.createLinkRequest("stranger", DeviceKeys.generate());
        gw.anonymous().withCredentials(primary.credentials().orElseThrow()).approveLink(request.qr(), primary.keys());
        return fresh.awaitApproval(request, Duration.ofSeconds(10)).deviceId();
    }
}
