package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.crypto.AttachmentCipher;
import dev.switchboard.crypto.MessageHeader;
import dev.switchboard.crypto.MessageSealer;
import dev.switchboard.crypto.Recipient;
import dev.switchboard.crypto.SealedMessage;
import dev.switchboard.crypto.WrappedKey;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Sends a message the way the conversation allows: end-to-end encrypted when both numbers can do
 * it, as today otherwise (design note "What 'where both ends support it' means").
 *
 * <ul>
 *   <li>The peer's keys come from the {@link KeyDirectory}; a number this gateway does not serve
 *       (404) is a carrier peer, and gets the plaintext send as before, unless this device verified
 *       a signed device list of that number before: then the gateway's word (404, a device without
 *       a signed encryption key, no signed list) is not enough to write in the clear, and nothing is
 *       sent ({@link PlaintextRefusedException}) unless plaintext was {@linkplain #allowingPlaintext()
 *       allowed} explicitly. A plaintext send refused with 409 {@code e2ee_required} is encrypted
 *       instead, whichever way it came about.</li>
 *   <li>Both numbers are end-to-end capable when each has a device list signed by its account key
 *       and every device shows an encryption key signed by its identity key. Then the message
 *       ({@link E2eeContent}, attachments encrypted and uploaded as opaque media first) is sealed
 *       with {@link MessageSealer} to every device of the peer and every device of this number,
 *       this device included (so that it can read its sent messages again), each of them one the
 *       latest signed list under the current account key carries ({@link KeyDirectory#vouchedFor});
 *       a device it does not carry (never linked, unlinked since) stops the send.</li>
 *   <li>The gateway knows the current devices. 409 {@code device_mismatch} and 410
 *       {@code stale_devices} mean that the keys this sender kept are out of date: it fetches both
 *       numbers' keys again, seals again and retries, at most {@value #MAX_ATTEMPTS} attempts in
 *       all. A resealed body is a different body, so it goes out under a new Idempotency-Key; the
 *       key is reused only to resend the identical body after a network failure.</li>
 *   <li>A plaintext attempt refused with 409 {@code e2ee_required} (this sender's view was out of
 *       date) is encrypted instead. The gateway never downgrades: {@code e2ee_unavailable} is
 *       passed on as it is.</li>
 *   <li>When an account key involved changed and the user did not accept it, nothing is sent
 *       ({@link AccountKeyChangedException}). This is checked after every fetch of keys, right
 *       before each sealing, so that a gateway cannot answer 409 to the first attempt and serve
 *       another account key (and its devices) to the retry.</li>
 * </ul>
 */
public final class E2eeSender {

    /** Attempts at one end-to-end message, the first included. */
    public static final int MAX_ATTEMPTS = 3;

    private final SwitchboardClient client;
    private final DeviceKeys keys;
    private final KeyDirectory directory;
    private final TrustStore trust;
    private final DeviceCredentials self;
    private final MessageSealer sealer = new MessageSealer();
    private final LongSupplier clock;
    private final boolean plaintextAllowed;

    /**
     * What a send did.
     *
     * @param message   the gateway's answer
     * @param encrypted whether it went end-to-end encrypted
     * @param refusals  the codes of the attempts the gateway refused before it accepted one
     *                  ({@code device_mismatch}, {@code stale_devices}, {@code e2ee_required}), in order
     */
    public record Sent(SentMessage message, boolean encrypted, List<String> refusals) {

        public Sent {
            refusals = List.copyOf(refusals);
        }
    }

    /**
     * @param client    an authenticated client of this device
     * @param keys      this device's keys (the identity key signs every message)
     * @param directory where the numbers' keys come from
     * @param trust     the trust store {@code directory} checks against (for account key changes)
     */
    public E2eeSender(SwitchboardClient client, DeviceKeys keys, KeyDirectory directory, TrustStore trust) {
        this(client, keys, directory, trust, System::currentTimeMillis);
    }

    E2eeSender(SwitchboardClient client, DeviceKeys keys, KeyDirectory directory, TrustStore trust, LongSupplier clock) {
        this(client, keys, directory, trust, clock, false);
    }

    private E2eeSender(SwitchboardClient client, DeviceKeys keys, KeyDirectory directory, TrustStore trust,
            LongSupplier clock, boolean plaintextAllowed) {
        this.plaintextAllowed = plaintextAllowed;
        this.client = Objects.requireNonNull(client, "client");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.self = client.credentials().orElseThrow(() -> new IllegalArgumentException("the client has no credentials"));
        if (self.number() == null) {
            throw new IllegalArgumentException("these credentials do not say which number this device belongs to");
        }
        this.clock = clock;
    }

    public Sent send(String to, String text) {
        return send(to, text, List.of(), List.of());
    }

    public Sent send(String to, String text, List<Attachment> attachments) {
        return send(to, text, List.of(), attachments);
    }

    /**
     * Sends {@code text} (may be null), {@code parts} (as the API writes them; no media parts of
     * files already uploaded in the clear, which an end-to-end message could not carry) and
     * {@code attachments}.
     *
     * @throws AccountKeyChangedException when the peer's or this number's account key changed unacknowledged,
     *         checked again after every fetch of keys (a retry included) before anything is sealed
     * @throws PlaintextRefusedException when the gateway's answer would have this go in the clear to a
     *         number this device verified a signed device list of before
     * @throws KeyVerificationException when a number's keys do not verify, or a device the message
     *         would be sealed to is not vouched for by its account key
     * @throws SwitchboardApiException when the gateway refuses (after the retries above)
     */
    public Sent send(String to, String text, List<JsonNode> parts, List<Attachment> attachments) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(parts, "parts");
        Objects.requireNonNull(attachments, "attachments");
        if (text == null && parts.isEmpty() && attachments.isEmpty()) {
            throw new IllegalArgumentException("a message needs text, parts or attachments");
        }
        Optional<VerifiedKeys> peer = directory.keys(to);
        if (peer.isPresent()) {
            refuseUnacknowledgedChanges(to);
            VerifiedKeys own = ownKeys(false);
            if (!capable(peer.get()) || !capable(own)) {
                // The keys kept may be old: look again before sending anything in the clear.
                peer = directory.refresh(to);
                own = ownKeys(true);
                refuseUnacknowledgedChanges(to);
            }
            if (peer.isPresent() && capable(peer.get()) && capable(own)) {
                return sendEncrypted(to, text, parts, attachments, new ArrayList<>());
            }
        }
        refuseDowngrade(to, peer);
        try {
            return new Sent(sendPlain(to, text, parts, attachments), false, List.of());
        } catch (SwitchboardApiException e) {
            if (e.status() != 409 || !"e2ee_required".equals(e.code())) {
                throw e;
            }
            List<String> refusals = new ArrayList<>(List.of(e.code()));
            directory.refresh(to);
            ownKeys(true);
            return sendEncrypted(to, text, parts, attachments, refusals);
        }
    }

    /**
     * This sender, except that it sends in the clear to a number that the gateway shows as not
     * end-to-end capable even when this device verified a signed device list of it before. Only for
     * a user who decided so explicitly (CLI: {@code send --allow-plaintext}).
     */
    public E2eeSender allowingPlaintext() {
        return new E2eeSender(client, keys, directory, trust, clock, true);
    }

    // -----------------------------------------------------------------------------------------

    private Sent sendEncrypted(String to, String text, List<JsonNode> parts, List<Attachment> attachments,
            List<String> refusals) {
        List<JsonNode> content = new ArrayList<>(parts);
        List<String> mediaIds = new ArrayList<>();
        for (Attachment attachment : attachments) {
            AttachmentCipher.Encrypted encrypted = AttachmentCipher.encrypt(attachment.bytes());
            // Opaque bytes, no file name: type and name travel only inside the encrypted message.
            JsonNode uploaded = client.uploadMedia(encrypted.ciphertext(), "application/octet-stream", null);
            String mediaId = Json.requiredText(uploaded, "mediaId");
            mediaIds.add(mediaId);
            content.add(E2eeContent.attachmentPart(mediaId, attachment, encrypted));
        }
        byte[] plaintext = new E2eeContent(text, content).encode();
        String messageId = "e2e_" + UUID.randomUUID();
        for (int attempt = 1; ; attempt++) {
            VerifiedKeys peer = directory.keys(to).orElseThrow(() -> new SwitchboardApiException(409,
                    "e2ee_unavailable", to + " is no longer served by this gateway: not sending in the clear"));
            VerifiedKeys own = ownKeys(false);
            // Every fetch may have brought another account key (a gateway can answer 409 just to serve
            // new keys on the retry): checked right before each sealing, not once per send.
            // (The trust store says it: a fetch that shows a new key records it there before it returns.)
            refuseUnacknowledgedChanges(to);
            ObjectNode body = sealedBody(to, messageId, peer, own, plaintext, mediaIds);
            try {
                return new Sent(post(body), true, refusals);
            } catch (SwitchboardApiException e) {
                boolean outdated = (e.status() == 409 && "device_mismatch".equals(e.code()))
                        || (e.status() == 410 && "stale_devices".equals(e.code()));
                if (!outdated || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                refusals.add(e.code());
                directory.refresh(to);
                ownKeys(true);
            }
        }
    }

    private ObjectNode sealedBody(String to, String messageId, VerifiedKeys peer, VerifiedKeys own, byte[] plaintext,
            List<String> mediaIds) {
        Map<String, Recipient> targets = new LinkedHashMap<>();
        addTargets(targets, peer);
        addTargets(targets, own);
        MessageHeader header = MessageHeader.of(messageId, self.number(), self.deviceId(), to, clock.getAsLong(),
                own.listVersion(), peer.listVersion());
        byte[] identityPrivate = RawKeys.identityPrivate(keys);
        SealedMessage sealed = sealer.seal(header, identityPrivate, List.copyOf(targets.values()), plaintext);
        java.util.Arrays.fill(identityPrivate, (byte) 0);

        ObjectNode e2ee = Json.MAPPER.createObjectNode()
                .put("header", Base64Url.encode(sealed.header()))
                .put("ciphertext", Base64Url.encode(sealed.ciphertext()))
                .put("keyCommitment", Base64Url.encode(sealed.keyCommitment()))
                .put("signature", Base64Url.encode(sealed.signature()));
        ArrayNode wrapped = e2ee.putArray("keys");
        for (WrappedKey key : sealed.keys()) {
            wrapped.addObject()
                    .put("number", key.number())
                    .put("deviceId", key.deviceId())
                    .put("encryptionKeyId", key.encryptionKeyId())
                    .put("wrappedKey", Base64Url.encode(key.wrapped()));
        }
        if (!mediaIds.isEmpty()) {
            ArrayNode ids = e2ee.putArray("mediaIds");
            mediaIds.forEach(ids::add);
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("to", to);
        body.set("e2ee", e2ee);
        return body;
    }

    private void addTargets(Map<String, Recipient> targets, VerifiedKeys keys) {
        for (VerifiedDevice device : keys.devices()) {
            if (!directory.vouchedFor(keys, device)) {
                throw new KeyVerificationException(keys.number(), KeyVerificationException.Reason.MISMATCH,
                        "device " + device.deviceId() + " of " + keys.number() + " is not in a device list signed by"
                                + " the number's account key (version " + keys.listVersion() + (keys.stale() ? ", stale" : "")
                                + "): refusing to encrypt to it; nothing was sent. The primary of " + keys.number()
                                + " must sign its device list again");
            }
            targets.putIfAbsent(keys.number() + "\u0000" + device.deviceId(), new Recipient(keys.number(),
                    device.deviceId(), device.encryptionKeyId(), device.encryptionKey()));
        }
    }

    /** One body, one Idempotency-Key: a network failure resends the identical body under the same key, once. */
    private SentMessage post(ObjectNode body) {
        String idempotencyKey = UUID.randomUUID().toString();
        try {
            return client.send(body, idempotencyKey);
        } catch (UncheckedIOException e) {
            return client.send(body, idempotencyKey);
        }
    }

    private SentMessage sendPlain(String to, String text, List<JsonNode> parts, List<Attachment> attachments) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("to", to);
        if (text != null) {
            body.put("text", text);
        }
        ArrayNode array = Json.MAPPER.createArrayNode();
        parts.forEach(array::add);
        for (Attachment attachment : attachments) {
            JsonNode uploaded = client.uploadMedia(attachment.bytes(), attachment.contentType(), attachment.fileName());
            ObjectNode part = array.addObject()
                    .put("type", "media")
                    .put("mediaId", Json.requiredText(uploaded, "mediaId"))
                    .put("contentType", attachment.contentType())
                    .put("size", attachment.bytes().length);
            if (attachment.fileName() != null) {
                part.put("fileName", attachment.fileName());
            }
        }
        if (!array.isEmpty()) {
            body.set("parts", array);
        }
        return post(body);
    }

    private VerifiedKeys ownKeys(boolean refresh) {
        Optional<VerifiedKeys> own = refresh ? directory.refresh(self.number()) : directory.keys(self.number());
        return own.orElseThrow(() -> new IllegalStateException("the gateway does not serve this device's own number "
                + self.number()));
    }

    /** Refuses while the account key of {@code to} or of this device's own number changed unacknowledged. */
    private void refuseUnacknowledgedChanges(String to) {
        for (String number : List.of(to, self.number())) {
            if (trust.peer(number).map(TrustStore.Peer::changeUnacknowledged).orElse(false)) {
                throw new AccountKeyChangedException(number);
            }
        }
    }

    /**
     * Refuses the plaintext send when this device verified a signed device list of {@code to} before
     * (the gateway's "not served" or "not capable" is then what a downgrading gateway would say),
     * unless plaintext was {@linkplain #allowingPlaintext() allowed}.
     */
    private void refuseDowngrade(String to, Optional<VerifiedKeys> peer) {
        if (plaintextAllowed) {
            return;
        }
        boolean signedBefore = directory.hadSignedList(to)
                || trust.peer(to).map(known -> known.highestVersion() > 0).orElse(false);
        if (!signedBefore) {
            return;
        }
        String why;
        if (peer.isEmpty()) {
            why = "the gateway says that it does not serve " + to;
        } else if (!peer.get().hasSignedList()) {
            why = "the gateway shows no device list of " + to + " signed by its account key";
        } else if (!capable(peer.get())) {
            why = "the gateway shows " + to + " with a device whose encryption key is not signed ("
                    + peer.get().devices().stream().filter(device -> !device.encryptionKeySigned())
                            .map(VerifiedDevice::deviceId).toList() + ")";
        } else {
            why = "the gateway shows this device's own number " + self.number() + " as not end-to-end capable";
        }
        throw new PlaintextRefusedException(to, why);
    }

    /** A signed device list and a signed encryption key on every device: what the gateway requires too. */
    static boolean capable(VerifiedKeys keys) {
        return keys.hasSignedList() && !keys.devices().isEmpty()
                && keys.devices().stream().allMatch(VerifiedDevice::encryptionKeySigned);
    }
}
