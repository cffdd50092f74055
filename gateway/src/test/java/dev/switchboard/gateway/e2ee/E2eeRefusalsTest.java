package dev.switchboard.gateway.e2ee;

import static dev.switchboard.gateway.e2ee.Sealing.b64;
import static dev.switchboard.gateway.e2ee.Sealing.body;
import static dev.switchboard.gateway.e2ee.Sealing.e2eeNumber;
import static dev.switchboard.gateway.e2ee.Sealing.recipients;
import static dev.switchboard.gateway.e2ee.Sealing.seal;
import static dev.switchboard.gateway.e2ee.Sealing.send;
import static dev.switchboard.gateway.e2ee.Sealing.targets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.crypto.MessageHeader;
import dev.switchboard.crypto.Recipient;
import dev.switchboard.crypto.SealedMessage;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the server refuses about an end-to-end message, and why each refusal is the client's cue:
 * a wrong device set (409) or an old key (410) means "fetch keys and seal again"; a bad header or
 * signature (400) means the message could never be trusted by its readers; a peer that cannot do
 * end-to-end is an error (409), never a silent downgrade; plaintext to a peer that can is refused
 * (409). Nothing refused is stored.
 */
class E2eeRefusalsTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static List<Device> a;
    private static List<Device> b;

    @BeforeAll
    static void numbers() throws Exception {
        a = e2eeNumber(gw, "+390620020001", "laptop");
        b = e2eeNumber(gw, "+390620020002", "laptop");
    }

    private static Device sender() { return a.get(0); }

    private static String to() { return b.get(0).number(); }

    private static JsonObject target(Device d) {
        return new JsonObject().put("number", d.number()).put("deviceId", d.id());
    }

    @Test
    void keysMissingADeviceOfEitherNumberAreRefusedNamingIt() throws Exception {
        List<Recipient> withoutPeerLaptop = targets(gw, sender(), to()).stream().filter(r -> !r.deviceId().equals(b.get(1).id())).toList();
        HttpResult r = send(gw, sender(), body(to(), seal(sender(), to(), withoutPeerLaptop, "hi")));
        assertEquals(409, r.status(), r.body());
        assertEquals("device_mismatch", r.error());
        assertEquals(new JsonArray().add(target(b.get(1))), r.json().getJsonArray("missingDevices"));
        assertEquals(new JsonArray(), r.json().getJsonArray("extraDevices"));

        List<Recipient> withoutSelf = targets(gw, sender(), to()).stream().filter(t -> !t.deviceId().equals(sender().id())).toList();
        HttpResult self = send(gw, sender(), body(to(), seal(sender(), to(), withoutSelf, "hi")));
        assertEquals(409, self.status(), self.body());
        assertEquals(new JsonArray().add(target(sender())), self.json().getJsonArray("missingDevices"),
                "the sending device reads its own sent messages too");
        assertNothingStored();
    }

    @Test
    void keysForDevicesThatAreNotTargetsAreRefusedAsExtra() throws Exception {
        Device stranger = e2eeNumber(gw, "+390620020003").get(0);
        List<Recipient> targets = new ArrayList<>(targets(gw, sender(), to()));
        targets.addAll(recipients(gw, sender().token(), stranger.number()));
        // A real device of the recipient, labelled with the wrong number, is extra too (and so missing under its own).
        Recipient peerLaptop = targets.stream().filter(t -> t.deviceId().equals(b.get(1).id())).findFirst().orElseThrow();
        targets.remove(peerLaptop);
        targets.add(new Recipient(sender().number(), peerLaptop.deviceId(), peerLaptop.encryptionKeyId(), peerLaptop.encryptionKey()));
        HttpResult r = send(gw, sender(), body(to(), seal(sender(), to(), targets, "hi")));
        assertEquals(409, r.status(), r.body());
        assertEquals("device_mismatch", r.error());
        List<JsonObject> extra = new ArrayList<>(List.of(target(stranger),
                new JsonObject().put("number", sender().number()).put("deviceId", b.get(1).id())));
        extra.sort(java.util.Comparator.comparing((JsonObject t) -> t.getString("number")).thenComparing(t -> t.getString("deviceId")));
        assertEquals(new JsonArray(new ArrayList<>(extra)), r.json().getJsonArray("extraDevices"));
        assertEquals(new JsonArray().add(target(b.get(1))), r.json().getJsonArray("missingDevices"));
        assertNothingStored();
    }

    @Test
    void aKeyWrappedToAnEncryptionKeyTheDeviceReplacedIsStale() throws Exception {
        List<Device> c = e2eeNumber(gw, "+390620020004", "laptop");
        Device laptop = c.get(1);
        List<Recipient> before = targets(gw, sender(), laptop.number());
        laptop.client().rotateEncryptionKey(laptop.keys().withNewEncryptionKey(), "2");

        HttpResult r = send(gw, sender(), body(laptop.number(), seal(sender(), laptop.number(), before, "hi")));
        assertEquals(410, r.status(), r.body());
        assertEquals("stale_devices", r.error());
        assertEquals(new JsonArray().add(target(laptop)), r.json().getJsonArray("staleDevices"));

        HttpResult fresh = send(gw, sender(), body(laptop.number(), seal(sender(), laptop.number(), targets(gw, sender(), laptop.number()), "hi")));
        assertEquals(202, fresh.status(), fresh.body());
    }

    @Test
    void plaintextFieldsBesideTheCiphertextConflict() throws Exception {
        JsonObject body = body(to(), seal(sender(), to(), targets(gw, sender(), to()), "hi")).put("text", "hi in clear");
        HttpResult r = send(gw, sender(), body);
        assertEquals(400, r.status(), r.body());
        assertEquals("conflicting_fields", r.error());

        JsonObject sms = body(to(), seal(sender(), to(), targets(gw, sender(), to()), "hi")).put("channel", "sms");
        HttpResult forced = send(gw, sender(), sms);
        assertEquals(400, forced.status(), forced.body());
        assertEquals("invalid_field", forced.error());
        assertNothingStored();
    }

    @Test
    void aHeaderThatDoesNotDecodeOrNamesAnotherSenderOrRecipientIsRefused() throws Exception {
        JsonObject garbage = body(to(), seal(sender(), to(), targets(gw, sender(), to()), "hi"));
        garbage.getJsonObject("e2ee").put("header", b64("not a header".getBytes()));
        HttpResult r = send(gw, sender(), garbage);
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_header", r.error());

        // Signed correctly by the sender, but claiming another device sent it: readers would trust the wrong key.
        MessageHeader otherDevice = MessageHeader.of(UUID.randomUUID().toString(), sender().number(), a.get(1).id(), to(), 1L, 1, 1);
        HttpResult impersonating = send(gw, sender(), body(to(), seal(otherDevice, sender(), targets(gw, sender(), to()), "hi")));
        assertEquals(400, impersonating.status(), impersonating.body());
        assertEquals("invalid_header", impersonating.error());

        MessageHeader otherRecipient = MessageHeader.of(UUID.randomUUID().toString(), sender().number(), sender().id(),
                "+390620029999", 1L, 1, 1);
        HttpResult redirected = send(gw, sender(), body(to(), seal(otherRecipient, sender(), targets(gw, sender(), to()), "hi")));
        assertEquals(400, redirected.status(), redirected.body());
        assertEquals("invalid_header", redirected.error());
        assertNothingStored();
    }

    @Test
    void aSignatureThatDoesNotVerifyWithTheSendingDevicesIdentityKeyIsRefused() throws Exception {
        // Sealed and signed by the laptop, uploaded by the primary under a header naming the primary.
        MessageHeader header = MessageHeader.of(UUID.randomUUID().toString(), sender().number(), sender().id(), to(), 1L, 1, 1);
        HttpResult forged = send(gw, sender(), body(to(), seal(header, a.get(1), targets(gw, sender(), to()), "hi")));
        assertEquals(400, forged.status(), forged.body());
        assertEquals("invalid_signature", forged.error());

        SealedMessage sealed = seal(sender(), to(), targets(gw, sender(), to()), "hi");
        JsonObject swapped = body(to(), sealed);
        byte[] ciphertext = sealed.ciphertext();
        ciphertext[0] ^= 1;
        swapped.getJsonObject("e2ee").put("ciphertext", b64(ciphertext));
        HttpResult tampered = send(gw, sender(), swapped);
        assertEquals(400, tampered.status(), tampered.body());
        assertEquals("invalid_signature", tampered.error());

        JsonObject fewerTargets = body(to(), sealed);
        fewerTargets.getJsonObject("e2ee").getJsonArray("keys").remove(0);
        HttpResult dropped = send(gw, sender(), fewerTargets);
        assertEquals(400, dropped.status(), dropped.body());
        assertEquals("invalid_signature", dropped.error(), "the signature covers the target ids");
        assertNothingStored();
    }

    @Test
    void binaryFieldsOfTheWrongLengthOrSpellingAreRefusedNamingTheField() throws Exception {
        SealedMessage sealed = seal(sender(), to(), targets(gw, sender(), to()), "hi");
        JsonObject shortKey = body(to(), sealed);
        shortKey.getJsonObject("e2ee").getJsonArray("keys").getJsonObject(0).put("wrappedKey", b64(new byte[79]));
        HttpResult r = send(gw, sender(), shortKey);
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_field", r.error());
        assertTrue(r.json().getString("message").startsWith("e2ee.keys[0].wrappedKey"), r.body());

        JsonObject shortCommitment = body(to(), sealed);
        shortCommitment.getJsonObject("e2ee").put("keyCommitment", b64(new byte[31]));
        HttpResult c = send(gw, sender(), shortCommitment);
        assertEquals(400, c.status(), c.body());
        assertTrue(c.json().getString("message").startsWith("e2ee.keyCommitment"), c.body());

        JsonObject padded = body(to(), sealed);
        padded.getJsonObject("e2ee").put("signature", b64(sealed.signature()) + "==");
        HttpResult p = send(gw, sender(), padded);
        assertEquals(400, p.status(), p.body());
        assertTrue(p.json().getString("message").startsWith("e2ee.signature"), p.body());
        assertNothingStored();
    }

    @Test
    void aCiphertextAbove256KibIsTooLarge() throws Exception {
        JsonObject huge = body(to(), sealed("x".repeat(256 * 1024)));
        HttpResult r = send(gw, sender(), huge);
        assertEquals(413, r.status(), r.body());
        assertEquals("too_large", r.error());
        assertNothingStored();
    }

    @Test
    void endToEndToAPeerThatCannotDoItIsAnErrorNotADowngrade() throws Exception {
        String offnet = "+15550100777";
        MessageHeader header = MessageHeader.of(UUID.randomUUID().toString(), sender().number(), sender().id(), offnet, 1L, 1, 0);
        HttpResult r = send(gw, sender(), body(offnet, seal(header, sender(), recipients(gw, sender().token(), sender().number()), "hi")));
        assertEquals(409, r.status(), r.body());
        assertEquals("e2ee_unavailable", r.error());

        Device unlisted = gw.primary("+390620020005");
        HttpResult noList = send(gw, sender(), body(unlisted.number(),
                seal(sender(), unlisted.number(), targets(gw, sender(), unlisted.number()), "hi")));
        assertEquals(409, noList.status(), noList.body());
        assertEquals("e2ee_unavailable", noList.error());
        assertTrue(noList.json().getString("message").startsWith(unlisted.number()), noList.body());
        assertNothingStored();
    }

    @Test
    void plaintextBetweenTwoEndToEndNumbersIsRefusedButNotToOthers() throws Exception {
        HttpResult r = gw.request("POST", "/v1/messages", sender().token(), new JsonObject().put("to", to()).put("text", "in clear").encode(),
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertEquals(409, r.status(), r.body());
        assertEquals("e2ee_required", r.error());

        Device unlisted = gw.primary("+390620020006");
        HttpResult toUnlisted = gw.request("POST", "/v1/messages", sender().token(),
                new JsonObject().put("to", unlisted.number()).put("text", "in clear").encode(),
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertEquals(202, toUnlisted.status(), toUnlisted.body());
    }

    private static SealedMessage sealed(String plaintext) throws Exception {
        return seal(sender(), to(), targets(gw, sender(), to()), plaintext);
    }

    /** No test of this class lets a refused message into the store (the accepted ones go to other numbers). */
    private static void assertNothingStored() throws Exception {
        try (Connection c = gw.jdbc(); var s = c.prepareStatement("SELECT count(*) FROM e2ee_payloads WHERE to_number = ?")) {
            s.setString(1, to());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertEquals(0, r.getLong(1));
            }
        }
    }
}
