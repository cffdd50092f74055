package dev.switchboard.gateway.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.AccountKeyChangedException;
import dev.switchboard.client.ApprovedDevices;
import dev.switchboard.client.DecryptedMessage;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.E2eeSender;
import dev.switchboard.client.KeyVerificationException;
import dev.switchboard.client.PlaintextRefusedException;
import dev.switchboard.client.VerifiedDevice;
import dev.switchboard.client.VerifiedKeys;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.crypto.MessageHeader;
import dev.switchboard.crypto.MessageSealer;
import dev.switchboard.crypto.Recipient;
import dev.switchboard.crypto.SealedMessage;
import dev.switchboard.crypto.X25519;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.SignedKeys;
import dev.switchboard.gateway.support.TestGateway;
import java.security.interfaces.EdECPrivateKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an end-to-end client refuses, whatever the gateway says: a message whose sender signature is
 * not by the listed device, a message also sealed to a device in neither signed list, writing to a
 * device the gateway added outside the signed list, writing in the clear to a peer whose device the
 * gateway makes look incapable, and writing to a peer whose account key changed until the user
 * accepts the change. Messages "from a hostile gateway" are the real message JSON a
 * device gets, altered as a gateway could alter it.
 */
class E2eeClientRefusalsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private record Pair(E2eeParty a, E2eeParty b) {
    }

    private static Pair pair(String a, String b) throws Exception {
        Device aPhone = gw.primary(a);
        aPhone.client().publishDeviceList(aPhone.keys(), ApprovedDevices.none());
        Device bPhone = gw.primary(b);
        bPhone.client().publishDeviceList(bPhone.keys(), ApprovedDevices.none());
        return new Pair(new E2eeParty("a", aPhone), new E2eeParty("b", bPhone));
    }

    @Test
    void aMessageSignedByAnyoneButTheListedSenderDeviceIsRefusedByTheReader() throws Exception {
        Pair p = pair("+390619190001", "+390619190002");
        p.a().sender.send(p.b().number(), "the genuine one");
        JsonNode genuine = onlyMessage(p.b(), p.a().number());
        assertEquals("the genuine one", p.b().decryptor.decrypt(genuine).text(), "the untouched message reads fine");

        // An impostor seals a message that claims to come from A's phone, to the real devices.
        DeviceKeys impostor = DeviceKeys.generate();
        MessageHeader header = MessageHeader.of("forged-1", p.a().number(), p.a().id(), p.b().number(), 1L,
                listVersion(p.b(), p.a().number()), listVersion(p.b(), p.b().number()));
        SealedMessage forged = new MessageSealer().seal(header, identityPrivate(impostor), recipients(p), "send money".getBytes());
        DecryptedMessage read = p.b().decryptor.decrypt(asDeliveredTo(genuine, forged, p.b().id()));

        assertFalse(read.readable());
        assertTrue(read.error().contains("sender signature does not verify"), read.error());
        assertEquals(null, read.text());
    }

    @Test
    void aMessageAlsoSealedToADeviceInNeitherSignedListIsRefusedByTheReader() throws Exception {
        Pair p = pair("+390619190011", "+390619190012");
        p.a().sender.send(p.b().number(), "a first message");
        JsonNode genuine = onlyMessage(p.b(), p.a().number());

        // Properly signed by A's phone, but one more key wrapped for a device nobody listed.
        List<Recipient> targets = new ArrayList<>(recipients(p));
        targets.add(new Recipient(p.b().number(), "dev_eavesdropper", "1", X25519.generate().publicKey()));
        MessageHeader header = MessageHeader.of("leaky-1", p.a().number(), p.a().id(), p.b().number(), 1L,
                listVersion(p.b(), p.a().number()), listVersion(p.b(), p.b().number()));
        SealedMessage leaky = new MessageSealer().seal(header, identityPrivate(p.a().device.keys()), targets,
                "{\"v\":1,\"text\":\"hi\",\"parts\":[]}".getBytes());
        DecryptedMessage read = p.b().decryptor.decrypt(asDeliveredTo(genuine, leaky, p.b().id()));

        assertFalse(read.readable());
        assertTrue(read.error().contains("dev_eavesdropper") && read.error().contains("someone else may be able to read it"),
                read.error());
    }

    @Test
    void aDeviceTheGatewayAddsOutsideTheSignedListIsNeverSealedTo() throws Exception {
        Pair p = pair("+390619190021", "+390619190022");
        String injected = "dev_injected";
        SignedKeys keys = SignedKeys.generate();
        try (Connection db = gw.jdbc();
             PreparedStatement insert = db.prepareStatement("""
                     INSERT INTO devices (id, number, kind, name, identity_key, encryption_key, created_at, last_seen_at,
                                          encryption_key_id, encryption_key_signature)
                     VALUES (?, ?, 'companion', 'not approved', ?, ?, now(), now(), '1', ?)""");
             PreparedStatement stale = db.prepareStatement("UPDATE device_lists SET stale = true WHERE number = ?")) {
            insert.setString(1, injected);
            insert.setString(2, p.b().number());
            insert.setString(3, keys.identityKey());
            insert.setString(4, keys.encryptionKey());
            insert.setString(5, keys.encryptionKeySignature());
            insert.executeUpdate();
            // A gateway that adds a device would also call the signed list stale, so it looks like a pending re-sign.
            stale.setString(1, p.b().number());
            stale.executeUpdate();
        }
        int payloadsBefore = count("SELECT count(*) FROM e2ee_payloads");

        RuntimeException refused = assertThrows(RuntimeException.class,
                () -> p.a().sender.send(p.b().number(), "for B's devices only"));

        assertTrue(refused instanceof KeyVerificationException, "refused as a key problem: " + refused);
        assertTrue(refused.getMessage().contains(injected), refused.getMessage());
        assertEquals(payloadsBefore, count("SELECT count(*) FROM e2ee_payloads"), "nothing was sent");
        assertTrue(p.a().device.client().conversationWith(p.b().number()).isEmpty(), "not even a plaintext fallback");
    }

    @Test
    void aPeerWhoseAccountKeyChangedIsNotWrittenToUntilTheUserAcceptsTheChange() throws Exception {
        Pair p = pair("+390619190031", "+390619190032");
        // This device remembers another account key for B: B's primary changed (or someone is in between).
        p.a().trust.put(p.b().number(), 0, Ed25519.generate().publicKey());
        p.a().directory.refresh(p.b().number());

        AccountKeyChangedException refused = assertThrows(AccountKeyChangedException.class,
                () -> p.a().sender.send(p.b().number(), "are you still you?"));
        assertTrue(refused.getMessage().contains("trust " + p.b().number()), refused.getMessage());
        assertTrue(p.a().device.client().conversationWith(p.b().number()).isEmpty(), "nothing was sent");

        assertTrue(p.a().trust.acknowledge(p.b().number()));
        E2eeSender.Sent sent = p.a().sender.send(p.b().number(), "are you still you?");
        assertTrue(sent.encrypted());
    }

    @Test
    void aGatewayThatStripsAKeySignatureAndCallsTheListStaleCannotDowngradeTheConversationToPlaintext() throws Exception {
        Pair p = pair("+390619190041", "+390619190042");
        assertTrue(p.a().sender.send(p.b().number(), "end to end").encrypted());
        try (Connection db = gw.jdbc();
             PreparedStatement strip = db.prepareStatement(
                     "UPDATE devices SET encryption_key_signature = NULL WHERE id = ?");
             PreparedStatement stale = db.prepareStatement("UPDATE device_lists SET stale = true WHERE number = ?")) {
            strip.setString(1, p.b().id());
            strip.executeUpdate();
            stale.setString(1, p.b().number());
            stale.executeUpdate();
        }
        p.a().directory.forget(p.b().number());
        String conversation = p.a().device.client().conversationWith(p.b().number()).orElseThrow().path("id").asText();

        PlaintextRefusedException refused = assertThrows(PlaintextRefusedException.class,
                () -> p.a().sender.send(p.b().number(), "now in the clear?"));

        assertTrue(refused.getMessage().contains(p.b().id()), refused.getMessage());
        assertEquals(1, p.a().device.client().allMessages(conversation).size(), "no plaintext reached the gateway");
    }

    // -----------------------------------------------------------------------------------------

    private static JsonNode onlyMessage(E2eeParty reader, String peer) {
        JsonNode conversation = reader.device.client().conversationWith(peer).orElseThrow();
        List<JsonNode> messages = reader.device.client().allMessages(conversation.path("id").asText());
        assertEquals(1, messages.size());
        return messages.get(0);
    }

    private static long listVersion(E2eeParty reader, String number) {
        VerifiedKeys keys = reader.directory.keys(number).orElseThrow();
        return keys.listVersion();
    }

    /** Every device of both numbers, with the keys their signed lists carry. */
    private static List<Recipient> recipients(Pair p) {
        List<Recipient> targets = new ArrayList<>();
        for (String number : List.of(p.a().number(), p.b().number())) {
            for (VerifiedDevice device : p.b().directory.keys(number).orElseThrow().devices()) {
                targets.add(new Recipient(number, device.deviceId(), device.encryptionKeyId(), device.encryptionKey()));
            }
        }
        return targets;
    }

    /** {@code genuine} as the gateway shows it to {@code deviceId}, its encrypted content replaced by {@code sealed}'s. */
    private static JsonNode asDeliveredTo(JsonNode genuine, SealedMessage sealed, String deviceId) {
        ObjectNode message = genuine.deepCopy();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        ObjectNode encrypted = (ObjectNode) message.get("encrypted");
        encrypted.put("header", b64.encodeToString(sealed.header()))
                .put("ciphertext", b64.encodeToString(sealed.ciphertext()))
                .put("keyCommitment", b64.encodeToString(sealed.keyCommitment()))
                .put("signature", b64.encodeToString(sealed.signature()))
                .put("senderDeviceId", MessageHeader.decode(sealed.header()).fromDeviceId());
        List<String> ids = new ArrayList<>(sealed.targetDeviceIds());
        ids.sort(null);
        encrypted.set("targets", JSON.valueToTree(ids));
        var mine = sealed.keys().stream().filter(k -> k.deviceId().equals(deviceId)).findFirst().orElseThrow();
        encrypted.putObject("key").put("encryptionKeyId", mine.encryptionKeyId()).put("wrappedKey", b64.encodeToString(mine.wrapped()));
        message.put("updatedAt", OffsetDateTime.now().toString());
        return message;
    }

    private static byte[] identityPrivate(DeviceKeys keys) {
        return ((EdECPrivateKey) keys.identity().getPrivate()).getBytes().orElseThrow();
    }

    private static int count(String sql) throws Exception {
        try (Connection db = gw.jdbc(); PreparedStatement query = db.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
