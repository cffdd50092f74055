package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.KeyVerificationException.Reason;
import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.CryptoException;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.crypto.ListedDevice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks an answer of {@code GET /v1/keys/{number}} on its own, trusting nothing the gateway says
 * that a signature does not back: each device's encryption key signature (by its identity key),
 * that the account key is the primary's identity key, the device list signature (by the account
 * key) and, when the list is current, that it lists exactly the devices shown. Remembering what was
 * seen (rollbacks, account key changes) is {@link TrustStore}'s part.
 */
final class KeyVerifier {

    private KeyVerifier() {
    }

    /** A device as the gateway showed it, its encryption key signature already checked. */
    record ShownDevice(ListedDevice keys, String encryptionKeyId, boolean encryptionKeySigned) {
    }

    /**
     * The verified keys of {@code number}, {@code accountKeyChanged} false (the caller decides that
     * with its {@link TrustStore}).
     *
     * @throws KeyVerificationException when any check fails
     */
    static VerifiedKeys verify(String number, JsonNode answer) {
        String answered = Json.optionalText(answer, "number");
        if (!number.equals(answered)) {
            throw new KeyVerificationException(number, Reason.MISMATCH,
                    "the gateway answered with the keys of " + answered + " when asked for " + number);
        }
        byte[] accountKey = optionalKey(number, answer, "accountKey", "account key of " + number);
        Map<String, ShownDevice> shown = devices(number, answer);
        checkAccountKey(number, accountKey, shown);

        JsonNode list = answer.get("deviceList");
        long listVersion = 0;
        boolean stale = false;
        Map<String, ListedDevice> listed = Map.of();
        if (list != null && !list.isNull()) {
            if (!list.isObject()) {
                throw malformed(number, "deviceList is not an object");
            }
            stale = list.path("stale").asBoolean(false);
            SignedList signed = signedList(number, list);
            boolean verifies = signed.signedBy(accountKey);
            if (verifies) {
                listVersion = signed.version();
                listed = signed.devices();
            } else if (!stale) {
                // A stale list may have been signed by a previous primary: the number's account key
                // changed since, and nothing current vouches for it. A current one must verify.
                throw new KeyVerificationException(number, Reason.BAD_SIGNATURE, accountKey == null
                        ? "the device list of " + number + " cannot be checked: the number has no account key"
                        : "the device list of " + number + " (version " + signed.version()
                                + ") is not signed by the number's account key");
            }
            if (verifies && !stale) {
                requireSameDevices(number, signed.version(), listed, shown);
            }
        }
        List<VerifiedDevice> devices = new ArrayList<>(shown.size());
        for (ShownDevice device : shown.values()) {
            devices.add(new VerifiedDevice(device.keys(), device.encryptionKeyId(), device.encryptionKeySigned(),
                    device.keys().equals(listed.get(device.keys().deviceId()))));
        }
        devices.sort(Comparator.comparing(VerifiedDevice::deviceId));
        return new VerifiedKeys(number, accountKey, listVersion, stale, false, devices, List.copyOf(listed.values()));
    }

    /**
     * The {@code devices} of an answer by id, each device's encryption key signature verified
     * with its identity key: a bad one is refused, a missing one (devices enrolled before
     * signatures existed) is reported as unsigned.
     */
    static Map<String, ShownDevice> devices(String number, JsonNode answer) {
        JsonNode array = answer.get("devices");
        if (array == null || !array.isArray()) {
            throw malformed(number, "the answer has no devices array");
        }
        Map<String, ShownDevice> devices = new LinkedHashMap<>();
        for (JsonNode node : array) {
            String deviceId = requiredText(number, node, "deviceId", "a device");
            String what = "device " + deviceId + " of " + number;
            String kind = requiredText(number, node, "kind", what);
            byte[] identityKey = requiredKey(number, node, "identityKey", "identity key of " + what);
            byte[] encryptionKey = requiredKey(number, node, "encryptionKey", "encryption key of " + what);
            String keyId = Json.optionalText(node, "encryptionKeyId");
            String signatureText = Json.optionalText(node, "encryptionKeySignature");
            boolean signed = false;
            if (signatureText != null) {
                byte[] signature = decode(number, signatureText, "encryption key signature of " + what);
                if (!Ed25519.verify(identityKey, Canonical.encryptionKeyStatement(encryptionKey), signature)) {
                    throw new KeyVerificationException(number, Reason.BAD_SIGNATURE,
                            "the encryption key of " + what + " is not signed by its identity key");
                }
                signed = true;
            }
            ListedDevice keys = listedDevice(number, deviceId, identityKey, encryptionKey, kind);
            if (devices.put(deviceId, new ShownDevice(keys, keyId == null ? DeviceKeys.FIRST_ENCRYPTION_KEY_ID : keyId,
                    signed)) != null) {
                throw malformed(number, "device " + deviceId + " is shown twice");
            }
        }
        return devices;
    }

    /**
     * What a primary may sign of an answer of {@code GET /v1/keys/{number}} for its own number: the
     * devices shown, provided that they are exactly this primary (the one primary shown, under
     * {@code primaryKeys}) and companions it approved itself, each under the identity key recorded at
     * approval (when one was), and each with an encryption key signed by its identity key. Approved
     * devices that are not shown (unlinked since) are simply not listed.
     *
     * @throws KeyVerificationException on the first device that fails, naming it: the primary then
     *         signs nothing
     */
    static List<ListedDevice> devicesToSign(String number, String selfDeviceId, DeviceKeys primaryKeys,
            ApprovedDevices approved, JsonNode answer) {
        return devicesToSign(number, selfDeviceId, primaryKeys, approved, answer, null);
    }

    /** As above, leaving out {@code leaveOut} (a device being unlinked) whether approved or not. */
    static List<ListedDevice> devicesToSign(String number, String selfDeviceId, DeviceKeys primaryKeys,
            ApprovedDevices approved, JsonNode answer, String leaveOut) {
        String answered = Json.optionalText(answer, "number");
        if (!number.equals(answered)) {
            throw new KeyVerificationException(number, Reason.MISMATCH,
                    "the gateway answered with the keys of " + answered + " when asked for " + number);
        }
        Map<String, ShownDevice> shown = devices(number, answer);
        if (leaveOut != null && !leaveOut.equals(selfDeviceId)) {
            shown.remove(leaveOut);
        }
        ShownDevice own = shown.get(selfDeviceId);
        if (own == null) {
            throw new KeyVerificationException(number, Reason.MISMATCH,
                    "the gateway does not show this device (" + selfDeviceId + ") among the devices of " + number);
        }
        if (!Arrays.equals(own.keys().identityKey(), primaryKeys.rawIdentityKey())
                || !Arrays.equals(own.keys().encryptionKey(), primaryKeys.rawEncryptionKey())) {
            throw new KeyVerificationException(number, Reason.MISMATCH,
                    "the gateway shows this device (" + selfDeviceId + ") with keys other than its own");
        }
        if (!"primary".equals(own.keys().kind())) {
            throw new KeyVerificationException(number, Reason.MISMATCH, "the gateway shows this device ("
                    + selfDeviceId + ") as a " + own.keys().kind() + ", not as the primary of " + number);
        }
        for (ShownDevice device : shown.values()) {
            String id = device.keys().deviceId();
            if (!id.equals(selfDeviceId) && "primary".equals(device.keys().kind())) {
                throw new KeyVerificationException(number, Reason.MISMATCH, "the gateway shows device " + id
                        + " as a second primary of " + number + " besides this device (" + selfDeviceId
                        + "): refusing to sign");
            }
        }
        List<ListedDevice> devices = new ArrayList<>(shown.size());
        for (ShownDevice device : shown.values()) {
            String id = device.keys().deviceId();
            if (!id.equals(selfDeviceId)) {
                ApprovedDevices.Approval approval = approved.approval(id).orElseThrow(() -> new KeyVerificationException(
                        number, Reason.UNAPPROVED, "the gateway shows device " + id + " among the devices of " + number
                                + ", but this primary (" + selfDeviceId + ") never approved it: refusing to sign it;"
                                + " unlink it, or link it again and approve it here"));
                byte[] recorded = approval.identityKey().orElse(null);
                if (recorded != null && !Arrays.equals(recorded, device.keys().identityKey())) {
                    throw new KeyVerificationException(number, Reason.MISMATCH, "the gateway shows device " + id
                            + " with an identity key other than the one it had when this primary approved it:"
                            + " refusing to sign it");
                }
            }
            if (!device.encryptionKeySigned()) {
                throw new KeyVerificationException(number, Reason.BAD_SIGNATURE, "the gateway shows device " + id
                        + " of " + number + " with no encryption key signature: refusing to sign it");
            }
            devices.add(device.keys());
        }
        return devices;
    }

    // -----------------------------------------------------------------------------------------

    /** A device list as shown, decoded; its signature is not checked yet. */
    record SignedList(long version, Map<String, ListedDevice> devices, byte[] statement, byte[] signature) {

        boolean signedBy(byte[] accountKey) {
            return accountKey != null && Ed25519.verify(accountKey, statement, signature);
        }

        /** SHA-256 of the canonical bytes the signature covers: what tells two lists of one version apart. */
        byte[] digest() {
            return sha256(statement);
        }
    }

    /** SHA-256 of {@code bytes}. */
    static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** @throws KeyVerificationException ({@link Reason#MALFORMED}) when {@code list} is not a well-formed device list */
    static SignedList signedList(String number, JsonNode list) {
        JsonNode version = list.get("version");
        JsonNode issuedAt = list.get("issuedAt");
        if (version == null || !version.canConvertToLong() || version.asLong() < 1) {
            throw malformed(number, "the device list has no valid version");
        }
        if (issuedAt == null || !issuedAt.canConvertToLong() || issuedAt.asLong() < 0) {
            throw malformed(number, "the device list has no valid issuedAt");
        }
        JsonNode array = list.get("devices");
        if (array == null || !array.isArray()) {
            throw malformed(number, "the device list has no devices array");
        }
        Map<String, ListedDevice> devices = new TreeMap<>();
        for (JsonNode node : array) {
            String deviceId = requiredText(number, node, "deviceId", "a listed device");
            String what = "listed device " + deviceId + " of " + number;
            ListedDevice device = listedDevice(number, deviceId,
                    requiredKey(number, node, "identityKey", "identity key of " + what),
                    requiredKey(number, node, "encryptionKey", "encryption key of " + what),
                    requiredText(number, node, "kind", what));
            if (devices.put(deviceId, device) != null) {
                throw malformed(number, "the device list lists " + deviceId + " twice");
            }
        }
        byte[] statement;
        try {
            statement = Canonical.deviceList(number, version.asLong(), issuedAt.asLong(), List.copyOf(devices.values()));
        } catch (CryptoException e) {
            throw malformed(number, "the device list cannot be encoded: " + e.getMessage());
        }
        byte[] signature = decode(number, requiredText(number, list, "signature", "the device list"),
                "device list signature of " + number);
        return new SignedList(version.asLong(), devices, statement, signature);
    }

    private static void checkAccountKey(String number, byte[] accountKey, Map<String, ShownDevice> shown) {
        List<ShownDevice> primaries = shown.values().stream().filter(d -> "primary".equals(d.keys().kind())).toList();
        if (primaries.size() > 1) {
            throw new KeyVerificationException(number, Reason.MISMATCH, number + " shows " + primaries.size() + " primary devices");
        }
        byte[] primaryKey = primaries.isEmpty() ? null : primaries.get(0).keys().identityKey();
        if (!Arrays.equals(primaryKey, accountKey)) {
            throw new KeyVerificationException(number, Reason.MISMATCH, accountKey == null
                    ? number + " has a primary device but no account key"
                    : "the account key of " + number + " is not the identity key of its primary device");
        }
    }

    private static void requireSameDevices(String number, long version, Map<String, ListedDevice> listed,
            Map<String, ShownDevice> shown) {
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> extra = new TreeSet<>();
        shown.forEach((id, device) -> {
            if (!device.keys().equals(listed.get(id))) {
                missing.add(id);
            }
        });
        listed.forEach((id, device) -> {
            ShownDevice other = shown.get(id);
            if (other == null || !device.equals(other.keys())) {
                extra.add(id);
            }
        });
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new KeyVerificationException(number, Reason.MISMATCH, "the signed device list of " + number
                    + " (version " + version + ", not stale) does not match its devices: "
                    + (missing.isEmpty() ? "" : "not listed or listed with other keys " + missing)
                    + (!missing.isEmpty() && !extra.isEmpty() ? "; " : "")
                    + (extra.isEmpty() ? "" : "listed but not shown or shown with other keys " + extra));
        }
    }

    private static ListedDevice listedDevice(String number, String deviceId, byte[] identityKey, byte[] encryptionKey,
            String kind) {
        try {
            return new ListedDevice(deviceId, identityKey, encryptionKey, kind);
        } catch (CryptoException e) {
            throw malformed(number, e.getMessage());
        }
    }

    private static String requiredText(String number, JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw malformed(number, what + " has no " + field);
        }
        return value.asText();
    }

    private static byte[] requiredKey(String number, JsonNode node, String field, String what) {
        byte[] key = optionalKey(number, node, field, what);
        if (key == null) {
            throw malformed(number, what + " is missing");
        }
        return key;
    }

    private static byte[] optionalKey(String number, JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw malformed(number, what + " is not a string");
        }
        byte[] key = decode(number, value.asText(), what);
        if (key.length != Ed25519.PUBLIC_KEY_LENGTH) {
            throw malformed(number, what + " is " + key.length + " bytes, not 32");
        }
        return key;
    }

    private static byte[] decode(String number, String text, String what) {
        try {
            return Base64Url.decode(Objects.requireNonNull(text));
        } catch (IllegalArgumentException e) {
            throw malformed(number, what + " is not base64url");
        }
    }

    private static KeyVerificationException malformed(String number, String message) {
        return new KeyVerificationException(number, Reason.MALFORMED, message);
    }
}
