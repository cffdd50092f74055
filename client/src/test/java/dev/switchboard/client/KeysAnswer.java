package dev.switchboard.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.ListedDevice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds answers of {@code GET /v1/keys/{number}} the way the API documents them, from real device
 * keys, so that {@link KeyVerifier} can be tested against honest and tampered answers without a
 * gateway.
 */
final class KeysAnswer {

    record Entry(String deviceId, String kind, DeviceKeys keys, String keyId) {
        ListedDevice listed() {
            return new ListedDevice(deviceId, keys.rawIdentityKey(), keys.rawEncryptionKey(), kind);
        }
    }

    final String number;
    final Map<String, Entry> devices = new LinkedHashMap<>();

    KeysAnswer(String number) {
        this.number = number;
    }

    KeysAnswer device(String deviceId, String kind, DeviceKeys keys) {
        return device(deviceId, kind, keys, "1");
    }

    KeysAnswer device(String deviceId, String kind, DeviceKeys keys, String keyId) {
        devices.put(deviceId, new Entry(deviceId, kind, keys, keyId));
        return this;
    }

    Entry primary() {
        return devices.values().stream().filter(e -> e.kind().equals("primary")).findFirst().orElseThrow();
    }

    List<ListedDevice> listed() {
        List<ListedDevice> out = new ArrayList<>();
        devices.values().forEach(e -> out.add(e.listed()));
        return out;
    }

    /** The answer with no device list. */
    ObjectNode withoutList() {
        ObjectNode answer = Json.MAPPER.createObjectNode().put("number", number).put("onnet", true);
        answer.put("accountKey", primary().keys().identityKeyB64());
        answer.putNull("deviceList");
        ArrayNode array = answer.putArray("devices");
        devices.values().stream().sorted(java.util.Comparator.comparing(Entry::deviceId)).forEach(e -> array.addObject()
                .put("deviceId", e.deviceId())
                .put("kind", e.kind())
                .put("identityKey", e.keys().identityKeyB64())
                .put("encryptionKey", e.keys().encryptionKeyB64())
                .put("encryptionKeyId", e.keyId())
                .put("encryptionKeySignature", e.keys().encryptionKeySignatureB64()));
        return answer;
    }

    /** The answer with a list of {@code listed}, signed by {@code signer}. */
    ObjectNode withList(long version, boolean stale, DeviceKeys signer, List<ListedDevice> listed) {
        ObjectNode answer = withoutList();
        answer.set("deviceList", signedList(number, version, stale, signer, listed));
        return answer;
    }

    /** The answer with a list of the current devices, signed by the primary. */
    ObjectNode withList(long version, boolean stale) {
        return withList(version, stale, primary().keys(), listed());
    }

    static ObjectNode signedList(String number, long version, boolean stale, DeviceKeys signer, List<ListedDevice> listed) {
        long issuedAt = 1_760_000_000_000L + version;
        ObjectNode list = Json.MAPPER.createObjectNode().put("version", version).put("issuedAt", issuedAt);
        ArrayNode array = list.putArray("devices");
        for (ListedDevice d : listed) {
            array.addObject().put("deviceId", d.deviceId())
                    .put("identityKey", Base64Url.encode(d.identityKey()))
                    .put("encryptionKey", Base64Url.encode(d.encryptionKey()))
                    .put("kind", d.kind());
        }
        list.put("signature", Base64Url.encode(signer.sign(Canonical.deviceList(number, version, issuedAt, listed))));
        list.put("stale", stale);
        return list;
    }
}
