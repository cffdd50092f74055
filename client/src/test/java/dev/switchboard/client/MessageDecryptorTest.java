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
        new HistoryStore(temp.resolve("history.json")).putAll(List.of(Json.MAPPER.createObjectNode()
                .put("id", "msg_6").put("text", "before you were linked").set("parts", Json.MAPPER.createArrayNode())));

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
}
