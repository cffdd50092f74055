package dev.switchboard.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.AEAD;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * Single-shot HPKE (RFC 9180) with DHKEM(X25519, HKDF-SHA256) and HKDF-SHA256, in base mode (wrapping
 * a message's content key to a device's {@code IKenc}) and PSK mode (the QR-link provisioning
 * message, {@code psk} = the linking secret). The AEAD is AES-128-GCM by default (what WebCrypto in
 * the browser can do) or ChaCha20-Poly1305. Each seal is a fresh context with sequence number 0;
 * {@link Sealed#enc()} is the 32-byte encapsulated ephemeral public key and
 * {@link Sealed#ciphertext()} the AEAD output (ciphertext || 16-byte tag).
 *
 * <p>Built on BouncyCastle's {@link HPKE}: opening in both modes and sealing in base mode go
 * through it (a new {@code HPKE} per call, as its KEM object is not thread-safe). BouncyCastle 1.83
 * has no PSK-mode sender that accepts a chosen ephemeral key ({@code SetupPSKS} always draws its own
 * and its KEM methods are package-private), so the PSK-mode sender runs the RFC 9180 section 4.1
 * Encap and section 5.1 key schedule here, over {@link X25519} and {@link Hkdf}, and seals with
 * BouncyCastle's HPKE {@link AEAD}. That way one code path ({@code seal*WithEphemeral}) serves both
 * the product, with a random ephemeral, and the RFC test vectors, with theirs; every PSK seal is
 * opened by BouncyCastle's receiver in the tests.
 *
 * <p>PSK mode requires a non-empty {@code pskId} and a {@code psk} of at least 32 bytes (RFC 9180
 * section 9.5). Private keys may be given clamped or not: BouncyCastle since 1.81 derives and
 * serializes the clamped X25519 scalar, which is the same key. Instances are immutable and
 * thread-safe.
 */
public final class Hpke {

    /** The AEAD of the ciphersuite, with its RFC 9180 identifier. */
    public enum Aead {
        AES_128_GCM(HPKE.aead_AES_GCM128, 16),
        CHACHA20_POLY1305(HPKE.aead_CHACHA20_POLY1305, 32);

        private final short id;
        private final int keyLength;

        Aead(short id, int keyLength) {
            this.id = id;
            this.keyLength = keyLength;
        }

        /** The RFC 9180 {@code aead_id}. */
        public int id() {
            return id;
        }
    }

    /** The output of a seal: {@code enc} (32 bytes) and the ciphertext with its tag. Arrays are copied. */
    public record Sealed(byte[] enc, byte[] ciphertext) {

        public Sealed {
            enc = Bytes.requireNonNull(enc, "HPKE enc").clone();
            ciphertext = Bytes.requireNonNull(ciphertext, "HPKE ciphertext").clone();
        }

        @Override
        public byte[] enc() {
            return enc.clone();
        }

        @Override
        public byte[] ciphertext() {
            return ciphertext.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Sealed that
                    && Arrays.equals(enc, that.enc)
                    && Arrays.equals(ciphertext, that.ciphertext);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(enc) + Arrays.hashCode(ciphertext);
        }

        @Override
        public String toString() {
            return "Hpke.Sealed[enc=" + enc.length + " bytes, ciphertext=" + ciphertext.length + " bytes]";
        }
    }

    /** The minimum PSK length accepted, in bytes (RFC 9180 section 9.5: at least 32 bytes of entropy). */
    public static final int MIN_PSK_LENGTH = 32;

    private static final byte MODE_BASE = HPKE.mode_base;
    private static final byte MODE_PSK = HPKE.mode_psk;
    private static final short KEM_ID = HPKE.kem_X25519_SHA256;
    private static final short KDF_ID = HPKE.kdf_HKDF_SHA256;
    private static final int N_SECRET = 32;
    private static final int N_NONCE = 12;
    private static final byte[] VERSION_LABEL = "HPKE-v1".getBytes(US_ASCII);
    private static final byte[] KEM_SUITE_ID = Bytes.concat("KEM".getBytes(US_ASCII), u16(KEM_ID));
    private static final byte[] EMPTY = new byte[0];

    private final Aead aead;

    /** AES-128-GCM, the default suite. */
    public Hpke() {
        this(Aead.AES_128_GCM);
    }

    public Hpke(Aead aead) {
        this.aead = Objects.requireNonNull(aead, "aead");
    }

    public Aead aead() {
        return aead;
    }

    /** Base mode: seals {@code plaintext} to {@code recipientPublic} with a fresh ephemeral key. */
    public Sealed seal(byte[] recipientPublic, byte[] info, byte[] aad, byte[] plaintext) {
        return sealWithEphemeral(X25519.generate().privateKey(), recipientPublic, info, aad, plaintext);
    }

    /** PSK mode: as {@link #seal}, also bound to the pre-shared key {@code psk} named {@code pskId}. */
    public Sealed sealPsk(byte[] recipientPublic, byte[] info, byte[] aad, byte[] plaintext, byte[] psk,
            byte[] pskId) {
        return sealPskWithEphemeral(X25519.generate().privateKey(), recipientPublic, info, aad, plaintext, psk,
                pskId);
    }

    /** Base mode: opens what {@link #seal} produced, or throws {@link CryptoException}. */
    public byte[] open(byte[] recipientPrivate, byte[] enc, byte[] info, byte[] aad, byte[] ciphertext) {
        AsymmetricCipherKeyPair recipient = keyPair(recipientPrivate, "HPKE recipient private key");
        checkOpenInputs(enc, ciphertext);
        try {
            HPKEContext context = bc().setupBaseR(enc, recipient, Bytes.orEmpty(info));
            return context.open(Bytes.orEmpty(aad), ciphertext);
        } catch (InvalidCipherTextException | RuntimeException e) {
            throw new CryptoException("HPKE open failed (base mode): wrong key, info, aad or a tampered ciphertext", e);
        }
    }

    /** PSK mode: opens what {@link #sealPsk} produced, or throws {@link CryptoException}. */
    public byte[] openPsk(byte[] recipientPrivate, byte[] enc, byte[] info, byte[] aad, byte[] ciphertext,
            byte[] psk, byte[] pskId) {
        AsymmetricCipherKeyPair recipient = keyPair(recipientPrivate, "HPKE recipient private key");
        checkOpenInputs(enc, ciphertext);
        checkPsk(psk, pskId);
        try {
            HPKEContext context = bc().setupPSKR(enc, recipient, Bytes.orEmpty(info), psk, pskId);
            return context.open(Bytes.orEmpty(aad), ciphertext);
        } catch (InvalidCipherTextException | RuntimeException e) {
            throw new CryptoException(
                    "HPKE open failed (PSK mode): wrong key, psk, info, aad or a tampered ciphertext", e);
        }
    }

    /**
     * Test seam and the body of {@link #seal}: base mode with the given ephemeral private key
     * {@code skE}. Callers other than {@link #seal} and the RFC 9180 vector tests must not choose
     * ephemerals: reusing one breaks confidentiality.
     */
    Sealed sealWithEphemeral(byte[] ephemeralPrivate, byte[] recipientPublic, byte[] info, byte[] aad,
            byte[] plaintext) {
        AsymmetricCipherKeyPair ephemeral = keyPair(ephemeralPrivate, "HPKE ephemeral private key");
        X25519PublicKeyParameters recipient = X25519.publicParameters(recipientPublic, "HPKE recipient public key");
        Bytes.requireNonNull(plaintext, "HPKE plaintext");
        try {
            HPKEContextWithEncapsulation context = bc().setupBaseS(recipient, Bytes.orEmpty(info), ephemeral);
            byte[] ciphertext = context.seal(Bytes.orEmpty(aad), plaintext);
            return new Sealed(context.getEncapsulation(), ciphertext);
        } catch (InvalidCipherTextException | RuntimeException e) {
            throw new CryptoException("HPKE seal failed (base mode): " + e.getMessage(), e);
        }
    }

    /**
     * Test seam and the body of {@link #sealPsk}: PSK mode with the given ephemeral private key,
     * following RFC 9180 sections 4.1 (Encap), 5.1 (KeySchedule) and 5.2 (sequence 0).
     */
    Sealed sealPskWithEphemeral(byte[] ephemeralPrivate, byte[] recipientPublic, byte[] info, byte[] aad,
            byte[] plaintext, byte[] psk, byte[] pskId) {
        Bytes.requireLength(ephemeralPrivate, X25519.KEY_LENGTH, "HPKE ephemeral private key");
        Bytes.requireLength(recipientPublic, X25519.KEY_LENGTH, "HPKE recipient public key");
        Bytes.requireNonNull(plaintext, "HPKE plaintext");
        checkPsk(psk, pskId);

        // Encap(pkR) with skE chosen by the caller.
        byte[] enc = X25519.publicKeyOf(ephemeralPrivate);
        byte[] dh = X25519.agree(ephemeralPrivate, recipientPublic);
        byte[] eaePrk = labeledExtract(KEM_SUITE_ID, EMPTY, "eae_prk", dh);
        byte[] sharedSecret = labeledExpand(KEM_SUITE_ID, eaePrk, "shared_secret",
                Bytes.concat(enc, recipientPublic), N_SECRET);

        // KeySchedule(mode_psk, shared_secret, info, psk, psk_id).
        byte[] suiteId = Bytes.concat("HPKE".getBytes(US_ASCII), u16(KEM_ID), u16(KDF_ID), u16(aead.id));
        byte[] pskIdHash = labeledExtract(suiteId, EMPTY, "psk_id_hash", pskId);
        byte[] infoHash = labeledExtract(suiteId, EMPTY, "info_hash", Bytes.orEmpty(info));
        byte[] context = Bytes.concat(new byte[] {MODE_PSK}, pskIdHash, infoHash);
        byte[] secret = labeledExtract(suiteId, sharedSecret, "secret", psk);
        byte[] key = labeledExpand(suiteId, secret, "key", context, aead.keyLength);
        byte[] baseNonce = labeledExpand(suiteId, secret, "base_nonce", context, N_NONCE);

        try {
            byte[] ciphertext = aeadSeal(key, baseNonce, aad, plaintext);
            return new Sealed(enc, ciphertext);
        } catch (InvalidCipherTextException | RuntimeException e) {
            throw new CryptoException("HPKE seal failed (PSK mode): " + e.getMessage(), e);
        } finally {
            Arrays.fill(dh, (byte) 0);
            Arrays.fill(sharedSecret, (byte) 0);
            Arrays.fill(secret, (byte) 0);
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * The suite's AEAD alone, under a given key and nonce: the last step of every PSK-mode seal
     * (RFC 9180 section 5.2 with sequence number 0, where the nonce is the base nonce). Returns
     * ciphertext || 16-byte tag. Package-private so that the AEAD's own test vectors (RFC 8439
     * section 2.8.2 for ChaCha20-Poly1305) run through the code the product seals with.
     */
    byte[] aeadSeal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) throws InvalidCipherTextException {
        Bytes.requireLength(key, aead.keyLength, "HPKE AEAD key");
        Bytes.requireLength(nonce, N_NONCE, "HPKE AEAD nonce");
        return new AEAD(aead.id, key, nonce).seal(Bytes.orEmpty(aad), plaintext);
    }

    /**
     * The inverse of {@link #aeadSeal}, with BouncyCastle's HPKE {@link AEAD}, the class its HPKE
     * receiver context (which {@link #open} and {@link #openPsk} use) opens with; throws when the tag
     * does not verify.
     */
    byte[] aeadOpen(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) throws InvalidCipherTextException {
        Bytes.requireLength(key, aead.keyLength, "HPKE AEAD key");
        Bytes.requireLength(nonce, N_NONCE, "HPKE AEAD nonce");
        return new AEAD(aead.id, key, nonce).open(Bytes.orEmpty(aad), ciphertext);
    }

    /**
     * RFC 9180 section 7.1.3 DeriveKeyPair(ikm) for DHKEM(X25519), via BouncyCastle: the private key
     * comes back clamped (BouncyCastle 1.81 and later), so it differs from the RFC's unclamped
     * {@code sk*m} bytes while being the same X25519 key.
     */
    static RawKeyPair deriveKeyPair(byte[] ikm) {
        Bytes.requireNonNull(ikm, "HPKE DeriveKeyPair input keying material");
        HPKE hpke = new HPKE(MODE_BASE, KEM_ID, KDF_ID, HPKE.aead_AES_GCM128);
        AsymmetricCipherKeyPair pair = hpke.deriveKeyPair(ikm);
        return new RawKeyPair("X25519", hpke.serializePrivateKey(pair.getPrivate()),
                hpke.serializePublicKey(pair.getPublic()));
    }

    private HPKE bc() {
        // The mode argument only matters for BouncyCastle's single-shot seal/open, which we do not use.
        return new HPKE(MODE_BASE, KEM_ID, KDF_ID, aead.id);
    }

    private static AsymmetricCipherKeyPair keyPair(byte[] privateKey, String what) {
        X25519PrivateKeyParameters key = X25519.privateParameters(privateKey, what);
        return new AsymmetricCipherKeyPair(key.generatePublicKey(), key);
    }

    private static void checkOpenInputs(byte[] enc, byte[] ciphertext) {
        Bytes.requireLength(enc, X25519.KEY_LENGTH, "HPKE enc");
        Bytes.requireNonNull(ciphertext, "HPKE ciphertext");
    }

    private static void checkPsk(byte[] psk, byte[] pskId) {
        Bytes.requireNonNull(psk, "HPKE psk");
        Bytes.requireNonNull(pskId, "HPKE psk_id");
        if (psk.length < MIN_PSK_LENGTH) {
            throw new CryptoException("HPKE psk must be at least " + MIN_PSK_LENGTH + " bytes, got " + psk.length);
        }
        if (pskId.length == 0) {
            throw new CryptoException("HPKE psk_id must not be empty in PSK mode");
        }
    }

    private static byte[] labeledExtract(byte[] suiteId, byte[] salt, String label, byte[] ikm) {
        return Hkdf.extract(salt, Bytes.concat(VERSION_LABEL, suiteId, label.getBytes(US_ASCII), ikm));
    }

    private static byte[] labeledExpand(byte[] suiteId, byte[] prk, String label, byte[] info, int length) {
        byte[] labeledInfo = Bytes.concat(u16(length), VERSION_LABEL, suiteId, label.getBytes(US_ASCII), info);
        return Hkdf.expand(prk, labeledInfo, length);
    }

    private static byte[] u16(int value) {
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }
}
