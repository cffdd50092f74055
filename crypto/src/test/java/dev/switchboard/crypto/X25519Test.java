package dev.switchboard.crypto;

import static dev.switchboard.crypto.Hex.bytes;
import static dev.switchboard.crypto.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** RFC 7748 section 6.1 (Curve25519 Diffie-Hellman), run through {@link X25519}. */
class X25519Test {

    private static final String ALICE_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private static final String ALICE_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private static final String BOB_PRIVATE = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    private static final String BOB_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private static final String SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    @Test
    void rfc7748Section61() {
        assertEquals(ALICE_PUBLIC, hex(X25519.publicKeyOf(bytes(ALICE_PRIVATE))), "Alice's public key");
        assertEquals(BOB_PUBLIC, hex(X25519.publicKeyOf(bytes(BOB_PRIVATE))), "Bob's public key");
        assertEquals(SHARED, hex(X25519.agree(bytes(ALICE_PRIVATE), bytes(BOB_PUBLIC))), "Alice's shared secret");
        assertEquals(SHARED, hex(X25519.agree(bytes(BOB_PRIVATE), bytes(ALICE_PUBLIC))), "Bob's shared secret");
    }

    @Test
    void generatedKeysAgree() {
        RawKeyPair a = X25519.generate();
        RawKeyPair b = X25519.generate();
        assertArrayEquals(a.publicKey(), X25519.publicKeyOf(a.privateKey()));
        assertArrayEquals(X25519.agree(a.privateKey(), b.publicKey()), X25519.agree(b.privateKey(), a.publicKey()));
    }

    @Test
    void smallOrderPeerKeysAreRefused() {
        byte[] privateKey = bytes(ALICE_PRIVATE);
        byte[] zero = new byte[32];
        byte[] one = new byte[32];
        one[0] = 1;
        CryptoException e = assertThrows(CryptoException.class, () -> X25519.agree(privateKey, zero));
        assertEquals(true, e.getMessage().contains("all-zero"), e.getMessage());
        assertThrows(CryptoException.class, () -> X25519.agree(privateKey, one));
    }

    @Test
    void malformedKeysAreRejected() {
        assertThrows(CryptoException.class, () -> X25519.agree(new byte[32], new byte[31]));
        assertThrows(CryptoException.class, () -> X25519.agree(null, bytes(BOB_PUBLIC)));
        assertThrows(CryptoException.class, () -> X25519.publicKeyOf(new byte[64]));
    }
}
