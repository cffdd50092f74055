package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.crypto.MessageHeader;
import dev.switchboard.crypto.Recipient;
import dev.switchboard.crypto.SealedMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a device reads end-to-end messages, with real keys and real sealing: the sender's identity
 * key comes from its number's signed list, every target must be a listed device, the signed header
 * must agree with what the gateway shows, and one unreadable message never hides the others.
 */
class MessageDecryptorTest {

    private static final String A = "+390611111111";
    private static final String B = "+441611111112";

    private final DeviceKeys aPhone = DeviceKeys.generate();
    private final DeviceKeys aLaptop = DeviceKeys.generate();
    private final DeviceKeys bPhone = DeviceKeys.generate();
    private final KeysAnswer aKeys = new KeysAnswer(A).device("dev-a1", "primary", aPhone).device("dev-a2", "companion", aLaptop);
    private final KeysAnswer bKeys = new KeysAnswer(B).device("dev-b1", "primary", bPhone);

    @TempDir
    Path temp;
    private KeysServer server;
    private KeyDirectory directory;
    private MessageDecryptor decryptor;

    @BeforeEach
    void setUp() throws Exception {
        server = new KeysServer();
        server.answer(A, aKeys.withList(4, false));
        server.answer(B, bKeys.withList(2, false));
        SwitchboardClient client = server.client(new DeviceCredentials(B, "dev-b1", "tok"));
        directory = new KeyDirectory(client, new TrustStore(temp.resolve("trust.json")));
        decryptor = new MessageDecryptor("dev-b1", MessageDecryptor.EncryptionKeys.of(bPhone, "1"), directory,
                new HistoryStore(temp.resolve("history.json")));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private List<Recipient> everyone() {
        return List.of(E2eeFixture.recipient(A, "dev-a1", aPhone, "1"), E2eeFixture.recipient(A, "dev-a2", aLaptop, "1"),
                E2eeFixture.recipient(B, "dev-b1", bPhone, "1"));
    }

    private MessageHeader fromLaptop(String id) {
        return MessageHeader.of(id, A, "dev-a2", B, 1_760_000_000_000L, 4, 2);
    }

    @Test
    void opensAMessageFromAListedDeviceOfThePeer() {
        ObjectNode part = Json.MAPPER.createObjectNode().put("type", "location").put("latitude", 41.9).put("longitude", 12.5);
        SealedMessage sealed = E2eeFixture.seal(aLaptop, fromLaptop("m1"), everyone(), new E2eeContent("ciao B", List.of(part)));

        DecryptedMessage read = decryptor.decrypt(E2eeFixture.delivered("msg_1", sealed, "dev-b1", A, B, "in"));

        assertEquals(DecryptedMessage.Source.DECRYPTED, read.source(), String.valueOf(read.error()));
        assertEquals("ciao B", read.text());
        assertEquals(List.of(part), read.parts());
        assertTrue(read.e2ee());
    }

    @Test
    void aMessageSignedByAnotherKeyThanTheListedOneIsRefused() {
        DeviceKeys impostor = DeviceKeys.generate();
        SealedMessage forged = E2eeFixture.seal(impostor, fromLaptop("m2"), everyone(), new E2eeContent("pay me", List.of()));

        DecryptedMessage read = decryptor.decrypt(E2eeFixture.delivered("msg_2", forged, "dev-b1", A, B, "in"));

        assertFalse(read.readable());
        assertNull(read.text());
        assertTrue(read.error().contains("sender signature does not verify"), read.error());
    }

    @Test
    void aSenderDeviceThatNoSignedListCarriesIsRefused() {
        DeviceKeys unlisted = DeviceKeys.generate();
        MessageHeader header = MessageHeader.of("m3", A, "dev-a9", B, 1L, 4, 2);
        SealedMessage sealed = E2eeFixture.seal(unlisted, header, everyone(), new E2eeContent("hi", List.of()));

        DecryptedMessage read = decryptor.decrypt(E2eeFixture.delivered("msg_3", sealed, "dev-b1", A, B, "in"));

        assertFalse(read.readable());
        assertTrue(read.error().contains("dev-a9") && read.error().contains("not in a device list signed"), read.error());
    }

    @Test
    void aKeyWrappedForADeviceInNeitherSignedListIsRefused() {
        DeviceKeys eavesdropper = DeviceKeys.generate();
        List<Recipient> targets = new ArrayList<>(everyone());
        targets.add(E2eeFixture.recipient(B, "dev-b9", eavesdropper, "1"));
        SealedMessage sealed = E2eeFixture.seal(aLaptop, fromLaptop("m4"), targets, new E2eeContent("secret", List.of()));

        DecryptedMessage read = decryptor.decrypt(E2eeFixture.delivered("msg_4", sealed, "dev-b1", A, B, "in"));

        assertFalse(read.readable());
        assertTrue(read.error().contains("dev-b9") && read.error().contains("someone else may be able to read it"), read.error());
    }

    @Test
    void aSignedHeaderThatDisagreesWithTheGatewaysFromAndToIsRefused() {
        SealedMessage sealed = E2eeFixture.seal(aLaptop, fromLaptop("m5"), everyone(), new E2eeContent("hi", List.of()));
        ObjectNode shown = E2eeFixture.delivered("msg_5", sealed, "dev-b1", A, B, "in");
        shown.put("from", "+390699999999");

        DecryptedMessage read = decryptor.decrypt(shown);

        assertFalse(read.readable());
        assertTrue(read.error().contains("the gateway shows the message as +390699999999"), read.error());
    }

    @Test
    void withoutAKeyTheImportedHistoryIsUsedAndOtherwiseTheReasonIsGiven() {
        SealedMessage before = E2eeFixture.seal(aLaptop, fromLaptop("m6"),
                List.of(E2eeFixture.recipient(A, "dev-a1", aPhone, "1"), E2eeFixture.recipient(A, "dev-a2", aLaptop, "1")),
                new E2eeContent("before you were linked", List.of()));
        ObjectNode inHistory = E2eeFixture.delivered("msg_6", before, "dev-b1", A, B, "in");
        ObjectNode notInHistory = E2eeFixture.delivered("msg_7", before, "dev-b1", A, B, "in");
        new HistoryStore(temp.resolve("history.json")).putAll(List.of(historyEntry("msg_6", A, B, "in")
                .put("text", "before you were linked")));

        DecryptedMessage fromHistory = decryptor.decrypt(inHistory);
        DecryptedMessage missing = decryptor.decrypt(notInHistory);

        assertEquals(DecryptedMessage.Source.HISTORY, fromHistory.source());
        assertEquals("before you were linked", fromHistory.text());
        assertEquals(DecryptedMessage.Source.FAILED, missing.source());
        assertTrue(missing.error().contains("holds no key for this message"), missing.error());
    }

    @Test
    void aMessageSealedToAKeyReplacedSinceOpensWithTheKeptKey() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("b"));
        DeviceKeys bKeysNow = folder.keys();
        folder.saveCredentials(java.net.URI.create("http://127.0.0.1"), new DeviceCredentials(B, "dev-b1", "tok"));
        server.answer(B, new KeysAnswer(B).device("dev-b1", "primary", bKeysNow).withList(2, false));
        SealedMessage sealed = E2eeFixture.seal(aLaptop, fromLaptop("m8"),
                List.of(E2eeFixture.recipient(A, "dev-a1", aPhone, "1"), E2eeFixture.recipient(A, "dev-a2", aLaptop, "1"),
                        E2eeFixture.recipient(B, "dev-b1", bKeysNow, "1")),
                new E2eeContent("sealed to key 1", List.of()));
        folder.saveRotatedEncryptionKey(bKeysNow.withNewEncryptionKey(), "2");
        KeyDirectory fresh = new KeyDirectory(server.client(new DeviceCredentials(B, "dev-b1", "tok")),
                new TrustStore(temp.resolve("trust2.json")));

        DecryptedMessage read = MessageDecryptor.of(folder, fresh)
                .decrypt(E2eeFixture.delivered("msg_8", sealed, "dev-b1", A, B, "in"));

        assertEquals("sealed to key 1", read.text(), String.valueOf(read.error()));
    }

    @Test
    void oneUnreadableMessageDoesNotHideTheOthersAndPlainMessagesPassThrough() {
        SealedMessage good = E2eeFixture.seal(aLaptop, fromLaptop("m9"), everyone(), new E2eeContent("good", List.of()));
        SealedMessage forged = E2eeFixture.seal(DeviceKeys.generate(), fromLaptop("m10"), everyone(),
                new E2eeContent("bad", List.of()));
        JsonNode plain = Json.MAPPER.createObjectNode().put("id", "msg_p").put("e2ee", false).put("text", "over SMS")
                .put("from", "+15550000000").put("to", B).put("direction", "in");

        List<DecryptedMessage> read = decryptor.decryptAll(List.of(
                E2eeFixture.delivered("msg_9", good, "dev-b1", A, B, "in"),
                E2eeFixture.delivered("msg_10", forged, "dev-b1", A, B, "in"),
                plain));

        assertEquals("good", read.get(0).text());
        assertFalse(read.get(1).readable());
        assertEquals(DecryptedMessage.Source.PLAIN, read.get(2).source());
        assertEquals("over SMS", read.get(2).text());
        assertFalse(read.get(2).e2ee());
    }

    private static ObjectNode historyEntry(String id, String from, String to, String direction) {
        ObjectNode entry = Json.MAPPER.createObjectNode().put("id", id).put("conversationId", "cnv_1").put("from", from)
                .put("to", to).put("direction", direction);
        entry.putArray("parts");
        return entry;
    }

    // --- finding 9: a history entry is shown only for the message it was kept for ------------------

    @Test
    void aHistoryEntryIsNotShownForAMessageWithAnotherSenderRecipientDirectionOrConversation() {
        SealedMessage before = E2eeFixture.seal(aLaptop, fromLaptop("m11"),
                List.of(E2eeFixture.recipient(A, "dev-a1", aPhone, "1"), E2eeFixture.recipient(A, "dev-a2", aLaptop, "1")),
                new E2eeContent("x", List.of()));
        HistoryStore store = new HistoryStore(temp.resolve("history.json"));
        store.putAll(List.of(historyEntry("msg_11", B, A, "out").put("text", "I owe you 1000 EUR")));
        store.putAll(List.of(historyEntry("msg_12", A, B, "in").put("conversationId", "cnv_other").put("text", "elsewhere")));

        DecryptedMessage swapped = decryptor.decrypt(E2eeFixture.delivered("msg_11", before, "dev-b1", A, B, "in"));
        DecryptedMessage otherConversation = decryptor.decrypt(E2eeFixture.delivered("msg_12", before, "dev-b1", A, B, "in"));

        assertFalse(swapped.readable());
        assertNull(swapped.text());
        assertTrue(swapped.error().contains("another message under this id"), swapped.error());
        assertFalse(otherConversation.readable());
        assertTrue(otherConversation.error().contains("conversationId"), otherConversation.error());
    }

    // --- findings 3, 7, 8: senders and targets against the list versions seen -----------------------

    @Test
    void aMessageAlsoSealedToADeviceTheNamedListVersionNoLongerCarriesIsRefused() {
        // A unlinks the laptop: version 5 lists only the phone. Version 4 (with the laptop) was seen before.
        directory.keys(A);
        server.answer(A, new KeysAnswer(A).device("dev-a1", "primary", aPhone).withList(5, false));
        directory.refresh(A);
        MessageHeader header = MessageHeader.of("m20", A, "dev-a1", B, 1L, 5, 2);
        SealedMessage sealed = E2eeFixture.seal(aPhone, header, everyone(), new E2eeContent("still to the laptop", List.of()));

        DecryptedMessage read = decryptor.decrypt(E2eeFixture.delivered("msg_20", sealed, "dev-b1", A, B, "in"));

        assertFalse(read.readable());
        assertTrue(read.error().contains("dev-a2") && read.error().contains("someone else may be able to read it"),
                read.error());
    }

    @Test
    void aMessageFromADeviceTheLatestListDroppedIsMarkedAsSentByADeviceNoLongerLinked() {
        directory.keys(A);
        server.answer(A, new KeysAnswer(A).device("dev-a1", "primary", aPhone).withList(5, false));
        directory.refresh(A);
        SealedMessage sealed = E2eeFixture.seal(aLaptop, fromLaptop("m21"), everyone(), new E2eeContent("from the laptop", List.of()));

        DecryptedMessage read = decryptor.decrypt(E2eeFixture.delivered("msg_21", sealed, "dev-b1", A, B, "in"));

        assertEquals("from the laptop", read.text(), String.valueOf(read.error()));
        assertEquals(List.of(DecryptedMessage.Warning.SENDER_UNLINKED), read.warnings());
    }

    @Test
    void aMessageFromADeviceListedOnlyUnderAPreviousAccountKeyIsRefused() {
        directory.keys(A);
        DeviceKeys newPhone = DeviceKeys.generate();
        server.answer(A, new KeysAnswer(A).device("dev-a5", "primary", newPhone).withList(1, false));
        directory.refresh(A);
        SealedMessage sealed = E2eeFixture.seal(aLaptop, fromLaptop("m22"), everyone(), new E2eeContent("old laptop", List.of()));

        DecryptedMessage read = decryptor.decrypt(E2eeFixture.delivered("msg_22", sealed, "dev-b1", A, B, "in"));

        assertFalse(read.readable());
        assertTrue(read.error().contains("previous account key"), read.error());
    }

    @Test
    void targetsUnderAListVersionThisDeviceNeverSawAreMarkedAsUnverifiedNotAccepted() {
        directory.keys(A);
        // Sealed under A's version 3, which this device never saw (it knows 4).
        MessageHeader header = MessageHeader.of("m23", A, "dev-a2", B, 1L, 3, 2);
        SealedMessage sealed = E2eeFixture.seal(aLaptop, header, everyone(), new E2eeContent("v3", List.of()));

        DecryptedMessage read = decryptor.decrypt(E2eeFixture.delivered("msg_23", sealed, "dev-b1", A, B, "in"));

        assertEquals("v3", read.text(), String.valueOf(read.error()));
        assertEquals(List.of(DecryptedMessage.Warning.TARGETS_UNVERIFIED), read.warnings());
        DecryptedMessage current = decryptor.decrypt(E2eeFixture.delivered("msg_24",
                E2eeFixture.seal(aLaptop, fromLaptop("m24"), everyone(), new E2eeContent("v4", List.of())), "dev-b1", A, B, "in"));
        assertEquals(List.of(), current.warnings(), "versions seen: checked, nothing to mark");
    }

    // --- finding 10: replays and the signed time ----------------------------------------------------

    @Test
    void theSameSignedMessageShownUnderASecondIdIsMarkedReplayedAndTheSignedTimeIsShown() {
        SealedMessage sealed = E2eeFixture.seal(aLaptop, fromLaptop("m25"), everyone(), new E2eeContent("pay 10", List.of()));

        DecryptedMessage first = decryptor.decrypt(E2eeFixture.delivered("msg_25", sealed, "dev-b1", A, B, "in"));
        DecryptedMessage again = decryptor.decrypt(E2eeFixture.delivered("msg_25", sealed, "dev-b1", A, B, "in"));
        DecryptedMessage replay = decryptor.decrypt(E2eeFixture.delivered("msg_26", sealed, "dev-b1", A, B, "in"));

        assertEquals(List.of(), first.warnings());
        assertEquals(List.of(), again.warnings(), "the same gateway message shown twice (an update) is no replay");
        assertEquals(List.of(DecryptedMessage.Warning.REPLAYED), replay.warnings());
        assertEquals(java.time.Instant.ofEpochMilli(1_760_000_000_000L), first.sentAt());
    }

    // --- finding 6: plaintext between two numbers with signed lists ---------------------------------

    @Test
    void plaintextBetweenTwoNumbersWithSignedListsIsMarkedUnauthenticated() {
        JsonNode injected = Json.MAPPER.createObjectNode().put("id", "msg_27").put("e2ee", false).put("text", "call me")
                .put("channel", "onnet").put("from", A).put("to", B).put("direction", "in");
        JsonNode carrier = Json.MAPPER.createObjectNode().put("id", "msg_28").put("e2ee", false).put("text", "over SMS")
                .put("channel", "sms").put("from", "+15550000000").put("to", B).put("direction", "in");
        assertEquals(List.of(), decryptor.decrypt(injected).warnings(), "no signed lists seen here yet");

        directory.keys(A);
        directory.keys(B);
        DecryptedMessage read = decryptor.decrypt(injected);

        assertEquals(DecryptedMessage.Source.PLAIN, read.source());
        assertEquals(List.of(DecryptedMessage.Warning.UNAUTHENTICATED_PLAINTEXT), read.warnings());
        assertEquals(List.of(), decryptor.decrypt(carrier).warnings());
    }
}
