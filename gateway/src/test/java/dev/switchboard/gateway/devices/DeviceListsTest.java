package dev.switchboard.gateway.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.RawKeyPair;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.crypto.ListedDevice;
import dev.switchboard.crypto.X25519;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.SignedKeys;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Device keys the server will vouch for nothing about but stores only when signed: encryption keys
 * signed by their identity key, and the device list the primary signs with the account key.
 * Everything here goes over raw HTTP and is signed with the crypto module, as a device would.
 */
class DeviceListsTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    /** A device as the test holds it: its keys and token. */
    private record Enrolled(String number, String deviceId, String token, SignedKeys keys) {}

    private static Enrolled primary(String number) throws Exception {
        String code = gw.serve(number);
        SignedKeys keys = SignedKeys.generate();
        HttpResult r = gw.post("/v1/devices/primary", null,
                keys.fields().put("number", number).put("code", code).put("name", "phone").encode());
        assertEquals(201, r.status(), r.body());
        return new Enrolled(number, r.json().getString("deviceId"), r.json().getString("token"), keys);
    }

    /** Links a companion over raw HTTP: request, approval with the next signed list, completion with the device signature. */
    private static Enrolled companion(Enrolled primary) throws Exception {
        SignedKeys keys = SignedKeys.generate();
        byte[] linkingSecret = new byte[32];
        new java.security.SecureRandom().nextBytes(linkingSecret);
        HttpResult created = gw.post("/v1/link-requests", null, keys.fields().put("name", "laptop")
                .put("ephemeralKey", SignedKeys.b64(X25519.generate().publicKey())).encode());
        assertEquals(201, created.status(), created.body());
        String linkId = created.json().getString("linkId");
        String deviceId = created.json().getString("deviceId");
        HttpResult approved = dev.switchboard.gateway.support.ApprovalBuilder.raw(gw, primary.number(), primary.token(),
                primary.keys().identity(), linkId, deviceId, keys, X25519.generate().publicKey(), linkingSecret).post();
        assertEquals(200, approved.status(), approved.body());
        HttpResult completed = gw.post("/v1/link-requests/" + linkId + "/complete", null, new JsonObject()
                .put("secret", created.json().getString("secret"))
                .put("deviceSignature", dev.switchboard.gateway.support.ApprovalBuilder.deviceSignature(
                        primary.keys().identity().publicKey(), keys.identity(), keys.encryption().publicKey())).encode());
        assertEquals(200, completed.status(), completed.body());
        return new Enrolled(primary.number(), deviceId, completed.json().getString("token"), keys);
    }

    private static JsonObject keysOf(String number, String token) throws Exception {
        HttpResult r = gw.get("/v1/keys/" + URLEncoder.encode(number, StandardCharsets.UTF_8), token);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    /** The list body for the given devices, signed by {@code signer}'s identity key. */
    private static JsonObject signedList(String number, long version, List<Enrolled> devices, RawKeyPair signer) {
        long issuedAt = 1_800_000_000_000L + version;
        List<ListedDevice> listed = new ArrayList<>();
        JsonArray json = new JsonArray();
        for (Enrolled d : devices) {
            String kind = d == devices.get(0) ? "primary" : "companion";
            listed.add(new ListedDevice(d.deviceId(), d.keys().identity().publicKey(), d.keys().encryption().publicKey(), kind));
            json.add(new JsonObject().put("deviceId", d.deviceId()).put("identityKey", d.keys().identityKey())
                    .put("encryptionKey", d.keys().encryptionKey()).put("kind", kind));
        }
        byte[] signature = Ed25519.sign(signer.privateKey(), Canonical.deviceList(number, version, issuedAt, listed));
        return new JsonObject().put("version", version).put("issuedAt", issuedAt).put("devices", json)
                .put("signature", SignedKeys.b64(signature));
    }

    private static HttpResult put(String path, String token, JsonObject body) throws Exception {
        return gw.request("PUT", path, token, body.encode(), Map.of("Content-Type", "application/json"));
    }

    @Test
    void anEncryptionKeyNotSignedByTheIdentityKeyIsRefusedAtEnrollmentAndTheCodeStaysUsable() throws Exception {
        String number = "+390618010001";
        String code = gw.serve(number);
        SignedKeys keys = SignedKeys.generate();
        SignedKeys other = SignedKeys.generate();
        JsonObject forged = keys.fields().put("encryptionKeySignature", other.encryptionKeySignature());
        HttpResult r = gw.post("/v1/devices/primary", null, forged.put("number", number).put("code", code).put("name", "p").encode());
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_signature", r.error());
        assertTrue(r.json().getString("message").startsWith("encryptionKeySignature"), r.body());

        HttpResult missing = gw.post("/v1/devices/primary", null, new JsonObject().put("number", number).put("code", code).put("name", "p")
                .put("identityKey", keys.identityKey()).put("encryptionKey", keys.encryptionKey()).encode());
        assertEquals(400, missing.status());
        assertEquals("missing_field", missing.error());

        assertEquals(201, gw.post("/v1/devices/primary", null, keys.fields().put("number", number).put("code", code).put("name", "p")
                .encode()).status(), "the refused attempts did not spend the code");
    }

    @Test
    void aLinkRequestWithAnUnsignedEncryptionKeyIsRefused() throws Exception {
        SignedKeys keys = SignedKeys.generate();
        HttpResult r = gw.post("/v1/link-requests", null, keys.fields()
                .put("encryptionKeySignature", SignedKeys.b64(new byte[64])).put("name", "laptop")
                .put("ephemeralKey", SignedKeys.b64(X25519.generate().publicKey())).encode());
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_signature", r.error());
    }

    @Test
    void keysOfAServedNumberShowTheAccountKeyAndEverySignedDevice() throws Exception {
        Enrolled primary = primary("+390618010002");
        Enrolled laptop = companion(primary);
        JsonObject keys = keysOf(primary.number(), laptop.token());
        assertEquals(primary.number(), keys.getString("number"));
        assertTrue(keys.getBoolean("onnet"));
        assertEquals(primary.keys().identityKey(), keys.getString("accountKey"));
        assertEquals(1, keys.getJsonObject("deviceList").getLong("version"), "the link stored the list the primary signed");
        assertFalse(keys.getJsonObject("deviceList").getBoolean("stale"));
        JsonArray devices = keys.getJsonArray("devices");
        assertEquals(2, devices.size());
        for (int i = 0; i < devices.size(); i++) {
            JsonObject d = devices.getJsonObject(i);
            byte[] identity = Base64.getUrlDecoder().decode(d.getString("identityKey"));
            byte[] encryption = Base64.getUrlDecoder().decode(d.getString("encryptionKey"));
            assertTrue(Ed25519.verify(identity, Canonical.encryptionKeyStatement(encryption),
                    Base64.getUrlDecoder().decode(d.getString("encryptionKeySignature"))), d.encode());
            assertEquals("1", d.getString("encryptionKeyId"));
        }

        HttpResult offnet = gw.get("/v1/keys/" + URLEncoder.encode("+447700901999", StandardCharsets.UTF_8), laptop.token());
        assertEquals(404, offnet.status());
        assertEquals("not_found", offnet.error());
        assertEquals(401, gw.get("/v1/keys/" + URLEncoder.encode(primary.number(), StandardCharsets.UTF_8), null).status());
    }

    @Test
    void thePrimarySignsTheListAndOnlyAHigherVersionOfExactlyTheActiveDevicesIsStored() throws Exception {
        Enrolled primary = primary("+390618010003");
        Enrolled laptop = companion(primary);
        List<Enrolled> both = List.of(primary, laptop);

        HttpResult stored = put("/v1/devices/list", primary.token(), signedList(primary.number(), 2, both, primary.keys().identity()));
        assertEquals(200, stored.status(), stored.body());
        assertEquals(2, stored.json().getLong("version"));
        JsonObject list = keysOf(primary.number(), laptop.token()).getJsonObject("deviceList");
        assertEquals(2, list.getLong("version"));
        assertFalse(list.getBoolean("stale"));
        // What a peer checks: the list verifies with the account key.
        List<ListedDevice> listed = new ArrayList<>();
        list.getJsonArray("devices").forEach(o -> {
            JsonObject d = (JsonObject) o;
            listed.add(new ListedDevice(d.getString("deviceId"), Base64.getUrlDecoder().decode(d.getString("identityKey")),
                    Base64.getUrlDecoder().decode(d.getString("encryptionKey")), d.getString("kind")));
        });
        assertTrue(Ed25519.verify(primary.keys().identity().publicKey(),
                Canonical.deviceList(primary.number(), 2, list.getLong("issuedAt"), listed),
                Base64.getUrlDecoder().decode(list.getString("signature"))));

        HttpResult replay = put("/v1/devices/list", primary.token(), signedList(primary.number(), 2, both, primary.keys().identity()));
        assertEquals(409, replay.status());
        assertEquals("stale_version", replay.error());
        assertEquals(2, replay.json().getLong("currentVersion"));

        HttpResult forged = put("/v1/devices/list", primary.token(), signedList(primary.number(), 3, both, laptop.keys().identity()));
        assertEquals(400, forged.status());
        assertEquals("invalid_signature", forged.error());

        HttpResult missing = put("/v1/devices/list", primary.token(), signedList(primary.number(), 3, List.of(primary), primary.keys().identity()));
        assertEquals(409, missing.status());
        assertEquals("list_mismatch", missing.error());
        assertEquals(new JsonArray().add(laptop.deviceId()), missing.json().getJsonArray("missingDevices"));
        assertEquals(new JsonArray(), missing.json().getJsonArray("extraDevices"));

        Enrolled ghost = new Enrolled(primary.number(), "dev_ghost", null, SignedKeys.generate());
        HttpResult extra = put("/v1/devices/list", primary.token(),
                signedList(primary.number(), 3, List.of(primary, laptop, ghost), primary.keys().identity()));
        assertEquals(409, extra.status());
        assertEquals(new JsonArray().add("dev_ghost"), extra.json().getJsonArray("extraDevices"));

        HttpResult byCompanion = put("/v1/devices/list", laptop.token(), signedList(primary.number(), 3, both, laptop.keys().identity()));
        assertEquals(403, byCompanion.status());

        assertEquals(2, keysOf(primary.number(), primary.token()).getJsonObject("deviceList").getLong("version"), "nothing refused was stored");
    }

    @Test
    void aRotatedEncryptionKeyNeedsANewIdAndASignatureAndMakesTheListStale() throws Exception {
        Enrolled primary = primary("+390618010004");
        Enrolled laptop = companion(primary);
        assertEquals(200, put("/v1/devices/list", primary.token(),
                signedList(primary.number(), 2, List.of(primary, laptop), primary.keys().identity())).status());

        RawKeyPair fresh = X25519.generate();
        String signature = SignedKeys.b64(Ed25519.sign(laptop.keys().identity().privateKey(), Canonical.encryptionKeyStatement(fresh.publicKey())));
        JsonObject rotation = new JsonObject().put("encryptionKey", SignedKeys.b64(fresh.publicKey())).put("encryptionKeyId", "2")
                .put("encryptionKeySignature", signature);

        HttpResult sameId = put("/v1/devices/self/keys", laptop.token(), rotation.copy().put("encryptionKeyId", "1"));
        assertEquals(409, sameId.status());
        assertEquals("key_id_unchanged", sameId.error());
        HttpResult badSig = put("/v1/devices/self/keys", laptop.token(), rotation.copy().put("encryptionKeySignature",
                SignedKeys.b64(Ed25519.sign(primary.keys().identity().privateKey(), Canonical.encryptionKeyStatement(fresh.publicKey())))));
        assertEquals(400, badSig.status());
        assertEquals("invalid_signature", badSig.error());

        HttpResult rotated = put("/v1/devices/self/keys", laptop.token(), rotation);
        assertEquals(200, rotated.status(), rotated.body());
        assertEquals("2", rotated.json().getString("encryptionKeyId"));
        JsonObject keys = keysOf(primary.number(), primary.token());
        JsonObject listedLaptop = keys.getJsonArray("devices").stream().map(JsonObject.class::cast)
                .filter(d -> d.getString("deviceId").equals(laptop.deviceId())).findFirst().orElseThrow();
        assertEquals(SignedKeys.b64(fresh.publicKey()), listedLaptop.getString("encryptionKey"));
        assertEquals("2", listedLaptop.getString("encryptionKeyId"));
        assertTrue(keys.getJsonObject("deviceList").getBoolean("stale"), "the signed list still names the old key");
    }

    @Test
    void aLinkAndAnUnlinkByThePrimaryEachStoreANewSignedListWhileACompanionLeavingMakesItStale() throws Exception {
        Enrolled primary = primary("+390618010005");
        assertEquals(200, put("/v1/devices/list", primary.token(), signedList(primary.number(), 1, List.of(primary), primary.keys().identity())).status());
        Enrolled laptop = companion(primary);
        JsonObject afterLink = keysOf(primary.number(), primary.token()).getJsonObject("deviceList");
        assertEquals(2, afterLink.getLong("version"), "the approval's list became current at completion");
        assertFalse(afterLink.getBoolean("stale"));

        HttpResult noList = gw.request("DELETE", "/v1/devices/" + laptop.deviceId(), primary.token(), null, Map.of());
        assertEquals(400, noList.status());
        assertEquals("device_list_required", noList.error());
        HttpResult wrongList = gw.request("DELETE", "/v1/devices/" + laptop.deviceId(), primary.token(),
                new JsonObject().put("deviceList", signedList(primary.number(), 3, List.of(primary, laptop), primary.keys().identity())).encode(),
                Map.of("Content-Type", "application/json"));
        assertEquals(409, wrongList.status());
        assertEquals("list_mismatch", wrongList.error());
        HttpResult replayed = gw.request("DELETE", "/v1/devices/" + laptop.deviceId(), primary.token(),
                new JsonObject().put("deviceList", signedList(primary.number(), 2, List.of(primary), primary.keys().identity())).encode(),
                Map.of("Content-Type", "application/json"));
        assertEquals(409, replayed.status());
        assertEquals("stale_version", replayed.error());
        assertEquals(200, gw.get("/v1/devices", laptop.token()).status(), "nothing refused unlinked it");

        HttpResult unlinked = gw.request("DELETE", "/v1/devices/" + laptop.deviceId(), primary.token(),
                new JsonObject().put("deviceList", signedList(primary.number(), 3, List.of(primary), primary.keys().identity())).encode(),
                Map.of("Content-Type", "application/json"));
        assertEquals(204, unlinked.status(), unlinked.body());
        JsonObject afterUnlink = keysOf(primary.number(), primary.token()).getJsonObject("deviceList");
        assertEquals(3, afterUnlink.getLong("version"));
        assertFalse(afterUnlink.getBoolean("stale"));
        assertEquals(401, gw.get("/v1/devices", laptop.token()).status());

        Enrolled tablet = companion(primary);
        assertEquals(204, gw.request("DELETE", "/v1/devices/" + tablet.deviceId(), tablet.token(), null, Map.of()).status());
        JsonObject afterLeaving = keysOf(primary.number(), primary.token()).getJsonObject("deviceList");
        assertEquals(4, afterLeaving.getLong("version"));
        assertTrue(afterLeaving.getBoolean("stale"), "a companion cannot sign for the account: stale until the primary signs");
    }

    @Test
    void aKeyInNonCanonicalBase64IsRefusedSoEveryKeyHasOneSpelling() throws Exception {
        String number = "+390618010006";
        String code = gw.serve(number);
        JsonObject padded = SignedKeys.generate().fields();
        padded.put("identityKey", padded.getString("identityKey") + "=");
        HttpResult r = gw.post("/v1/devices/primary", null, padded.put("number", number).put("code", code).put("name", "p").encode());
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().getString("message").startsWith("identityKey"), r.body());
    }

    @Test
    void aVersionFarAboveTheStoredOneIsRefusedSoTheRangeCannotBeExhausted() throws Exception {
        Enrolled primary = primary("+390618010007");
        HttpResult r = put("/v1/devices/list", primary.token(), signedList(primary.number(), 1_001, List.of(primary), primary.keys().identity()));
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_field", r.error());
        assertEquals(200, put("/v1/devices/list", primary.token(), signedList(primary.number(), 1_000, List.of(primary), primary.keys().identity())).status());
    }

    @Test
    void aNewPrimaryStartsAFreshListHistory() throws Exception {
        Enrolled old = primary("+390618010008");
        assertEquals(200, put("/v1/devices/list", old.token(), signedList(old.number(), 900, List.of(old), old.keys().identity())).status());
        Enrolled replacement = primary(old.number());
        assertNull(keysOf(old.number(), replacement.token()).getValue("deviceList"), "the old account key's list is gone");
        assertEquals(200, put("/v1/devices/list", replacement.token(),
                signedList(old.number(), 1, List.of(replacement), replacement.keys().identity())).status());
    }
}
