package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.CryptoException;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.crypto.Hpke;
import dev.switchboard.crypto.ListedDevice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cryptographic half of QR linking, without HTTP: what the primary checks and builds when it
 * approves (account signature, new device list, provisioning sealed with HPKE in PSK mode under the
 * linking secret), and what the new device checks when it opens the provisioning.
 */
final class LinkProtocol {

    /** The HPKE psk_id of the provisioning message. */
    static final byte[] PSK_ID = Canonical.LINK_PSK_ID.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_AAD = new byte[0];
    private static final int ENC_LENGTH = 32;

    private LinkProtocol() {
    }

    /**
     * Checks what the server shows of a link request against the scanned QR code: the same link,
     * identity key and ephemeral key, an encryption key signed by that identity key, still pending.
     *
     * @return the companion as it goes into the device list
     * @throws LinkRefusedException naming the first check that failed
     */
    static ListedDevice checkDetails(LinkQr qr, JsonNode details) {
        String deviceId = text(details, "deviceId");
        if (!qr.linkId().equals(text(details, "linkId"))) {
            throw new LinkRefusedException("the server answered about another link request than " + qr.linkId());
        }
        byte[] identityKey = key(details, "identityKey");
        byte[] encryptionKey = key(details, "encryptionKey");
        if (!Arrays.equals(identityKey, qr.rawIdentityKey())) {
            throw new LinkRefusedException("the server shows link request " + qr.linkId()
                    + " with another identity key than the QR code: refusing to approve it");
        }
        if (!Arrays.equals(key(details, "ephemeralKey"), qr.rawEphemeralKey())) {
            throw new LinkRefusedException("the server shows link request " + qr.linkId()
                    + " with another ephemeral key than the QR code: refusing to approve it");
        }
        if (!Ed25519.verify(identityKey, Canonical.encryptionKeyStatement(encryptionKey), decode(details, "encryptionKeySignature"))) {
            throw new LinkRefusedException("the encryption key of link request " + qr.linkId()
                    + " is not signed by its identity key: refusing to approve it");
        }
        String status = text(details, "status");
        if (!"pending".equals(status)) {
            throw new LinkRefusedException("link request " + qr.linkId() + " is " + status + ", not pending; show a new QR code");
        }
        try {
            return new ListedDevice(deviceId, identityKey, encryptionKey, "companion");
        } catch (CryptoException e) {
            throw new LinkRefusedException("link request " + qr.linkId() + " is malformed: " + e.getMessage());
        }
    }

    /** The signed list body ({@code version, issuedAt, devices, signature}) the API takes. */
    static ObjectNode signedList(String number, long version, List<ListedDevice> devices, DeviceKeys primaryKeys) {
        long issuedAt = System.currentTimeMillis();
        byte[] signature = primaryKeys.sign(Canonical.deviceList(number, version, issuedAt, devices));
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("version", version)
                .put("issuedAt", issuedAt)
                .put("signature", Base64Url.encode(signature));
        ArrayNode listed = body.putArray("devices");
        devices.stream().sorted(java.util.Comparator.comparing(ListedDevice::deviceId)).forEach(device -> listed.addObject()
                .put("deviceId", device.deviceId())
                .put("identityKey", Base64Url.encode(device.identityKey()))
                .put("encryptionKey", Base64Url.encode(device.encryptionKey()))
                .put("kind", device.kind()));
        return body;
    }

    /**
     * The approval body {@code {accountSignature, deviceList, provisioning}}: the account key signs
     * the companion's keys and the new list at {@code version} (the devices it may sign given
     * {@code vouched}, which the caller checked against its record of the last list it signed, plus
     * the companion), and the
     * provisioning payload is sealed to the QR code's ephemeral key under its linking secret.
     */
    static ObjectNode approval(String number, String selfDeviceId, DeviceKeys primaryKeys, ApprovedDevices vouched,
            LinkQr qr, ListedDevice companion, JsonNode keysAnswer, long version, HistoryPointer history) {
        List<ListedDevice> devices = new ArrayList<>(
                KeyVerifier.devicesToSign(number, selfDeviceId, primaryKeys, vouched, keysAnswer));
        if (devices.stream().anyMatch(d -> d.deviceId().equals(companion.deviceId()))) {
            throw new LinkRefusedException("the server shows " + companion.deviceId() + " as linked already: refusing to approve it");
        }
        devices.add(companion);
        ObjectNode list = signedList(number, version, devices, primaryKeys);
        byte[] accountSignature = primaryKeys.sign(Canonical.accountSignatureStatement(number, companion.deviceId(),
                companion.identityKey(), companion.encryptionKey()));

        ObjectNode payload = Json.MAPPER.createObjectNode()
                .put("number", number)
                .put("accountKey", primaryKeys.identityKeyB64())
                .put("deviceId", companion.deviceId())
                .put("accountSignature", Base64Url.encode(accountSignature));
        payload.set("deviceList", list);
        if (history != null) {
            payload.putObject("history").put("mediaId", history.mediaId()).put("key", Base64Url.encode(history.key()));
        }
        byte[] plaintext = payload.toString().getBytes(StandardCharsets.UTF_8);
        Hpke.Sealed sealed = new Hpke().sealPsk(qr.rawEphemeralKey(), Canonical.provisioningInfo(qr.linkId()), NO_AAD, plaintext,
                qr.rawLinkingSecret(), PSK_ID);
        Arrays.fill(plaintext, (byte) 0);
        byte[] wire = new byte[ENC_LENGTH + sealed.ciphertext().length];
        System.arraycopy(sealed.enc(), 0, wire, 0, ENC_LENGTH);
        System.arraycopy(sealed.ciphertext(), 0, wire, ENC_LENGTH, sealed.ciphertext().length);

        ObjectNode body = Json.MAPPER.createObjectNode().put("accountSignature", Base64Url.encode(accountSignature));
        body.set("deviceList", list);
        body.put("provisioning", Base64Url.encode(wire));
        return body;
    }

    /**
     * Opens and checks the provisioning message of an approved request on the new device: it must
     * open with this request's ephemeral key and linking secret, name this device and the number the
     * server said, carry an account signature over exactly this device's keys, and a device list
     * signed by the account key that lists this device with its keys and the account key as primary.
     *
     * @throws LinkRefusedException when any of it fails: the link must not be completed
     */
    static Provisioning open(LinkRequest request, String number, String provisioning) {
        if (provisioning == null) {
            throw new LinkRefusedException("the approval of link request " + request.linkId() + " carries no provisioning message");
        }
        byte[] wire;
        try {
            wire = Base64Url.decode(provisioning);
        } catch (IllegalArgumentException e) {
            throw new LinkRefusedException("the provisioning message of link request " + request.linkId() + " is not base64url");
        }
        if (wire.length <= ENC_LENGTH) {
            throw new LinkRefusedException("the provisioning message of link request " + request.linkId() + " is too short");
        }
        byte[] plaintext;
        try {
            plaintext = new Hpke().openPsk(request.ephemeral().privateKey(), Arrays.copyOf(wire, ENC_LENGTH),
                    Canonical.provisioningInfo(request.linkId()), NO_AAD, Arrays.copyOfRange(wire, ENC_LENGTH, wire.length),
                    request.linkingSecret(), PSK_ID);
        } catch (CryptoException e) {
            throw new LinkRefusedException("the provisioning message does not open with this device's linking secret: it was not"
                    + " sealed by whoever scanned this QR code; link refused");
        }
        JsonNode payload;
        try {
            payload = Json.MAPPER.readTree(plaintext);
        } catch (IOException e) {
            throw new LinkRefusedException("the provisioning message is not JSON; link refused");
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
        return check(request, number, payload);
    }

    private static Provisioning check(LinkRequest request, String number, JsonNode payload) {
        String sealedNumber = text(payload, "number");
        if (!sealedNumber.equals(number)) {
            throw new LinkRefusedException("the provisioning message is for " + sealedNumber + ", the server says " + number
                    + "; link refused");
        }
        if (!request.deviceId().equals(text(payload, "deviceId"))) {
            throw new LinkRefusedException("the provisioning message is for another device than " + request.deviceId() + "; link refused");
        }
        byte[] accountKey = key(payload, "accountKey");
        DeviceKeys own = request.keys();
        byte[] statement = Canonical.accountSignatureStatement(number, request.deviceId(), own.rawIdentityKey(), own.rawEncryptionKey());
        if (!Ed25519.verify(accountKey, statement, decode(payload, "accountSignature"))) {
            throw new LinkRefusedException("the account signature in the provisioning message does not cover this device's keys;"
                    + " link refused");
        }
        JsonNode list = payload.get("deviceList");
        if (list == null || !list.isObject()) {
            throw new LinkRefusedException("the provisioning message carries no device list; link refused");
        }
        KeyVerifier.SignedList signed;
        try {
            signed = KeyVerifier.signedList(number, list);
        } catch (KeyVerificationException e) {
            throw new LinkRefusedException("the device list in the provisioning message is malformed: " + e.getMessage());
        }
        if (!signed.signedBy(accountKey)) {
            throw new LinkRefusedException("the device list in the provisioning message is not signed by the account key; link refused");
        }
        ListedDevice self = signed.devices().get(request.deviceId());
        if (self == null || !"companion".equals(self.kind()) || !Arrays.equals(self.identityKey(), own.rawIdentityKey())
                || !Arrays.equals(self.encryptionKey(), own.rawEncryptionKey())) {
            throw new LinkRefusedException("the device list in the provisioning message does not list this device with its keys;"
                    + " link refused");
        }
        List<ListedDevice> primaries = signed.devices().values().stream().filter(d -> "primary".equals(d.kind())).toList();
        if (primaries.size() != 1 || !Arrays.equals(primaries.get(0).identityKey(), accountKey)) {
            throw new LinkRefusedException("the device list in the provisioning message does not have the account key as its one"
                    + " primary; link refused");
        }
        HistoryPointer history = null;
        JsonNode pointer = payload.get("history");
        if (pointer != null && !pointer.isNull()) {
            history = new HistoryPointer(text(pointer, "mediaId"), decode(pointer, "key"));
        }
        return new Provisioning(number, Base64Url.encode(accountKey), signed.version(), Base64Url.encode(signed.digest()), history);
    }

    /** The companion's device signature: its identity key over the account key and its own keys. */
    static byte[] deviceSignature(DeviceKeys own, byte[] accountKey) {
        return own.sign(Canonical.deviceSignatureStatement(accountKey, own.rawIdentityKey(), own.rawEncryptionKey()));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new LinkRefusedException("link data without " + field + "; link refused");
        }
        return value.asText();
    }

    private static byte[] decode(JsonNode node, String field) {
        try {
            return Base64Url.decode(text(node, field));
        } catch (IllegalArgumentException e) {
            throw new LinkRefusedException("link data with a " + field + " that is not base64url; link refused");
        }
    }

    private static byte[] key(JsonNode node, String field) {
        byte[] key = decode(node, field);
        if (key.length != DeviceKeys.RAW_KEY_BYTES) {
            throw new LinkRefusedException("link data with a " + field + " that is not 32 bytes; link refused");
        }
        return key;
    }
}
