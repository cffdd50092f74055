package dev.switchboard.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF with HMAC-SHA-256 (RFC 5869): {@link #extract}, {@link #expand} and the two in one,
 * {@link #derive}. A missing or empty salt means {@code HashLen} zero bytes, as the RFC specifies
 * (for HMAC the two are the same key).
 */
public final class Hkdf {

    /** {@code HashLen} of SHA-256: the length of a PRK. */
    public static final int HASH_LENGTH = 32;
    /** The most {@link #expand} can produce: {@code 255 * HashLen}. */
    public static final int MAX_OUTPUT_LENGTH = 255 * HASH_LENGTH;

    private Hkdf() {
    }

    /** {@code HKDF-Extract(salt, IKM)}: a 32-byte pseudorandom key. {@code salt} may be null or empty. */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        Bytes.requireNonNull(ikm, "HKDF input keying material");
        byte[] effectiveSalt = salt == null || salt.length == 0 ? new byte[HASH_LENGTH] : salt;
        return new HKDFBytesGenerator(new SHA256Digest()).extractPRK(effectiveSalt, ikm);
    }

    /**
     * {@code HKDF-Expand(PRK, info, L)}: {@code length} bytes (0 to {@value #MAX_OUTPUT_LENGTH}).
     * {@code prk} must be at least {@value #HASH_LENGTH} bytes; {@code info} may be null or empty.
     */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        Bytes.requireNonNull(prk, "HKDF pseudorandom key");
        if (prk.length < HASH_LENGTH) {
            throw new CryptoException("HKDF pseudorandom key must be at least " + HASH_LENGTH + " bytes, got "
                    + prk.length);
        }
        if (length < 0 || length > MAX_OUTPUT_LENGTH) {
            throw new CryptoException("HKDF output length must be 0 to " + MAX_OUTPUT_LENGTH + ", got " + length);
        }
        byte[] out = new byte[length];
        if (length == 0) {
            return out;
        }
        HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
        generator.init(HKDFParameters.skipExtractParameters(prk, Bytes.orEmpty(info)));
        generator.generateBytes(out, 0, length);
        return out;
    }

    /** {@code HKDF(salt, IKM, info, L)} = {@code expand(extract(salt, ikm), info, length)}. */
    public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        return expand(extract(salt, ikm), info, length);
    }
}
