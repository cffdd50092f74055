package dev.switchboard.crypto;

import static dev.switchboard.crypto.Hex.bytes;
import static dev.switchboard.crypto.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RFC 8032 section 7.1 (Ed25519) TEST 1, 2 and 3, run through {@link Ed25519}. */
class Ed25519Test {

    @ParameterizedTest(name = "RFC 8032 7.1 {0}")
    @CsvSource({
        "TEST 1, 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60,"
                + " d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a, '',"
                + " e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        "TEST 2, 4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb,"
                + " 3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c, 72,"
                + " 92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
        "TEST 3, c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7,"
                + " fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025, af82,"
                + " 6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    })
    void rfc8032Vectors(String name, String secretKey, String publicKey, String message, String signature) {
        byte[] sk = bytes(secretKey);
        byte[] msg = bytes(message);
        assertEquals(publicKey, hex(Ed25519.publicKeyOf(sk)), name + " public key");
        assertEquals(signature, hex(Ed25519.sign(sk, msg)), name + " signature");
        assertTrue(Ed25519.verify(bytes(publicKey), msg, bytes(signature)), name + " verifies");

        for (int bit : new int[] {0, 255, 256, 511}) {
            byte[] flipped = bytes(signature);
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(Ed25519.verify(bytes(publicKey), msg, flipped), name + " signature bit " + bit + " flipped");
        }
        byte[] otherMessage = Arrays.copyOf(msg, msg.length + 1);
        assertFalse(Ed25519.verify(bytes(publicKey), otherMessage, bytes(signature)), name + " longer message");
        if (msg.length > 0) {
            byte[] flippedMessage = msg.clone();
            flippedMessage[0] ^= 1;
            assertFalse(Ed25519.verify(bytes(publicKey), flippedMessage, bytes(signature)), name + " message bit");
        }
    }

    @Test
    void generatedKeysSignAndVerify() {
        RawKeyPair pair = Ed25519.generate();
        assertArrayEquals(pair.publicKey(), Ed25519.publicKeyOf(pair.privateKey()));
        byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] signature = Ed25519.sign(pair.privateKey(), message);
        assertEquals(Ed25519.SIGNATURE_LENGTH, signature.length);
        assertTrue(Ed25519.verify(pair.publicKey(), message, signature));
        assertFalse(Ed25519.verify(Ed25519.generate().publicKey(), message, signature), "another key");
    }

    @Test
    void badSignaturesAreFalseNotExceptions() {
        RawKeyPair pair = Ed25519.generate();
        byte[] message = {1, 2, 3};
        assertFalse(Ed25519.verify(pair.publicKey(), message, null));
        assertFalse(Ed25519.verify(pair.publicKey(), message, new byte[0]));
        assertFalse(Ed25519.verify(pair.publicKey(), message, new byte[63]));
        assertFalse(Ed25519.verify(pair.publicKey(), message, new byte[65]));
        assertFalse(Ed25519.verify(pair.publicKey(), message, new byte[64]));
        byte[] allOnes = new byte[64];
        Arrays.fill(allOnes, (byte) 0xff);
        assertFalse(Ed25519.verify(pair.publicKey(), message, allOnes));
        // An arbitrary value as public key (a valid point or not): nothing signed by another key verifies.
        byte[] notAPoint = new byte[32];
        notAPoint[0] = 2;
        assertFalse(Ed25519.verify(notAPoint, message, Ed25519.sign(pair.privateKey(), message)));
    }

    @Test
    void malformedKeysAreRejected() {
        assertThrows(CryptoException.class, () -> Ed25519.sign(new byte[31], new byte[0]));
        assertThrows(CryptoException.class, () -> Ed25519.publicKeyOf(null));
        assertThrows(CryptoException.class, () -> Ed25519.verify(new byte[33], new byte[0], new byte[64]));
    }

    @Test
    void keyPairCopiesAndHidesThePrivateKey() {
        RawKeyPair pair = Ed25519.generate();
        byte[] privateKey = pair.privateKey();
        privateKey[0] ^= 1;
        assertFalse(Arrays.equals(privateKey, pair.privateKey()), "accessor returns a copy");
        assertFalse(pair.toString().contains(hex(pair.privateKey())));
    }
}
