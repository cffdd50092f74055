package dev.switchboard.gateway.e2ee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.client.ApprovedDevices;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.crypto.MessageHeader;
import dev.switchboard.crypto.MessageOpener;
import dev.switchboard.crypto.MessageSealer;
import dev.switchboard.crypto.Received;
import dev.switchboard.crypto.Recipient;
import dev.switchboard.crypto.SealedMessage;
import dev.switchboard.crypto.WrappedKey;
import dev.switchboard.crypto.X25519;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a device does around an end-to-end message, done in tests with the crypto module directly:
 * publish a signed device list, fetch the targets' keys, seal, build the request body, and open what
 * the server hands back. The server under test never sees a private key or a plaintext.
 */
final class Sealing {
    private static final MessageSealer SEALER = new MessageSealer();
    private static final MessageOpener OPENER = new MessageOpener();

    private Sealing() {}

    /** A served number whose primary links the named companions and signs the list of them all: e2ee-capable. */
    static List<Device> e2eeNumber(TestGateway gw, String number, String... companions) throws Exception {
        Device primary = gw.primary(number);
        List<Device> devices = new ArrayList<>(List.of(primary));
        ApprovedDevices approved = ApprovedDevices.none();
        for (String name : companions) {
            Device companion = gw.link(primary, name);
            devices.add(companion);
            approved = approved.with(companion.id());
        }
        primary.client().publishDeviceList(primary.keys(), approved);
        return devices;
    }

    /** The 32-byte private key inside a JDK Ed25519 or X25519 key's PKCS#8 encoding (16-byte prefix, then the key). */
    static byte[] rawPrivate(PrivateKey key) {
        byte[] pkcs8 = key.getEncoded();
        return Arrays.copyOfRange(pkcs8, 16, 48);
    }

    static byte[] identityPrivate(Device d) {
        byte[] raw = rawPrivate(d.keys().identity().getPrivate());
        assertArrayEquals(d.keys().rawIdentityKey(), Ed25519.publicKeyOf(raw), "PKCS#8 layout");
        return raw;
    }

    static byte[] encryptionPrivate(Device d) {
        byte[] raw = rawPrivate(d.keys().encryption().getPrivate());
        assertArrayEquals(d.keys().rawEncryptionKey(), X25519.publicKeyOf(raw), "PKCS#8 layout");
        return raw;
    }

    static JsonObject keysOf(TestGateway gw, String token, String number) throws Exception {
        HttpResult r = gw.get("/v1/keys/" + URLEncoder.encode(number, StandardCharsets.UTF_8), token);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    /** Every active device of the given numbers as the server lists them now. */
    static List<Recipient> recipients(TestGateway gw, String token, String... numbers) throws Exception {
        List<Recipient> out = new ArrayList<>();
        for (String number : numbers) {
            for (Object o : keysOf(gw, token, number).getJsonArray("devices")) {
                JsonObject d = (JsonObject) o;
                out.add(new Recipient(number, d.getString("deviceId"), d.getString("encryptionKeyId"),
                        Base64.getUrlDecoder().decode(d.getString("encryptionKey"))));
            }
        }
        return out;
    }

    /** The regular targets: every device of {@code to} and of the sender's number, the sender included. */
    static List<Recipient> targets(TestGateway gw, Device sender, String to) throws Exception {
        return recipients(gw, sender.token(), to, sender.number());
    }

    static SealedMessage seal(Device sender, String to, List<Recipient> targets, String plaintext) {
        return seal(MessageHeader.of(UUID.randomUUID().toString(), sender.number(), sender.id(), to, System.currentTimeMillis(), 1, 1),
                sender, targets, plaintext);
    }

    static SealedMessage seal(MessageHeader header, Device sender, List<Recipient> targets, String plaintext) {
        return SEALER.seal(header, identityPrivate(sender), targets, plaintext.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The {@code e2ee} object of a send request. */
    static JsonObject e2ee(SealedMessage sealed) {
        JsonArray keys = new JsonArray();
        for (WrappedKey k : sealed.keys()) {
            keys.add(new JsonObject().put("number", k.number()).put("deviceId", k.deviceId())
                    .put("encryptionKeyId", k.encryptionKeyId()).put("wrappedKey", b64(k.wrapped())));
        }
        return new JsonObject().put("header", b64(sealed.header())).put("ciphertext", b64(sealed.ciphertext()))
                .put("keyCommitment", b64(sealed.keyCommitment())).put("signature", b64(sealed.signature())).put("keys", keys);
    }

    static JsonObject body(String to, SealedMessage sealed) {
        return new JsonObject().put("to", to).put("e2ee", e2ee(sealed));
    }

    static HttpResult send(TestGateway gw, Device sender, JsonObject body) throws Exception {
        return send(gw, sender, body, UUID.randomUUID().toString());
    }

    static HttpResult send(TestGateway gw, Device sender, JsonObject body, String idempotencyKey) throws Exception {
        return gw.request("POST", "/v1/messages", sender.token(), body.encode(),
                Map.of("Content-Type", "application/json", "Idempotency-Key", idempotencyKey));
    }

    /** Opens a message as {@code reader} received it from the server, checking the sender's signature with its identity key. */
    static String open(JsonObject message, Device reader, Device sender) {
        JsonObject enc = message.getJsonObject("encrypted");
        List<String> targets = enc.getJsonArray("targets").stream().map(String.class::cast).toList();
        Received received = new Received(bytes(enc.getString("header")), bytes(enc.getString("ciphertext")),
                bytes(enc.getString("keyCommitment")), bytes(enc.getString("signature")),
                bytes(enc.getJsonObject("key").getString("wrappedKey")), targets);
        byte[] plaintext = OPENER.open(received, reader.id(), encryptionPrivate(reader), sender.keys().rawIdentityKey()).plaintext();
        return new String(plaintext, StandardCharsets.UTF_8);
    }

    static byte[] bytes(String b64) {
        return Base64.getUrlDecoder().decode(b64);
    }
}
