package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.crypto.CryptoException;
import dev.switchboard.crypto.ListedDevice;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a primary remembers of the last device list it signed that the gateway took: the number,
 * the account key it signed with (base64url), the version, the SHA-256 of the list's canonical
 * bytes (base64url) and the devices it listed. With it the primary recognises a gateway that shows
 * it an older list of its own number (a rollback, say one that still lists a device unlinked
 * since) or another list with the same version, and refuses to sign on top of either; see
 * {@link SignedListStore}.
 */
public record SignedListRecord(String number, String accountKey, long version, String sha256, List<ListedDevice> devices) {

    public SignedListRecord {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(accountKey, "accountKey");
        Objects.requireNonNull(sha256, "sha256");
        if (version < 1) {
            throw new IllegalArgumentException("a signed list version is at least 1, not " + version);
        }
        devices = List.copyOf(devices);
    }

    public byte[] rawAccountKey() {
        return Base64Url.decode(accountKey);
    }

    public byte[] rawSha256() {
        return Base64Url.decode(sha256);
    }

    /** Whether this is a record of {@code number} under {@code accountKey} (raw 32 bytes). */
    public boolean of(String number, byte[] accountKey) {
        return this.number.equals(number) && Arrays.equals(rawAccountKey(), accountKey);
    }

    /** The record of a list as the API takes and shows it ({@code version, issuedAt, devices, signature}). */
    static SignedListRecord of(String number, byte[] accountKey, KeyVerifier.SignedList list) {
        return new SignedListRecord(number, Base64Url.encode(accountKey), list.version(), Base64Url.encode(list.digest()),
                List.copyOf(list.devices().values()));
    }

    /** The record of a list body this primary signed ({@link LinkProtocol#signedList}). */
    static SignedListRecord of(String number, byte[] accountKey, JsonNode body) {
        return of(number, accountKey, KeyVerifier.signedList(number, body));
    }

    ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("number", number)
                .put("accountKey", accountKey)
                .put("version", version)
                .put("sha256", sha256);
        ArrayNode array = node.putArray("devices");
        for (ListedDevice device : devices) {
            array.addObject()
                    .put("deviceId", device.deviceId())
                    .put("identityKey", Base64Url.encode(device.identityKey()))
                    .put("encryptionKey", Base64Url.encode(device.encryptionKey()))
                    .put("kind", device.kind());
        }
        return node;
    }

    /** @throws IllegalArgumentException when {@code node} is not what {@link #toJson()} writes */
    static SignedListRecord fromJson(JsonNode node) {
        try {
            List<ListedDevice> devices = new java.util.ArrayList<>();
            for (JsonNode device : node.path("devices")) {
                devices.add(new ListedDevice(Json.requiredText(device, "deviceId"),
                        Base64Url.decode(Json.requiredText(device, "identityKey")),
                        Base64Url.decode(Json.requiredText(device, "encryptionKey")), Json.requiredText(device, "kind")));
            }
            if (!node.path("version").canConvertToLong()) {
                throw new IllegalArgumentException("no version");
            }
            return new SignedListRecord(Json.requiredText(node, "number"), Json.requiredText(node, "accountKey"),
                    node.path("version").asLong(), Json.requiredText(node, "sha256"), devices);
        } catch (CryptoException | IllegalStateException e) {
            throw new IllegalArgumentException("not a signed list record: " + e.getMessage(), e);
        }
    }
}
