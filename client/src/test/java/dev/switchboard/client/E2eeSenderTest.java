package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.crypto.ListedDevice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link E2eeSender} against a hostile gateway ({@link KeysServer}): the gateway decides what keys
 * it serves and how it answers each attempt, and the sender must never write in the clear to a
 * number it knew end to end, never seal to a device the latest signed list does not carry, and never
 * seal under an account key change the user did not accept, whichever path the send took.
 */
class E2eeSenderTest {

    private static final String A = "+390611111111";
    private static final String B = "+441611111112";

    private final DeviceKeys aPhone = DeviceKeys.generate();
    private final DeviceKeys bPhone = DeviceKeys.generate();
    private final DeviceKeys bLaptop = DeviceKeys.generate();
    private final KeysAnswer aKeys = new KeysAnswer(A).device("dev-a1", "primary", aPhone);
    private final KeysAnswer bKeys = new KeysAnswer(B).device("dev-b1", "primary", bPhone).device("dev-b2", "companion", bLaptop);

    @TempDir
    Path temp;
    private KeysServer server;
    private TrustStore trust;
    private KeyDirectory directory;
    private E2eeSender sender;

    @BeforeEach
    void setUp() throws Exception {
        server = new KeysServer();
        server.answer(A, aKeys.withList(1, false));
        server.answer(B, bKeys.withList(2, false));
        trust = new TrustStore(temp.resolve("trust.json"));
        directory = new KeyDirectory(client(), trust, temp.resolve("seen-devices.json"));
        sender = new E2eeSender(client(), aPhone, directory, trust);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private SwitchboardClient client() {
        return server.client(new DeviceCredentials(A, "dev-a1", "tok"));
    }

    /** A new primary for B (another account key), with a device the attacker holds, list signed by it. */
    private ObjectNode takenOverB(DeviceKeys newPrimary, DeviceKeys attacker) {
        return new KeysAnswer(B).device("dev-b7", "primary", newPrimary).device("dev-b8", "companion", attacker)
                .withList(1, false);
    }

    private static List<String> targets(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.path("e2ee").path("keys").forEach(key -> ids.add(key.path("deviceId").asText()));
        ids.sort(null);
        return ids;
    }

    // --- finding 1: the account key change is checked after every fetch ---------------------------

    @Test
    void aRetryAfterA409IsRefusedWhenTheGatewayServesANewAccountKeyMeanwhile() {
        DeviceKeys attacker = DeviceKeys.generate();
        server.onSend = (n, body) -> {
            if (n == 1) {
                server.answer(B, takenOverB(DeviceKeys.generate(), attacker));
                return KeysServer.Reply.error(409, "device_mismatch");
            }
            return KeysServer.Reply.accepted(n);
        };

        assertThrows(AccountKeyChangedException.class, () -> sender.send(B, "for B only"));

        assertEquals(1, server.sent.size(), "nothing was sealed to the new key's devices: " + server.sent);
        assertTrue(trust.peer(B).orElseThrow().changeUnacknowledged());
    }

    @Test
    void aNewAccountKeyServedOnTheRefetchForAnIncapableAnswerIsRefused() {
        // First answer: B's list, but a device without a signed key (not capable); the refetch shows a new primary.
        ObjectNode incapable = bKeys.withList(2, true);
        ((ObjectNode) incapable.path("devices").get(1)).remove("encryptionKeySignature");
        server.answer(B, incapable);
        directory.keys(B);
        server.answer(B, takenOverB(DeviceKeys.generate(), DeviceKeys.generate()));

        assertThrows(AccountKeyChangedException.class, () -> sender.send(B, "for B only"));

        assertEquals(0, server.sent.size(), "neither sealed nor sent in the clear: " + server.sent);
    }

    @Test
    void anAcceptedAccountKeyChangeIsWrittenToAgain() {
        sender.send(B, "before");
        DeviceKeys newPhone = DeviceKeys.generate();
        server.answer(B, new KeysAnswer(B).device("dev-b7", "primary", newPhone).withList(1, false));
        directory.refresh(B);
        assertThrows(AccountKeyChangedException.class, () -> sender.send(B, "after"));

        assertTrue(trust.acknowledge(B));
        E2eeSender.Sent sent = sender.send(B, "after");

        assertTrue(sent.encrypted());
        assertEquals(List.of("dev-a1", "dev-b7"), targets(server.sent.get(server.sent.size() - 1)));
    }

    // --- finding 2: no plaintext to a number that had a signed list ---------------------------------

    @Test
    void aNumberWithASignedListIsNotWrittenToInTheClearWhenTheGatewaySaysItIsNotServed() {
        assertTrue(sender.send(B, "first").encrypted());
        server.notServed(B);
        directory.forget(B);

        PlaintextRefusedException refused = assertThrows(PlaintextRefusedException.class, () -> sender.send(B, "second"));

        assertTrue(refused.getMessage().contains("does not serve " + B), refused.getMessage());
        assertEquals(1, server.sent.size(), "no plaintext went out: " + server.sent);
    }

    @Test
    void aNewProcessRemembersThatTheNumberHadASignedListThroughTheTrustStore() {
        assertTrue(sender.send(B, "first").encrypted());
        server.notServed(B);
        // A fresh directory without the seen-devices memory, with the same trust store.
        KeyDirectory fresh = new KeyDirectory(client(), trust);

        assertThrows(PlaintextRefusedException.class,
                () -> new E2eeSender(client(), aPhone, fresh, trust).send(B, "second"));
        assertEquals(1, server.sent.size());
    }

    @Test
    void aNumberWithASignedListIsNotWrittenToInTheClearWhenAStaleListShowsADeviceWithoutASignedKey() {
        assertTrue(sender.send(B, "first").encrypted());
        ObjectNode downgraded = bKeys.withList(2, true);
        ((ObjectNode) downgraded.path("devices").get(1)).remove("encryptionKeySignature");
        server.answer(B, downgraded);
        directory.forget(B);

        PlaintextRefusedException refused = assertThrows(PlaintextRefusedException.class, () -> sender.send(B, "second"));

        assertTrue(refused.getMessage().contains("dev-b2"), refused.getMessage());
        assertEquals(1, server.sent.size(), "no plaintext went out: " + server.sent);
    }

    @Test
    void plaintextToSuchANumberGoesOutOnlyWhenAllowedExplicitly() {
        assertTrue(sender.send(B, "first").encrypted());
        server.notServed(B);
        directory.forget(B);

        E2eeSender.Sent sent = sender.allowingPlaintext().send(B, "moved to a carrier");

        assertFalse(sent.encrypted());
        assertEquals("moved to a carrier", server.sent.get(1).path("text").asText());
    }

    @Test
    void aCarrierNumberNeverSeenWithAListGetsPlaintext() {
        E2eeSender.Sent sent = sender.send("+15550000000", "hello SMS");

        assertFalse(sent.encrypted());
        assertEquals("hello SMS", server.sent.get(0).path("text").asText());
    }

    @Test
    void aPlaintextSendAfterA404RefusedWithE2eeRequiredIsEncryptedInstead() {
        String c = "+390633333333";
        DeviceKeys cPhone = DeviceKeys.generate();
        server.onSend = (n, body) -> {
            if (n == 1) {
                server.answer(c, new KeysAnswer(c).device("dev-c1", "primary", cPhone).withList(1, false));
                return KeysServer.Reply.error(409, "e2ee_required");
            }
            return KeysServer.Reply.accepted(n);
        };

        E2eeSender.Sent sent = sender.send(c, "hi C");

        assertTrue(sent.encrypted());
        assertEquals(List.of("e2ee_required"), sent.refusals());
        assertTrue(server.sent.get(1).has("e2ee"));
        assertFalse(server.sent.get(1).has("text"));
    }

    // --- finding 3: only devices of the latest signed list are written to ---------------------------

    @Test
    void aDeviceUnlinkedByANewerListIsNotSealedToWhenTheGatewayShowsItAgainUnderAStaleList() {
        sender.send(B, "first");
        assertEquals(List.of("dev-a1", "dev-b1", "dev-b2"), targets(server.sent.get(0)));
        // B's primary unlinks the laptop and signs version 3 without it; this device sees it.
        KeysAnswer phoneOnly = new KeysAnswer(B).device("dev-b1", "primary", bPhone);
        server.answer(B, phoneOnly.withList(3, false));
        directory.refresh(B);
        // The gateway shows the laptop again and calls version 3 stale, as if a re-sign were pending.
        server.answer(B, bKeys.withList(3, true, bPhone, phoneOnly.listed()));
        directory.forget(B);

        KeyVerificationException refused = assertThrows(KeyVerificationException.class, () -> sender.send(B, "second"));

        assertTrue(refused.getMessage().contains("dev-b2"), refused.getMessage());
        assertEquals(1, server.sent.size(), "nothing sealed to the unlinked laptop: " + server.sent);
    }

    @Test
    void aDeviceListedOnlyUnderAPreviousAccountKeyIsNotSealedTo() {
        sender.send(B, "first");
        // A new primary for B, accepted by the user; its list carries only itself, the gateway shows the old laptop too.
        DeviceKeys newPhone = DeviceKeys.generate();
        KeysAnswer now = new KeysAnswer(B).device("dev-b7", "primary", newPhone);
        List<ListedDevice> listed = now.listed();
        now.device("dev-b2", "companion", bLaptop);
        server.answer(B, now.withList(1, true, newPhone, listed));
        directory.refresh(B);
        trust.acknowledge(B);

        KeyVerificationException refused = assertThrows(KeyVerificationException.class, () -> sender.send(B, "second"));

        assertTrue(refused.getMessage().contains("dev-b2"), refused.getMessage());
        assertEquals(1, server.sent.size());
    }

    @Test
    void aCompanionThatRotatedItsKeyUnderAStaleListIsStillSealedTo() {
        DeviceKeys rotated = bLaptop.withNewEncryptionKey();
        KeysAnswer after = new KeysAnswer(B).device("dev-b1", "primary", bPhone).device("dev-b2", "companion", rotated, "2");
        server.answer(B, after.withList(2, true, bPhone, bKeys.listed()));

        E2eeSender.Sent sent = sender.send(B, "to the new key");

        assertTrue(sent.encrypted());
        JsonNode laptopKey = null;
        for (JsonNode key : server.sent.get(0).path("e2ee").path("keys")) {
            if (key.path("deviceId").asText().equals("dev-b2")) {
                laptopKey = key;
            }
        }
        assertEquals("2", laptopKey.path("encryptionKeyId").asText());
    }
}
