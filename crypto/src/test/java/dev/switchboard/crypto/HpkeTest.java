package dev.switchboard.crypto;

import static dev.switchboard.crypto.Hex.bytes;
import static dev.switchboard.crypto.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 9180 appendix A test vectors (sequence number 0 of each) through {@link Hpke}'s own sealing
 * path ({@code seal*WithEphemeral} is the body of {@code seal}/{@code sealPsk}) and its opening
 * path, plus the behaviour the protocol relies on. Hex from the RFC text, appendix A.1.1, A.1.2 and
 * A.2.1. The ChaCha20-Poly1305 AEAD also runs alone against RFC 8439 section 2.8.2.
 */
class HpkeTest {

    /** Shared by every vector of appendix A: "Ode on a Grecian Urn", "Beauty is truth, truth beauty", "Count-0". */
    private static final String INFO = "4f6465206f6e2061204772656369616e2055726e";
    private static final String PT = "4265617574792069732074727574682c20747275746820626561757479";
    private static final String AAD_0 = "436f756e742d30";

    /** RFC 9180 A.1.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode. */
    private static final class A11 {
        static final String IKM_E = "7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234";
        static final String PK_EM = "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431";
        static final String SK_EM = "52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736";
        static final String IKM_R = "6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037";
        static final String PK_RM = "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d";
        static final String SK_RM = "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8";
        static final String ENC = "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431";
        static final String CT_0 = "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a9"
                + "6d8770ac83d07bea87e13c512a";
    }

    /** RFC 9180 A.1.2: the same suite, PSK mode. */
    private static final class A12 {
        static final String IKM_E = "78628c354e46f3e169bd231be7b2ff1c77aa302460a26dbfa15515684c00130b";
        static final String PK_EM = "0ad0950d9fb9588e59690b74f1237ecdf1d775cd60be2eca57af5a4b0471c91b";
        static final String SK_EM = "463426a9ffb42bb17dbe6044b9abd1d4e4d95f9041cef0e99d7824eef2b6f588";
        static final String IKM_R = "d4a09d09f575fef425905d2ab396c1449141463f698f8efdb7accfaff8995098";
        static final String PK_RM = "9fed7e8c17387560e92cc6462a68049657246a09bfa8ade7aefe589672016366";
        static final String SK_RM = "c5eb01eb457fe6c6f57577c5413b931550a162c71a03ac8d196babbd4e5ce0fd";
        static final String PSK = "0247fd33b913760fa1fa51e1892d9f307fbe65eb171e8132c2af18555a738b82";
        static final String PSK_ID = "456e6e796e20447572696e206172616e204d6f726961";
        static final String ENC = "0ad0950d9fb9588e59690b74f1237ecdf1d775cd60be2eca57af5a4b0471c91b";
        static final String CT_0 = "e52c6fed7f758d0cf7145689f21bc1be6ec9ea097fef4e959440012f4feb73fb"
                + "611b946199e681f4cfc34db8ea";
    }

    /** RFC 9180 A.2.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305, base mode. */
    private static final class A21 {
        static final String IKM_E = "909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b";
        static final String PK_EM = "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a";
        static final String SK_EM = "f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600";
        static final String IKM_R = "1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df";
        static final String PK_RM = "4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a";
        static final String SK_RM = "8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb";
        static final String ENC = "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a";
        static final String CT_0 = "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db"
                + "21993c62ce81883d2dd1b51a28";
    }

    private final Hpke aesGcm = new Hpke();
    private final Hpke chacha = new Hpke(Hpke.Aead.CHACHA20_POLY1305);

    // ---- RFC 9180 vectors ----------------------------------------------------------------------

    @Test
    void a11BaseAes128Gcm() {
        assertDerivedKeys(A11.IKM_E, A11.PK_EM, A11.IKM_R, A11.PK_RM);
        assertEquals(Hpke.Aead.AES_128_GCM, aesGcm.aead());

        Hpke.Sealed sealed = aesGcm.sealWithEphemeral(bytes(A11.SK_EM), bytes(A11.PK_RM), bytes(INFO),
                bytes(AAD_0), bytes(PT));
        assertEquals(A11.ENC, hex(sealed.enc()), "A.1.1 enc");
        assertEquals(A11.CT_0, hex(sealed.ciphertext()), "A.1.1 ct, sequence number 0");
        // BouncyCastle derives the clamped skE: a different encoding of the same key, same output.
        Hpke.Sealed fromIkm = aesGcm.sealWithEphemeral(Hpke.deriveKeyPair(bytes(A11.IKM_E)).privateKey(),
                bytes(A11.PK_RM), bytes(INFO), bytes(AAD_0), bytes(PT));
        assertEquals(sealed, fromIkm, "A.1.1 sealed with the ephemeral derived from ikmE");

        assertEquals(PT, hex(aesGcm.open(bytes(A11.SK_RM), bytes(A11.ENC), bytes(INFO), bytes(AAD_0),
                bytes(A11.CT_0))), "A.1.1 open with the RFC's skRm");
        assertEquals(PT, hex(aesGcm.open(Hpke.deriveKeyPair(bytes(A11.IKM_R)).privateKey(), bytes(A11.ENC),
                bytes(INFO), bytes(AAD_0), bytes(A11.CT_0))), "A.1.1 open with the skR derived from ikmR");
    }

    @Test
    void a12PskAes128Gcm() {
        assertDerivedKeys(A12.IKM_E, A12.PK_EM, A12.IKM_R, A12.PK_RM);

        Hpke.Sealed sealed = aesGcm.sealPskWithEphemeral(bytes(A12.SK_EM), bytes(A12.PK_RM), bytes(INFO),
                bytes(AAD_0), bytes(PT), bytes(A12.PSK), bytes(A12.PSK_ID));
        assertEquals(A12.ENC, hex(sealed.enc()), "A.1.2 enc");
        assertEquals(A12.CT_0, hex(sealed.ciphertext()), "A.1.2 ct, sequence number 0");
        Hpke.Sealed fromIkm = aesGcm.sealPskWithEphemeral(Hpke.deriveKeyPair(bytes(A12.IKM_E)).privateKey(),
                bytes(A12.PK_RM), bytes(INFO), bytes(AAD_0), bytes(PT), bytes(A12.PSK), bytes(A12.PSK_ID));
        assertEquals(sealed, fromIkm, "A.1.2 sealed with the ephemeral derived from ikmE");

        assertEquals(PT, hex(aesGcm.openPsk(bytes(A12.SK_RM), bytes(A12.ENC), bytes(INFO), bytes(AAD_0),
                bytes(A12.CT_0), bytes(A12.PSK), bytes(A12.PSK_ID))), "A.1.2 open");
        assertEquals(PT, hex(aesGcm.openPsk(Hpke.deriveKeyPair(bytes(A12.IKM_R)).privateKey(), bytes(A12.ENC),
                bytes(INFO), bytes(AAD_0), bytes(A12.CT_0), bytes(A12.PSK), bytes(A12.PSK_ID))),
                "A.1.2 open with the skR derived from ikmR");
    }

    @Test
    void a21BaseChaCha20Poly1305() {
        assertDerivedKeys(A21.IKM_E, A21.PK_EM, A21.IKM_R, A21.PK_RM);

        Hpke.Sealed sealed = chacha.sealWithEphemeral(bytes(A21.SK_EM), bytes(A21.PK_RM), bytes(INFO),
                bytes(AAD_0), bytes(PT));
        assertEquals(A21.ENC, hex(sealed.enc()), "A.2.1 enc");
        assertEquals(A21.CT_0, hex(sealed.ciphertext()), "A.2.1 ct, sequence number 0");

        assertEquals(PT, hex(chacha.open(bytes(A21.SK_RM), bytes(A21.ENC), bytes(INFO), bytes(AAD_0),
                bytes(A21.CT_0))), "A.2.1 open");
        assertThrows(CryptoException.class, () -> aesGcm.open(bytes(A21.SK_RM), bytes(A21.ENC), bytes(INFO),
                bytes(AAD_0), bytes(A21.CT_0)), "a ChaCha20-Poly1305 ciphertext does not open as AES-128-GCM");
    }

    /**
     * RFC 8439 section 2.8.2, the ChaCha20-Poly1305 AEAD on its own, through {@link Hpke#aeadSeal}:
     * the step every PSK-mode seal ends with (the HPKE vectors above cover it only behind the key
     * schedule). 32-bit constant 07000000 || IV 4041424344454647 is the 12-byte nonce.
     */
    @Test
    void rfc8439ChaCha20Poly1305AeadVector() throws Exception {
        byte[] key = bytes("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = bytes("070000004041424344454647");
        byte[] aad = bytes("50515253c0c1c2c3c4c5c6c7");
        byte[] plaintext = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future,"
                + " sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
        String ciphertext = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                + "3ff4def08e4b7a9de576d26586cec64b6116";
        String tag = "1ae10b594f09e26a7e902ecbd0600691";
        assertEquals(114, plaintext.length);

        byte[] sealed = chacha.aeadSeal(key, nonce, aad, plaintext);
        assertEquals(ciphertext + tag, hex(sealed), "RFC 8439 2.8.2 ciphertext || tag");
        assertArrayEquals(plaintext, chacha.aeadOpen(key, nonce, aad, bytes(ciphertext + tag)), "RFC 8439 2.8.2 opens");

        byte[] flipped = bytes(ciphertext + tag);
        flipped[flipped.length - 1] ^= 1;
        assertThrows(org.bouncycastle.crypto.InvalidCipherTextException.class, () -> chacha.aeadOpen(key, nonce, aad, flipped),
                "a wrong tag is refused");
        byte[] otherAad = aad.clone();
        otherAad[0] ^= 1;
        assertThrows(org.bouncycastle.crypto.InvalidCipherTextException.class,
                () -> chacha.aeadOpen(key, nonce, otherAad, bytes(ciphertext + tag)), "the AAD is authenticated");
        assertFalse(hex(aesGcm.aeadSeal(new byte[16], nonce, aad, plaintext)).startsWith(ciphertext.substring(0, 32)),
                "the default suite is not ChaCha20");
    }

    private static void assertDerivedKeys(String ikmE, String pkEm, String ikmR, String pkRm) {
        assertEquals(pkEm, hex(Hpke.deriveKeyPair(bytes(ikmE)).publicKey()), "DeriveKeyPair(ikmE)");
        assertEquals(pkRm, hex(Hpke.deriveKeyPair(bytes(ikmR)).publicKey()), "DeriveKeyPair(ikmR)");
    }

    // ---- behaviour -----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Hpke.Aead.class)
    void baseModeRoundTripsWithAFreshEphemeralEachTime(Hpke.Aead aead) {
        Hpke hpke = new Hpke(aead);
        RawKeyPair recipient = X25519.generate();
        byte[] info = Canonical.messageInfo("alice-phone", "bob-laptop");
        byte[] contentKey = ContentCipher.newKey();

        Hpke.Sealed first = hpke.seal(recipient.publicKey(), info, null, contentKey);
        Hpke.Sealed second = hpke.seal(recipient.publicKey(), info, null, contentKey);
        assertFalse(Arrays.equals(first.enc(), second.enc()), "a new ephemeral per seal");
        assertEquals(32, first.enc().length);
        assertEquals(contentKey.length + 16, first.ciphertext().length);
        assertArrayEquals(contentKey, hpke.open(recipient.privateKey(), first.enc(), info, null, first.ciphertext()));
        assertArrayEquals(contentKey, hpke.open(recipient.privateKey(), second.enc(), info, new byte[0],
                second.ciphertext()), "null and empty aad are the same");
    }

    @ParameterizedTest
    @EnumSource(Hpke.Aead.class)
    void pskModeRoundTrips(Hpke.Aead aead) {
        Hpke hpke = new Hpke(aead);
        RawKeyPair ephemeralOfTheQr = X25519.generate();
        byte[] linkingSecret = ContentCipher.newKey();
        byte[] pskId = "sb.link.v1".getBytes(StandardCharsets.US_ASCII);
        byte[] provisioning = "number, account key, signatures, device list".getBytes(StandardCharsets.UTF_8);

        Hpke.Sealed sealed = hpke.sealPsk(ephemeralOfTheQr.publicKey(), null, null, provisioning, linkingSecret,
                pskId);
        assertArrayEquals(provisioning, hpke.openPsk(ephemeralOfTheQr.privateKey(), sealed.enc(), null, null,
                sealed.ciphertext(), linkingSecret, pskId));
    }

    @Test
    void pskOpenFailsWithTheWrongPskOrPskIdOrInBaseMode() {
        RawKeyPair recipient = X25519.generate();
        byte[] psk = ContentCipher.newKey();
        byte[] pskId = "sb.link.v1".getBytes(StandardCharsets.US_ASCII);
        byte[] info = {1};
        byte[] aad = {2};
        Hpke.Sealed sealed = aesGcm.sealPsk(recipient.publicKey(), info, aad, new byte[] {42}, psk, pskId);

        byte[] otherPsk = psk.clone();
        otherPsk[31] ^= 1;
        assertThrows(CryptoException.class, () -> aesGcm.openPsk(recipient.privateKey(), sealed.enc(), info, aad,
                sealed.ciphertext(), otherPsk, pskId), "wrong psk");
        assertThrows(CryptoException.class, () -> aesGcm.openPsk(recipient.privateKey(), sealed.enc(), info, aad,
                sealed.ciphertext(), psk, "sb.link.v2".getBytes(StandardCharsets.US_ASCII)), "wrong psk_id");
        assertThrows(CryptoException.class, () -> aesGcm.open(recipient.privateKey(), sealed.enc(), info, aad,
                sealed.ciphertext()), "PSK ciphertext opened in base mode");

        Hpke.Sealed base = aesGcm.seal(recipient.publicKey(), info, aad, new byte[] {42});
        assertThrows(CryptoException.class, () -> aesGcm.openPsk(recipient.privateKey(), base.enc(), info, aad,
                base.ciphertext(), psk, pskId), "base ciphertext opened in PSK mode");
    }

    @Test
    void tamperingIsDetected() {
        RawKeyPair recipient = X25519.generate();
        byte[] info = Canonical.messageInfo("a", "b");
        byte[] aad = {7, 7, 7};
        Hpke.Sealed sealed = aesGcm.seal(recipient.publicKey(), info, aad, ContentCipher.newKey());

        for (int i = 0; i < sealed.ciphertext().length; i += 7) {
            byte[] ct = sealed.ciphertext();
            ct[i] ^= 0x01;
            assertThrows(CryptoException.class,
                    () -> aesGcm.open(recipient.privateKey(), sealed.enc(), info, aad, ct), "ciphertext byte " + i);
        }
        byte[] truncated = Arrays.copyOf(sealed.ciphertext(), sealed.ciphertext().length - 1);
        assertThrows(CryptoException.class,
                () -> aesGcm.open(recipient.privateKey(), sealed.enc(), info, aad, truncated), "truncated");
        assertThrows(CryptoException.class,
                () -> aesGcm.open(recipient.privateKey(), sealed.enc(), info, new byte[] {7, 7, 8},
                        sealed.ciphertext()), "aad");
        assertThrows(CryptoException.class,
                () -> aesGcm.open(recipient.privateKey(), sealed.enc(), Canonical.messageInfo("a", "c"), aad,
                        sealed.ciphertext()), "info (another target device)");
        byte[] enc = sealed.enc();
        enc[5] ^= 0x20;
        assertThrows(CryptoException.class,
                () -> aesGcm.open(recipient.privateKey(), enc, info, aad, sealed.ciphertext()), "enc");
        assertThrows(CryptoException.class,
                () -> aesGcm.open(X25519.generate().privateKey(), sealed.enc(), info, aad, sealed.ciphertext()),
                "another recipient");
    }

    @Test
    void badInputsAreRejected() {
        RawKeyPair recipient = X25519.generate();
        byte[] psk = ContentCipher.newKey();
        byte[] pskId = {1};
        assertThrows(CryptoException.class, () -> aesGcm.seal(new byte[31], null, null, new byte[1]));
        assertThrows(CryptoException.class, () -> aesGcm.seal(recipient.publicKey(), null, null, null));
        assertThrows(CryptoException.class, () -> aesGcm.seal(new byte[32], null, null, new byte[1]),
                "an all-zero (small-order) recipient key");
        assertThrows(CryptoException.class, () -> aesGcm.sealPsk(new byte[32], null, null, new byte[1], psk, pskId),
                "an all-zero (small-order) recipient key, PSK mode");
        assertThrows(CryptoException.class,
                () -> aesGcm.open(recipient.privateKey(), new byte[32], null, null, new byte[32]), "all-zero enc");
        assertThrows(CryptoException.class,
                () -> aesGcm.open(recipient.privateKey(), new byte[33], null, null, new byte[32]), "long enc");
        assertThrows(CryptoException.class,
                () -> aesGcm.sealPsk(recipient.publicKey(), null, null, new byte[1], new byte[31], pskId),
                "psk under 32 bytes");
        assertThrows(CryptoException.class,
                () -> aesGcm.sealPsk(recipient.publicKey(), null, null, new byte[1], psk, new byte[0]), "empty psk_id");
        assertThrows(CryptoException.class,
                () -> aesGcm.openPsk(recipient.privateKey(), new byte[32], null, null, new byte[32], null, pskId),
                "missing psk");
    }
}
