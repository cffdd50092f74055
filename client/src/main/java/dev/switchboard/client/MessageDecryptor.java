package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.crypto.AttachmentCipher;
import dev.switchboard.crypto.CryptoException;
import dev.switchboard.crypto.MessageHeader;
import dev.switchboard.crypto.MessageOpener;
import dev.switchboard.crypto.Opened;
import dev.switchboard.crypto.Received;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads messages as the gateway delivers them (REST lists, sync events, the stream) on one device.
 * For an end-to-end message ({@code "e2ee": true} with an {@code "encrypted"} object):
 * <ol>
 *   <li>its header names the sending device; that device's identity key is taken from the sender
 *       number's signed device list ({@link KeyDirectory#vouchedIdentityKey}), never from the
 *       message or the gateway's word alone;</li>
 *   <li>every device the sender sealed it to must be one the two numbers' signed lists vouch for: a
 *       key wrapped for any other device (one the gateway slipped in) means someone else can read
 *       it, and the message is refused as a warning sign;</li>
 *   <li>{@link MessageOpener#open} checks the signature, this device's wrapped key (found by its
 *       {@code encryptionKeyId} among the current and kept keys of this device) and the content
 *       key commitment, and decrypts;</li>
 *   <li>the authenticated header must say what the gateway says: the same sender number and
 *       device, the same recipient number.</li>
 * </ol>
 * A message this device has no key for (it was linked later) comes from the imported history
 * bundle when there is one. Failures are per message: {@link DecryptedMessage#error()}.
 */
public final class MessageDecryptor {

    /** This device's encryption private keys by key id: the current one and those kept after a rotation. */
    @FunctionalInterface
    public interface EncryptionKeys {
        Optional<KeyPair> encryptionKey(String keyId);

        /** One key pair under one id (a device that never rotated). */
        static EncryptionKeys of(DeviceKeys keys, String keyId) {
            return id -> keyId.equals(id) ? Optional.of(keys.encryption()) : Optional.empty();
        }
    }

    private final String deviceId;
    private final EncryptionKeys keys;
    private final KeyDirectory directory;
    private final HistoryStore history;
    private final MessageOpener opener = new MessageOpener();

    /**
     * @param deviceId  this device's id
     * @param keys      this device's encryption keys ({@link DeviceFolder#encryptionKey})
     * @param directory where senders' identity keys come from
     * @param history   the imported history, or null
     */
    public MessageDecryptor(String deviceId, EncryptionKeys keys, KeyDirectory directory, HistoryStore history) {
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.history = history;
    }

    /** A decryptor for the device kept in {@code folder}, with its kept keys and its imported history. */
    public static MessageDecryptor of(DeviceFolder folder, KeyDirectory directory) {
        DeviceCredentials self = folder.credentials().orElseThrow(() ->
                new IllegalStateException("no device in " + folder.dir()));
        return new MessageDecryptor(self.deviceId(), folder::encryptionKey, directory, folder.historyStore());
    }

    public List<DecryptedMessage> decryptAll(List<JsonNode> messages) {
        List<DecryptedMessage> out = new ArrayList<>(messages.size());
        messages.forEach(message -> out.add(decrypt(message)));
        return out;
    }

    /** What this device can read of {@code message}; never throws for a message it cannot read. */
    public DecryptedMessage decrypt(JsonNode message) {
        String id = message.path("id").asText(null);
        if (!message.path("e2ee").asBoolean(false)) {
            List<JsonNode> parts = new ArrayList<>();
            message.path("parts").forEach(part -> {
                if (!"text".equals(part.path("type").asText())) {
                    parts.add(part);
                }
            });
            return new DecryptedMessage(id, false, DecryptedMessage.Source.PLAIN, message.path("text").asText(null),
                    parts, null, message);
        }
        JsonNode encrypted = message.path("encrypted");
        if (!encrypted.isObject()) {
            return failed(message, "the end-to-end message has no encrypted content");
        }
        JsonNode key = encrypted.path("key");
        if (!key.isObject()) {
            Optional<JsonNode> kept = history == null || id == null ? Optional.empty() : history.get(id);
            if (kept.isPresent()) {
                return fromHistory(message, kept.get());
            }
            return failed(message, "this device holds no key for this message: it was not one of its recipients"
                    + " (sent before this device was linked)");
        }
        try {
            return open(message, encrypted, key);
        } catch (CryptoException | IllegalArgumentException | KeyVerificationException e) {
            return failed(message, e.getMessage());
        } catch (SwitchboardApiException | java.io.UncheckedIOException e) {
            return failed(message, "cannot fetch the sender's keys: " + e.getMessage());
        }
    }

    /**
     * The plaintext of an attachment part of a decrypted message: downloaded with {@code client} and
     * checked against its digest before it is decrypted.
     *
     * @throws CryptoException when the download is not the attachment the sender signed for
     */
    public static byte[] attachment(SwitchboardClient client, JsonNode part) {
        if (!E2eeContent.isAttachment(part)) {
            throw new IllegalArgumentException("not an encrypted attachment part: " + part.path("type").asText());
        }
        byte[] ciphertext = client.downloadMedia(Json.requiredText(part, "mediaId"));
        return AttachmentCipher.decrypt(Base64Url.decode(Json.requiredText(part, "key")),
                Base64Url.decode(Json.requiredText(part, "digest")), ciphertext);
    }

    // -----------------------------------------------------------------------------------------

    private DecryptedMessage open(JsonNode message, JsonNode encrypted, JsonNode key) {
        byte[] header = field(encrypted, "header");
        List<String> targets = new ArrayList<>();
        encrypted.path("targets").forEach(target -> targets.add(target.asText()));
        Received received = new Received(header, field(encrypted, "ciphertext"), field(encrypted, "keyCommitment"),
                field(encrypted, "signature"), field(key, "wrappedKey"), targets);

        // Not yet authenticated: it only says whose identity key to check the signature with.
        MessageHeader claimed = MessageHeader.decode(header);
        String senderDeviceId = Json.optionalText(encrypted, "senderDeviceId");
        if (senderDeviceId != null && !senderDeviceId.equals(claimed.fromDeviceId())) {
            throw new CryptoException("the gateway names device " + senderDeviceId + " as the sender, the message "
                    + claimed.fromDeviceId());
        }
        byte[] senderIdentity = directory.vouchedIdentityKey(claimed.fromNumber(), claimed.fromDeviceId())
                .orElseThrow(() -> new CryptoException("the sending device " + claimed.fromDeviceId() + " is not in a"
                        + " device list signed by the account key of " + claimed.fromNumber() + ": cannot tell who sent it"));
        requireVouchedTargets(claimed, targets);

        String keyId = Json.optionalText(key, "encryptionKeyId");
        if (keyId == null) {
            throw new CryptoException("the wrapped key names no encryption key id");
        }
        KeyPair pair = keys.encryptionKey(keyId).orElseThrow(() -> new CryptoException(
                "this device no longer has its encryption key '" + keyId + "' that the message was sealed to"));
        byte[] privateKey = RawKeys.encryptionPrivate(pair);
        Opened opened;
        try {
            opened = opener.open(received, deviceId, privateKey, senderIdentity);
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
        MessageHeader signed = opened.header();
        String from = Json.optionalText(message, "from");
        String to = Json.optionalText(message, "to");
        if (!signed.fromNumber().equals(from) || !signed.toNumber().equals(to)) {
            throw new CryptoException("the signed header says " + signed.fromNumber() + " -> " + signed.toNumber()
                    + ", the gateway shows the message as " + from + " -> " + to);
        }
        E2eeContent content = E2eeContent.decode(opened.plaintext());
        return new DecryptedMessage(Json.optionalText(message, "id"), true, DecryptedMessage.Source.DECRYPTED,
                content.text(), content.parts(), null, message);
    }

    /**
     * Every target must be a device of the two numbers' signed lists: the header names the list
     * versions the sender sealed to, and a target that neither list holds (a device the gateway
     * slipped in) is refused. A list version this device cannot look at any more (it moved on
     * since) cannot be checked; the sender's signature over the targets is what remains then.
     */
    private void requireVouchedTargets(MessageHeader header, List<String> targets) {
        for (String target : targets) {
            if (directory.knownIdentityKey(header.fromNumber(), target).isPresent()
                    || directory.knownIdentityKey(header.toNumber(), target).isPresent()) {
                continue;
            }
            Boolean inSender = listedAt(header.fromNumber(), header.fromListVersion(), target);
            Boolean inRecipient = listedAt(header.toNumber(), header.toListVersion(), target);
            if (Boolean.FALSE.equals(inSender) && Boolean.FALSE.equals(inRecipient)) {
                throw new CryptoException("the message was also sealed to device " + target + ", which is in neither"
                        + " signed device list it was sealed under (" + header.fromNumber() + " version "
                        + header.fromListVersion() + ", " + header.toNumber() + " version " + header.toListVersion()
                        + "): someone else may be able to read it; refusing it");
            }
        }
    }

    /** Whether {@code number}'s list at {@code version} vouches for the device; null when that version cannot be looked at. */
    private Boolean listedAt(String number, long version, String deviceId) {
        Optional<VerifiedKeys> keys = directory.keys(number);
        if (keys.isPresent() && keys.get().listVersion() < version) {
            keys = directory.refresh(number);
        }
        if (keys.isEmpty() || keys.get().listVersion() != version) {
            return null;
        }
        VerifiedKeys current = keys.get();
        return current.device(deviceId).map(device -> directory.vouchedFor(current, device)).orElse(false)
                || directory.knownIdentityKey(number, deviceId).isPresent();
    }

    private DecryptedMessage fromHistory(JsonNode message, JsonNode entry) {
        List<JsonNode> parts = new ArrayList<>();
        entry.path("parts").forEach(parts::add);
        return new DecryptedMessage(Json.optionalText(message, "id"), true, DecryptedMessage.Source.HISTORY,
                Json.optionalText(entry, "text"), parts, null, message);
    }

    private static DecryptedMessage failed(JsonNode message, String why) {
        return new DecryptedMessage(Json.optionalText(message, "id"), message.path("e2ee").asBoolean(false),
                DecryptedMessage.Source.FAILED, null, List.of(), why, message);
    }

    private static byte[] field(JsonNode node, String name) {
        String text = Json.optionalText(node, name);
        if (text == null) {
            throw new CryptoException("the encrypted message has no " + name);
        }
        try {
            return Base64Url.decode(text);
        } catch (IllegalArgumentException e) {
            throw new CryptoException("the encrypted message's " + name + " is not base64url");
        }
    }
}
