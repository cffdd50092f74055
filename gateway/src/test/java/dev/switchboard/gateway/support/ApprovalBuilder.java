package dev.switchboard.gateway.support;

import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.LinkQr;
import dev.switchboard.client.LinkRequest;
import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.crypto.Hpke;
import dev.switchboard.crypto.ListedDevice;
import dev.switchboard.crypto.RawKeyPair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A link approval built by hand over raw HTTP, the way a primary builds it (account signature, new
 * signed device list, provisioning sealed in HPKE PSK mode under the linking secret), with one knob
 * per part so that attack tests can break exactly one of them.
 */
public final class ApprovalBuilder {
    private final TestGateway gw;
    private final String number;
    private final String token;
    private final UnaryOperator<byte[]> account;
    private final byte[] accountKey;
    private final String linkId;
    private final String deviceId;
    private final byte[] identityKey;
    private final byte[] encryptionKey;
    private final byte[] ephemeralKey;
    private final byte[] linkingSecret;

    private UnaryOperator<byte[]> listSigner;
    private UnaryOperator<byte[]> accountSigner;
    private Long version;
    private byte[] sealedEncryptionKey;
    private byte[] sealSecret;

    private ApprovalBuilder(TestGateway gw, String number, String token, UnaryOperator<byte[]> account, byte[] accountKey,
                            String linkId, String deviceId, byte[] identityKey, byte[] encryptionKey, byte[] ephemeralKey,
                            byte[] linkingSecret) {
        this.gw = gw;
        this.number = number;
        this.token = token;
        this.account = account;
        this.accountKey = accountKey;
        this.linkId = linkId;
        this.deviceId = deviceId;
        this.identityKey = identityKey;
        this.encryptionKey = encryptionKey;
        this.ephemeralKey = ephemeralKey;
        this.linkingSecret = linkingSecret;
        this.listSigner = account;
        this.accountSigner = account;
        this.sealedEncryptionKey = encryptionKey;
        this.sealSecret = linkingSecret;
    }

    /** For a request made by the client library, approved by a test primary. */
    public static ApprovalBuilder of(TestGateway gw, Device primary, LinkRequest request) {
        DeviceKeys keys = primary.keys();
        return new ApprovalBuilder(gw, primary.number(), primary.token(), keys::sign, keys.rawIdentityKey(), request.linkId(),
                request.deviceId(), request.keys().rawIdentityKey(), request.keys().rawEncryptionKey(), request.ephemeral().publicKey(),
                request.linkingSecret());
    }

    /**
     * For a link QR code shown by another client (the web inbox), approved by a test primary:
     * {@code deviceId} and {@code encryptionKey} are what the link request registered.
     */
    public static ApprovalBuilder forQr(TestGateway gw, Device primary, LinkQr qr, String deviceId, byte[] encryptionKey) {
        DeviceKeys keys = primary.keys();
        return new ApprovalBuilder(gw, primary.number(), primary.token(), keys::sign, keys.rawIdentityKey(), qr.linkId(),
                deviceId, qr.rawIdentityKey(), encryptionKey, qr.rawEphemeralKey(), qr.rawLinkingSecret());
    }

    /** For a request made over raw HTTP by a primary holding raw keys. */
    public static ApprovalBuilder raw(TestGateway gw, String number, String token, RawKeyPair accountIdentity, String linkId,
                                      String deviceId, SignedKeys companion, byte[] ephemeralKey, byte[] linkingSecret) {
        return new ApprovalBuilder(gw, number, token, data -> Ed25519.sign(accountIdentity.privateKey(), data),
                accountIdentity.publicKey(), linkId, deviceId, companion.identity().publicKey(), companion.encryption().publicKey(),
                ephemeralKey, linkingSecret);
    }

    /** The device list is signed by this key instead of the account key. */
    public ApprovalBuilder listSignedBy(UnaryOperator<byte[]> signer) {
        this.listSigner = signer;
        return this;
    }

    /** The account signature (in the body and the provisioning) is made by this key instead. */
    public ApprovalBuilder accountSignedBy(UnaryOperator<byte[]> signer) {
        this.accountSigner = signer;
        return this;
    }

    /** The list has this version instead of the stored one plus one. */
    public ApprovalBuilder version(long v) {
        this.version = v;
        return this;
    }

    /** The account signature inside the provisioning covers this encryption key instead of the companion's. */
    public ApprovalBuilder sealedSignatureCovers(byte[] otherEncryptionKey) {
        this.sealedEncryptionKey = otherEncryptionKey;
        return this;
    }

    /** The provisioning is sealed under this PSK instead of the QR code's linking secret. */
    public ApprovalBuilder sealedWith(byte[] secret) {
        this.sealSecret = secret;
        return this;
    }

    public JsonObject body() throws Exception {
        JsonObject keys = gw.get("/v1/keys/" + URLEncoder.encode(number, StandardCharsets.UTF_8), token).json();
        JsonObject stored = keys.getJsonObject("deviceList");
        long v = version != null ? version : (stored == null ? 1 : stored.getLong("version") + 1);
        List<ListedDevice> listed = new ArrayList<>();
        JsonArray devices = new JsonArray();
        for (Object o : keys.getJsonArray("devices")) {
            JsonObject d = (JsonObject) o;
            listed.add(new ListedDevice(d.getString("deviceId"), b64(d.getString("identityKey")), b64(d.getString("encryptionKey")),
                    d.getString("kind")));
        }
        listed.add(new ListedDevice(deviceId, identityKey, encryptionKey, "companion"));
        listed.sort(java.util.Comparator.comparing(ListedDevice::deviceId));
        for (ListedDevice d : listed) {
            devices.add(new JsonObject().put("deviceId", d.deviceId()).put("identityKey", SignedKeys.b64(d.identityKey()))
                    .put("encryptionKey", SignedKeys.b64(d.encryptionKey())).put("kind", d.kind()));
        }
        long issuedAt = 1_800_000_000_000L + v;
        JsonObject list = new JsonObject().put("version", v).put("issuedAt", issuedAt).put("devices", devices)
                .put("signature", SignedKeys.b64(listSigner.apply(Canonical.deviceList(number, v, issuedAt, listed))));
        String accountSignature = SignedKeys.b64(accountSigner.apply(
                Canonical.accountSignatureStatement(number, deviceId, identityKey, encryptionKey)));
        String sealedSignature = SignedKeys.b64(accountSigner.apply(
                Canonical.accountSignatureStatement(number, deviceId, identityKey, sealedEncryptionKey)));
        JsonObject payload = new JsonObject().put("number", number).put("accountKey", SignedKeys.b64(accountKey))
                .put("deviceId", deviceId).put("accountSignature", sealedSignature).put("deviceList", list);
        Hpke.Sealed sealed = new Hpke().sealPsk(ephemeralKey, Canonical.provisioningInfo(linkId), new byte[0],
                payload.encode().getBytes(StandardCharsets.UTF_8), sealSecret, Canonical.LINK_PSK_ID.getBytes(StandardCharsets.US_ASCII));
        byte[] wire = new byte[32 + sealed.ciphertext().length];
        System.arraycopy(sealed.enc(), 0, wire, 0, 32);
        System.arraycopy(sealed.ciphertext(), 0, wire, 32, sealed.ciphertext().length);
        return new JsonObject().put("accountSignature", accountSignature).put("deviceList", list).put("provisioning", SignedKeys.b64(wire));
    }

    public HttpResult post() throws Exception {
        return gw.post("/v1/link-requests/" + linkId + "/approve", token, body().encode());
    }

    /** The companion's device signature over the account key and its keys, made with {@code companionIdentity}. */
    public static String deviceSignature(byte[] accountKey, RawKeyPair companionIdentity, byte[] encryptionKey) {
        return SignedKeys.b64(Ed25519.sign(companionIdentity.privateKey(),
                Canonical.deviceSignatureStatement(accountKey, companionIdentity.publicKey(), encryptionKey)));
    }

    private static byte[] b64(String s) {
        return Base64.getUrlDecoder().decode(s);
    }
}
