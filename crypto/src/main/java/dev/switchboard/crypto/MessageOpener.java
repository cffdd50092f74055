package dev.switchboard.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Opens a message on one target device, checking in this order:
 * <ol>
 *   <li>the sender's signature over {@code header || SHA-256(ciphertext) || keyCommitment ||
 *       target ids} ({@link Canonical#messageStatement}) with the sender device's identity key,
 *       before anything else is read ("sender signature does not verify");</li>
 *   <li>the header decodes ({@link MessageHeader#decode});</li>
 *   <li>this device is among the signed target ids;</li>
 *   <li>this device's wrapped key opens with its encryption private key, HPKE info
 *       {@code Canonical.messageInfo(header.fromDeviceId, myDeviceId)} and aad = header bytes
 *       ("this device's wrapped key does not open");</li>
 *   <li>{@link Canonical#keyCommitment} of the unwrapped content key equals the signed commitment,
 *       compared in constant time, before the payload is touched ("the content key does not match
 *       the signed commitment"): AES-GCM does not commit to its key, so without this a sender could
 *       wrap different keys to different targets that decrypt the one signed ciphertext to different
 *       plaintexts;</li>
 *   <li>the payload decrypts under the content key with aad = header bytes.</li>
 * </ol>
 * Every failure is a {@link CryptoException}. Which identity key is the sender's is the caller's
 * decision: look up {@code fromDeviceId} of the (still unauthenticated) {@link MessageHeader#decode
 * decoded header} in the sender number's verified signed device list, pass that key here, and
 * then compare {@link Opened#header()} with what was looked up. Stateless and thread-safe.
 */
public final class MessageOpener {

    private final Hpke hpke = new Hpke(Hpke.Aead.AES_128_GCM);

    public Opened open(Received received, String myDeviceId, byte[] myEncryptionPrivate,
            byte[] senderIdentityPublic) {
        if (received == null) {
            throw new CryptoException("received message is missing");
        }
        if (myDeviceId == null || myDeviceId.isEmpty()) {
            throw new CryptoException("this device's id is missing");
        }
        Bytes.requireLength(myEncryptionPrivate, X25519.KEY_LENGTH, "this device's encryption private key");
        Bytes.requireLength(senderIdentityPublic, Ed25519.PUBLIC_KEY_LENGTH, "sender identity public key");

        byte[] headerBytes = received.header();
        byte[] ciphertext = received.ciphertext();
        byte[] signedCommitment = received.keyCommitment();
        byte[] statement = Canonical.messageStatement(headerBytes, Wire.sha256(ciphertext), signedCommitment,
                received.targetDeviceIds());
        if (!Ed25519.verify(senderIdentityPublic, statement, received.signature())) {
            throw new CryptoException("sender signature does not verify");
        }

        MessageHeader header = MessageHeader.decode(headerBytes);
        if (!received.targetDeviceIds().contains(myDeviceId)) {
            throw new CryptoException("device " + myDeviceId + " is not among the message's target devices");
        }

        byte[] contentKey = unwrap(received.wrappedKey(), header.fromDeviceId(), myDeviceId, myEncryptionPrivate,
                headerBytes);
        try {
            if (!MessageDigest.isEqual(Canonical.keyCommitment(contentKey), signedCommitment)) {
                throw new CryptoException("the content key does not match the signed commitment");
            }
            byte[] plaintext;
            try {
                plaintext = ContentCipher.decrypt(contentKey, ciphertext, headerBytes);
            } catch (CryptoException e) {
                throw new CryptoException("message payload does not decrypt under the unwrapped content key", e);
            }
            return new Opened(header, plaintext);
        } finally {
            Arrays.fill(contentKey, (byte) 0);
        }
    }

    private byte[] unwrap(byte[] wrapped, String fromDeviceId, String myDeviceId, byte[] myEncryptionPrivate,
            byte[] headerBytes) {
        if (wrapped.length != WrappedKey.LENGTH) {
            throw new CryptoException("this device's wrapped key does not open: it is " + wrapped.length
                    + " bytes, expected " + WrappedKey.LENGTH);
        }
        byte[] enc = Arrays.copyOfRange(wrapped, 0, WrappedKey.ENC_LENGTH);
        byte[] sealedKey = Arrays.copyOfRange(wrapped, WrappedKey.ENC_LENGTH, wrapped.length);
        byte[] info = Canonical.messageInfo(fromDeviceId, myDeviceId);
        try {
            return hpke.open(myEncryptionPrivate, enc, info, headerBytes, sealedKey);
        } catch (CryptoException e) {
            throw new CryptoException("this device's wrapped key does not open", e);
        }
    }
}
