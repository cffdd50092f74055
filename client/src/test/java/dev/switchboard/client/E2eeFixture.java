package dev.switchboard.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.crypto.MessageHeader;
import dev.switchboard.crypto.MessageSealer;
import dev.switchboard.crypto.Recipient;
import dev.switchboard.crypto.SealedMessage;
import dev.switchboard.crypto.WrappedKey;
import java.util.ArrayList;
import java.util.List;

/** Seals messages with the crypto module and shows them as the gateway delivers them to one device. */
final class E2eeFixture {

    private E2eeFixture() {
    }

    static Recipient recipient(String number, String deviceId, DeviceKeys keys, String keyId) {
        return new Recipient(number, deviceId, keyId, keys.rawEncryptionKey());
    }

    static SealedMessage seal(DeviceKeys sender, MessageHeader header, List<Recipient> targets, E2eeContent content) {
        return new MessageSealer().seal(header, RawKeys.identityPrivate(sender), targets, content.encode());
    }

    /** The message JSON of the gateway's REST and sync answers, as {@code deviceId} receives it (null key if not a target). */
    static ObjectNode delivered(String id, SealedMessage sealed, String deviceId, String from, String to, String direction) {
        ObjectNode message = Json.MAPPER.createObjectNode()
                .put("id", id)
                .put("conversationId", "cnv_1")
                .put("direction", direction)
                .put("from", from)
                .put("to", to)
                .put("channel", "onnet")
                .put("status", "delivered")
                .putNull("text")
                .put("e2ee", true)
                .put("createdAt", "2026-11-27T10:00:00Z");
        message.putArray("parts");
        MessageHeader header = MessageHeader.decode(sealed.header());
        ObjectNode encrypted = message.putObject("encrypted")
                .put("header", Base64Url.encode(sealed.header()))
                .put("ciphertext", Base64Url.encode(sealed.ciphertext()))
                .put("keyCommitment", Base64Url.encode(sealed.keyCommitment()))
                .put("signature", Base64Url.encode(sealed.signature()))
                .put("senderDeviceId", header.fromDeviceId());
        ArrayNode targets = encrypted.putArray("targets");
        List<String> ids = new ArrayList<>(sealed.targetDeviceIds());
        ids.sort(null);
        ids.forEach(targets::add);
        WrappedKey mine = sealed.keys().stream().filter(k -> k.deviceId().equals(deviceId)).findFirst().orElse(null);
        if (mine == null) {
            encrypted.putNull("key");
        } else {
            encrypted.putObject("key").put("encryptionKeyId", mine.encryptionKeyId())
                    .put("wrappedKey", Base64Url.encode(mine.wrapped()));
        }
        return message;
    }
}
