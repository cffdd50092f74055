package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DeviceKeysTest {

    /** The fixed X.509 SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410). */
    private static final byte[] ED25519_SPKI_PREFIX = Base64.getDecoder().decode("MCowBQYDK2VwAyEA");

    private final DeviceKeys keys = DeviceKeys.generate();

    @Test
    void publicKeysAreRaw32ByteBase64UrlWithoutPadding() {
        for (String encoded : new String[] {keys.identityKeyB64(), keys.encryptionKeyB64()}) {
            assertEquals(43, encoded.length(), encoded);
            assertTrue(encoded.matches("[A-Za-z0-9_-]+"), encoded);
            assertEquals(32, Base64.getUrlDecoder().decode(encoded).length);
        }
    }

    @Test
    void rawKeyIsTheTailOfTheJdkEncoding() {
        byte[] spki = keys.identity().getPublic().getEncoded();

        assertArrayEquals(Arrays.copyOfRange(spki, spki.length - 32, spki.length),
                Base64.getUrlDecoder().decode(keys.identityKeyB64()));
    }

    @Test
    void keysHaveTheRightAlgorithms() {
        assertEquals("EdDSA", keys.identity().getPublic().getAlgorithm());
        assertEquals("XDH", keys.encryption().getPublic().getAlgorithm());
        assertEquals("XDH", DeviceKeys.generateEphemeral().getPublic().getAlgorithm());
    }

    @Test
    void eachGenerationIsFresh() {
        assertNotEquals(keys.identityKeyB64(), DeviceKeys.generate().identityKeyB64());
        KeyPair first = DeviceKeys.generateEphemeral();
        assertNotEquals(DeviceKeys.rawPublicKeyB64(first.getPublic()),
                DeviceKeys.rawPublicKeyB64(DeviceKeys.generateEphemeral().getPublic()));
    }

    @Test
    void signatureVerifiesWithTheJdkAgainstTheRawPublishedKey() throws Exception {
        byte[] data = "sblink-approve:abc:key".getBytes(StandardCharsets.UTF_8);

        byte[] signature = keys.sign(data);

        // Rebuild the key from what the server gets (32 raw bytes), as a verifier would.
        byte[] raw = Base64.getUrlDecoder().decode(keys.identityKeyB64());
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + raw.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
        PublicKey published = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        assertEquals(64, signature.length);
        assertTrue(verify(published, data, signature));
        assertFalse(verify(published, "something else".getBytes(StandardCharsets.UTF_8), signature));
    }

    @Test
    void encryptionKeySignatureVerifiesWithTheCryptoModuleOverTheEncryptionKeyStatement() {
        byte[] signature = keys.encryptionKeySignature();

        assertEquals(Ed25519.SIGNATURE_LENGTH, signature.length);
        assertTrue(Ed25519.verify(keys.rawIdentityKey(), Canonical.encryptionKeyStatement(keys.rawEncryptionKey()), signature));
        // Not over another encryption key, not by another identity, not over the bare key.
        assertFalse(Ed25519.verify(keys.rawIdentityKey(),
                Canonical.encryptionKeyStatement(DeviceKeys.generate().rawEncryptionKey()), signature));
        assertFalse(Ed25519.verify(DeviceKeys.generate().rawIdentityKey(),
                Canonical.encryptionKeyStatement(keys.rawEncryptionKey()), signature));
        assertFalse(Ed25519.verify(keys.rawIdentityKey(), keys.rawEncryptionKey(), signature));
    }

    @Test
    void encryptionKeySignatureIsBase64UrlWithoutPaddingOnTheWire() {
        String encoded = keys.encryptionKeySignatureB64();

        assertEquals(86, encoded.length(), encoded);
        assertTrue(encoded.matches("[A-Za-z0-9_-]+"), encoded);
        byte[] signature = Base64.getUrlDecoder().decode(encoded);
        assertTrue(Ed25519.verify(keys.rawIdentityKey(), Canonical.encryptionKeyStatement(keys.rawEncryptionKey()), signature));
    }

    @Test
    void rawKeysAreThePublishedOnes() {
        assertArrayEquals(Base64.getUrlDecoder().decode(keys.identityKeyB64()), keys.rawIdentityKey());
        assertArrayEquals(Base64.getUrlDecoder().decode(keys.encryptionKeyB64()), keys.rawEncryptionKey());
        assertArrayEquals(Ed25519.publicKeyOf(rawEd25519Seed(keys)), keys.rawIdentityKey(),
                "the JDK key pair is the Ed25519 key pair of RFC 8032");
    }

    @Test
    void withNewEncryptionKeyKeepsTheIdentityAndSignsTheNewKey() {
        DeviceKeys rotated = keys.withNewEncryptionKey();

        assertArrayEquals(keys.rawIdentityKey(), rotated.rawIdentityKey());
        assertFalse(Arrays.equals(keys.rawEncryptionKey(), rotated.rawEncryptionKey()));
        assertTrue(Ed25519.verify(keys.rawIdentityKey(), Canonical.encryptionKeyStatement(rotated.rawEncryptionKey()),
                rotated.encryptionKeySignature()));
    }

    @Test
    void toStringShowsNoPrivateKey() {
        String text = keys.toString();

        assertTrue(text.contains(keys.identityKeyB64()));
        assertFalse(text.contains(Base64.getEncoder().encodeToString(keys.identity().getPrivate().getEncoded())));
    }

    /** The 32-byte seed at the end of the JDK's PKCS#8 encoding of an Ed25519 private key (RFC 8410). */
    private static byte[] rawEd25519Seed(DeviceKeys keys) {
        byte[] pkcs8 = keys.identity().getPrivate().getEncoded();
        return Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
    }

    private static boolean verify(PublicKey key, byte[] data, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(data);
        return verifier.verify(signature);
    }
}
