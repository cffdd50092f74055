package dev.switchboard.bench.micro;

import dev.switchboard.crypto.Hpke;
import dev.switchboard.crypto.RawKeyPair;
import dev.switchboard.crypto.X25519;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * HPKE as the product uses it: base mode, X25519 + HKDF-SHA256 + AES-128-GCM, wrapping one 32-byte
 * content key to one device with the message header as aad ({@code MessageSealer}), and opening it
 * ({@code MessageOpener}). Baseline: a raw AES-128-GCM of the same payload and aad with the JCA,
 * already keyed. The difference is HPKE's fixed cost per call: the X25519 operations (a fresh
 * ephemeral key pair and the Diffie-Hellman when sealing; the recipient's public key and the
 * Diffie-Hellman when opening) and the HKDF key schedule; the AEAD on 32 bytes is small beside them.
 * The two X25519 components are measured alone as well, to account for that cost.
 */
@State(Scope.Thread)
public class HpkeBenchmarks {
    private static final int TAG_BITS = 128;
    private static final int NONCE_BYTES = 12;

    private Hpke hpke;
    private byte[] recipientPrivate;
    private byte[] recipientPublic;
    private byte[] info;
    private byte[] aad;
    private byte[] payload;
    private byte[] enc;
    private byte[] ciphertext;

    private Cipher aes;
    private SecretKeySpec aesKey;
    private long nonceCounter;
    private byte[] aesNonce;
    private byte[] aesSealed;

    @Setup
    public void setUp() throws GeneralSecurityException {
        hpke = new Hpke(Hpke.Aead.AES_128_GCM);
        RawKeyPair recipient = X25519.generate();
        recipientPrivate = recipient.privateKey();
        recipientPublic = recipient.publicKey();
        info = MicroFixtures.hpkeInfo();
        aad = MicroFixtures.hpkeAad();
        payload = MicroFixtures.contentKey();
        Hpke.Sealed sealed = hpke.seal(recipientPublic, info, aad, payload);
        enc = sealed.enc();
        ciphertext = sealed.ciphertext();
        if (!Arrays.equals(hpke.open(recipientPrivate, enc, info, aad, ciphertext), payload)) {
            throw new IllegalStateException("HPKE does not open what it sealed");
        }
        aes = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] key = new byte[16];
        Arrays.fill(key, (byte) 0x5A);
        aesKey = new SecretKeySpec(key, "AES");
        aesNonce = new byte[NONCE_BYTES];
        aesSealed = aesGcmSeal(aes, aesKey, aesNonce, aad, payload);
        if (!Arrays.equals(aesGcmOpen(aes, aesKey, aesNonce, aad, aesSealed), payload)) {
            throw new IllegalStateException("AES-GCM does not open what it sealed");
        }
    }

    @Benchmark
    public Hpke.Sealed hpkeSeal() {
        return hpke.seal(recipientPublic, info, aad, payload);
    }

    @Benchmark
    public byte[] hpkeOpen() {
        return hpke.open(recipientPrivate, enc, info, aad, ciphertext);
    }

    /** Baseline of the seal: AES-128-GCM with a fresh nonce (a counter: the JCA refuses a repeated one). */
    @Benchmark
    public byte[] aesGcmSeal() throws GeneralSecurityException {
        byte[] nonce = new byte[NONCE_BYTES];
        long n = ++nonceCounter;
        for (int i = 0; i < 8; i++) {
            nonce[NONCE_BYTES - 1 - i] = (byte) (n >>> (8 * i));
        }
        return aesGcmSeal(aes, aesKey, nonce, aad, payload);
    }

    /** Baseline of the open. */
    @Benchmark
    public byte[] aesGcmOpen() throws GeneralSecurityException {
        return aesGcmOpen(aes, aesKey, aesNonce, aad, aesSealed);
    }

    /** Component: one fixed-base X25519 multiplication (a public key from a private key). */
    @Benchmark
    public byte[] x25519PublicKey() {
        return X25519.publicKeyOf(recipientPrivate);
    }

    /** Component: one variable-base X25519 multiplication (the Diffie-Hellman). */
    @Benchmark
    public byte[] x25519Agree() {
        return X25519.agree(recipientPrivate, enc);
    }

    static byte[] aesGcmSeal(Cipher cipher, SecretKeySpec key, byte[] nonce, byte[] aad, byte[] plaintext)
            throws GeneralSecurityException {
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(plaintext);
    }

    static byte[] aesGcmOpen(Cipher cipher, SecretKeySpec key, byte[] nonce, byte[] aad, byte[] sealed)
            throws GeneralSecurityException {
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(sealed);
    }
}
