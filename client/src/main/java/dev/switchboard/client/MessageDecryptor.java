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
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads messages as the gateway delivers them (REST lists, sync events, the stream) on one device.
 * For an end-to-end message ({@code "e2ee": true} with an {@code "encrypted"} object):
 * <ol>
 *   <li>its header names the sending device; that device's identity key is taken from a signed
 *       device list of the sender number ({@link KeyDirectory#senderKey}), never from the message or
 *       the gateway's word alone. A device listed only under a previous account key of the number is
 *       refused; one the latest list (same account key) no longer carries is marked
 *       {@link DecryptedMessage.Warning#SENDER_UNLINKED};</li>
 *   <li>every device the sender sealed it to must be in the signed list versions its header names
 *       (the sender's or the recipient's, {@link KeyDirectory#listedAt}): a key wrapped for any
 *       other device (one the gateway slipped in) means someone else can read it, and the message
 *       is refused as a warning sign; a version this device never saw is marked
 *       {@link DecryptedMessage.Warning#TARGETS_UNVERIFIED} rather than accepted silently;</li>
 *   <li>{@link MessageOpener#open} checks the signature, this device's wrapped key (found by its
 *       {@code encryptionKeyId} among the current and kept keys of this device) and the content
 *       key commitment, and decrypts;</li>
 *   <li>the authenticated header must say what the gateway says: the same sender number and
 *       device, the same recipient number. Its {@code sentAt} is shown ({@link DecryptedMessage#sentAt()}),
 *       and a second gateway message carrying the same signed message (sender device and header
 *       message id) is marked {@link DecryptedMessage.Warning#REPLAYED} (remembered per decryptor).</li>
 * </ol>
 * A message this device has no key for (it was linked later) comes from the imported history
 * bundle when there is one, and only if the entry's sender, recipient, direction and conversation
 * are those the gateway shows. A message that is not end-to-end encrypted between two numbers that
 * both have signed device lists on this device is marked
 * {@link DecryptedMessage.Warning#UNAUTHENTICATED_PLAINTEXT}: the gateway could have written it.
 * Failures are per message: {@link DecryptedMessage#error()}.
 */
public final class MessageDecryptor {

    /** How many signed message ids one decryptor remembers to notice replays. */
    static final int MAX_REMEMBERED = 100_000;

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
    /** Signed message (sender number, device, header message id) -> the gateway id it was first shown under. */
    private final Map<String, String> seen = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

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
            List<DecryptedMessage.Warning> warnings = betweenSignedLists(message)
                    ? List.of(DecryptedMessage.Warning.UNAUTHENTICATED_PLAINTEXT) : List.of();
            return new DecryptedMessage(id, false, DecryptedMessage.Source.PLAIN, message.path("text").asText(null),
                    parts, null, message, warnings, null);
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
        KeyDirectory.SenderKey sender = directory.senderKey(claimed.fromNumber(), claimed.fromDeviceId(),
                        claimed.fromListVersion())
                .orElseThrow(() -> new CryptoException("the sending device " + claimed.fromDeviceId() + " is not in a"
                        + " device list signed by the account key of " + claimed.fromNumber() + ": cannot tell who sent it"));
        if (sender.standing() == KeyDirectory.Standing.PREVIOUS_ACCOUNT_KEY) {
            throw new CryptoException("the sending device " + claimed.fromDeviceId() + " was listed only under a previous"
                    + " account key of " + claimed.fromNumber() + ", not under the one it has now: refusing it");
        }
        List<DecryptedMessage.Warning> warnings = new ArrayList<>();
        if (sender.standing() == KeyDirectory.Standing.UNLINKED) {
            warnings.add(DecryptedMessage.Warning.SENDER_UNLINKED);
        }
        if (!requireVouchedTargets(claimed, targets)) {
            warnings.add(DecryptedMessage.Warning.TARGETS_UNVERIFIED);
        }

        String keyId = Json.optionalText(key, "encryptionKeyId");
        if (keyId == null) {
            throw new CryptoException("the wrapped key names no encryption key id");
        }
        KeyPair pair = keys.encryptionKey(keyId).orElseThrow(() -> new CryptoException(
                "this device no longer has its encryption key '" + keyId + "' that the message was sealed to"));
        byte[] privateKey = RawKeys.encryptionPrivate(pair);
        byte[] senderIdentity = sender.identityKey();
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
        String id = Json.optionalText(message, "id");
        if (replayed(signed, id)) {
            warnings.add(DecryptedMessage.Warning.REPLAYED);
        }
        E2eeContent content = E2eeContent.decode(opened.plaintext());
        return new DecryptedMessage(id, true, DecryptedMessage.Source.DECRYPTED, content.text(), content.parts(), null,
                message, warnings, Instant.ofEpochMilli(signed.sentAt()));
    }

    /**
     * Every target must be a device of the signed list versions the header names (the sender's and
     * the recipient's, as this device saw them): a target that neither carries (a device the gateway
     * slipped in, or one unlinked before) is refused.
     *
     * @return false when some target could not be checked because this device never saw the list
     *         version the header names: the message is then marked, not silently accepted
     */
    private boolean requireVouchedTargets(MessageHeader header, List<String> targets) {
        boolean verified = true;
        for (String target : targets) {
            Optional<Boolean> inSender = directory.listedAt(header.fromNumber(), header.fromListVersion(), target);
            Optional<Boolean> inRecipient = directory.listedAt(header.toNumber(), header.toListVersion(), target);
            if (inSender.orElse(false) || inRecipient.orElse(false)) {
                continue;
            }
            if (inSender.isPresent() && inRecipient.isPresent()) {
                throw new CryptoException("the message was also sealed to device " + target + ", which is in neither"
                        + " signed device list it was sealed under (" + header.fromNumber() + " version "
                        + header.fromListVersion() + ", " + header.toNumber() + " version " + header.toListVersion()
                        + "): someone else may be able to read it; refusing it");
            }
            verified = false;
        }
        return verified;
    }

    /** Whether the same signed message (sender device, header message id) was shown before under another gateway id. */
    private boolean replayed(MessageHeader header, String id) {
        String signedId = header.fromNumber() + "\u0000" + header.fromDeviceId() + "\u0000" + header.messageId();
        synchronized (seen) {
            String first = seen.putIfAbsent(signedId, id == null ? "" : id);
            return first != null && !first.equals(id == null ? "" : id);
        }
    }

    /** Both numbers of a message had device lists signed by their account keys on this device. */
    private boolean betweenSignedLists(JsonNode message) {
        String from = Json.optionalText(message, "from");
        String to = Json.optionalText(message, "to");
        return from != null && to != null && directory.hadSignedList(from) && directory.hadSignedList(to);
    }

    /**
     * The entry the imported history holds under the gateway's id, provided that it is the same
     * message: the same sender, recipient, direction and conversation as the gateway shows. An entry
     * under an id the gateway chose for another message is not shown.
     */
    private DecryptedMessage fromHistory(JsonNode message, JsonNode entry) {
        for (String field : List.of("from", "to", "direction", "conversationId")) {
            String kept = Json.optionalText(entry, field);
            String shown = Json.optionalText(message, field);
            if (kept == null || !kept.equals(shown)) {
                return failed(message, "the imported history holds another message under this id (its " + field + " is "
                        + kept + ", the gateway shows " + shown + "): not showing it");
            }
        }
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
