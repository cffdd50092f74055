package dev.switchboard.crypto;

import static dev.switchboard.crypto.Hex.bytes;
import static dev.switchboard.crypto.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The encodings byte for byte (golden values below were computed by an independent script from
 * the layout in {@link Canonical}'s documentation), their order independence and their
 * unambiguity.
 */
class CanonicalTest {

    private static final byte[] K11 = filled(0x11);
    private static final byte[] K22 = filled(0x22);
    private static final byte[] K33 = filled(0x33);
    private static final byte[] K44 = filled(0x44);
    private static final ListedDevice PHONE = new ListedDevice("phone-1", K11, K22, "primary");
    private static final ListedDevice LAPTOP = new ListedDevice("laptop-2", K33, K44, "companion");

    @Test
    void encryptionKeyStatementLayout() {
        assertEquals(hex("sb.enc.v1".getBytes(StandardCharsets.US_ASCII)) + "00000020" + hex(K11),
                hex(Canonical.encryptionKeyStatement(K11)));
    }

    @Test
    void deviceSignatureStatementLayout() {
        assertEquals(hex("sb.devsig.v1".getBytes(StandardCharsets.US_ASCII))
                        + "00000020" + hex(K11) + "00000020" + hex(K22) + "00000020" + hex(K33),
                hex(Canonical.deviceSignatureStatement(K11, K22, K33)));
    }

    @Test
    void messageInfoLayoutAndUnambiguity() {
        assertEquals(hex("sb.msg.v1".getBytes(StandardCharsets.US_ASCII)) + "00000001" + "61" + "00000002" + "6263",
                hex(Canonical.messageInfo("a", "bc")));
        assertFalse(Arrays.equals(Canonical.messageInfo("ab", "c"), Canonical.messageInfo("a", "bc")));
        assertFalse(Arrays.equals(Canonical.messageInfo("a", "b"), Canonical.messageInfo("b", "a")), "direction");
    }

    @Test
    void deviceListGoldenValue() {
        String expected = "73622e6465766c6973742e76310000000d2b33393036313233343536373800000000000000070000019b76daa800"
                + "000000086c6170746f702d32"
                + "000000203333333333333333333333333333333333333333333333333333333333333333"
                + "000000204444444444444444444444444444444444444444444444444444444444444444"
                + "00000009636f6d70616e696f6e"
                + "0000000770686f6e652d31"
                + "000000201111111111111111111111111111111111111111111111111111111111111111"
                + "000000202222222222222222222222222222222222222222222222222222222222222222"
                + "000000077072696d617279";
        assertEquals(expected, hex(Canonical.deviceList("+390612345678", 7, 1_767_225_600_000L,
                List.of(PHONE, LAPTOP))));
    }

    @Test
    void deviceListDoesNotDependOnTheOrderGiven() {
        ListedDevice tablet = new ListedDevice("tablet-3", K22, K33, "companion");
        List<ListedDevice> devices = new ArrayList<>(List.of(PHONE, LAPTOP, tablet));
        byte[] reference = Canonical.deviceList("+1415", 3, 99, devices);
        for (int i = 0; i < 6; i++) {
            Collections.rotate(devices, 1);
            if (i == 3) {
                Collections.reverse(devices);
            }
            assertArrayEquals(reference, Canonical.deviceList("+1415", 3, 99, devices), devices.toString());
        }
    }

    @Test
    void deviceListBindsEveryField() {
        byte[] reference = Canonical.deviceList("+1415", 3, 99, List.of(PHONE, LAPTOP));
        List<byte[]> variants = List.of(
                Canonical.deviceList("+1416", 3, 99, List.of(PHONE, LAPTOP)),
                Canonical.deviceList("+1415", 4, 99, List.of(PHONE, LAPTOP)),
                Canonical.deviceList("+1415", 3, 100, List.of(PHONE, LAPTOP)),
                Canonical.deviceList("+1415", 3, 99, List.of(PHONE)),
                Canonical.deviceList("+1415", 3, 99, List.of(PHONE, new ListedDevice("laptop-2", K33, K11, "companion"))),
                Canonical.deviceList("+1415", 3, 99, List.of(PHONE, new ListedDevice("laptop-2", K11, K44, "companion"))),
                Canonical.deviceList("+1415", 3, 99, List.of(PHONE, new ListedDevice("laptop-2", K33, K44, "primary"))));
        for (byte[] variant : variants) {
            assertFalse(Arrays.equals(reference, variant));
        }
        // A shifted boundary between id and kind does not collide either.
        assertFalse(Arrays.equals(
                Canonical.deviceList("+1", 1, 1, List.of(new ListedDevice("ab", K11, K22, "c"))),
                Canonical.deviceList("+1", 1, 1, List.of(new ListedDevice("a", K11, K22, "bc")))));
    }

    @Test
    void devicesAreSortedByTheirUtf8BytesNotByUtf16() {
        // U+E000 is EE 80 80 in UTF-8; U+1F600 is F0 9F 98 80 but D83D DE00 in UTF-16, where it sorts first.
        ListedDevice privateUse = new ListedDevice("\uE000", K11, K22, "companion");
        ListedDevice emoji = new ListedDevice("\uD83D\uDE00", K33, K44, "companion");
        byte[] encoded = Canonical.deviceList("+1", 1, 1, List.of(emoji, privateUse));
        String hex = hex(encoded);
        int privateUseAt = hex.indexOf("00000003ee8080");
        int emojiAt = hex.indexOf("00000004f09f9880");
        assertEquals(true, privateUseAt > 0 && emojiAt > privateUseAt, hex);
    }

    /*
     * Golden values for the v2 message statement and the key commitment, computed outside Java by
     * this Python 3 script (stdlib only; its HKDF reproduces RFC 5869 A.3, and with the commitment
     * field and "v2" removed it reproduces the former v1 golden value byte for byte):
     *
     *   import hashlib, hmac, struct
     *   def hkdf(salt, ikm, info, length):
     *       prk = hmac.new(salt or bytes(32), ikm, hashlib.sha256).digest()
     *       out, t, i = b"", b"", 1
     *       while len(out) < length:
     *           t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest(); out += t; i += 1
     *       return out[:length]
     *   def b(x): return struct.pack(">I", len(x)) + x
     *   commit = hkdf(b"", bytes([0x11]) * 32, b"sb.ck.commit.v1", 32)
     *   digest = hashlib.sha256(b"ciphertext").digest()
     *   ids = sorted(["phone-1", "laptop-2", "tablet-3"], key=lambda s: s.encode())
     *   print(commit.hex())
     *   print((b"sb.msgsig.v2" + b(b"header") + b(digest) + b(commit)
     *          + b"".join(b(i.encode()) for i in ids)).hex())
     *
     * Field by field: tag "sb.msgsig.v2" (73622e6d73677369672e7632, no length), bytes("header"),
     * bytes(SHA-256("ciphertext")), bytes(commitment of CK = 0x11 * 32), then the sorted ids.
     */
    private static final String COMMITMENT_OF_K11 = "52ce66834d74762a18d6e22eddda8830106385c884f470e2697222bc72dbe0ac";

    @Test
    void keyCommitmentGoldenValue() {
        assertEquals(COMMITMENT_OF_K11, hex(Canonical.keyCommitment(K11)));
        assertArrayEquals(Hkdf.derive(new byte[0], K11, "sb.ck.commit.v1".getBytes(StandardCharsets.US_ASCII), 32),
                Canonical.keyCommitment(K11));
        assertFalse(Arrays.equals(Canonical.keyCommitment(K11), Canonical.keyCommitment(K22)));
        assertThrows(CryptoException.class, () -> Canonical.keyCommitment(new byte[31]));
        assertThrows(CryptoException.class, () -> Canonical.keyCommitment(null));
    }

    @Test
    void messageStatementGoldenValueAndOrderIndependence() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("ciphertext".getBytes(StandardCharsets.UTF_8));
        byte[] commitment = bytes(COMMITMENT_OF_K11);
        String expected = "73622e6d73677369672e7632" + "00000006" + "686561646572"
                + "00000020305531dcc50ebca31cf1d5b31e9fc76ed51f66b3b6dd5a030c6539ae6532f979"
                + "00000020" + COMMITMENT_OF_K11
                + "000000086c6170746f702d32" + "0000000770686f6e652d31" + "000000087461626c65742d33";
        byte[] header = "header".getBytes(StandardCharsets.UTF_8);
        assertEquals(expected, hex(Canonical.messageStatement(header, digest, commitment,
                List.of("phone-1", "laptop-2", "tablet-3"))));
        assertEquals(expected, hex(Canonical.messageStatement(header, digest, commitment,
                List.of("tablet-3", "phone-1", "laptop-2"))));
        assertFalse(Arrays.equals(bytes(expected), Canonical.messageStatement(header, digest, commitment,
                List.of("phone-1", "laptop-2"))));
        assertFalse(Arrays.equals(bytes(expected), Canonical.messageStatement(header, digest,
                Canonical.keyCommitment(K22), List.of("phone-1", "laptop-2", "tablet-3"))), "binds the commitment");
        assertFalse(Arrays.equals(
                Canonical.messageStatement("ab".getBytes(StandardCharsets.UTF_8), digest, commitment, List.of("c")),
                Canonical.messageStatement("a".getBytes(StandardCharsets.UTF_8), digest, commitment, List.of("bc"))));
    }

    @Test
    void accountSignatureStatementLayout() {
        assertEquals(hex("sb.acctsig.v1".getBytes(StandardCharsets.US_ASCII))
                        + "00000003" + hex("+39".getBytes(StandardCharsets.US_ASCII))
                        + "00000005" + hex("dev_1".getBytes(StandardCharsets.US_ASCII))
                        + "00000020" + hex(K11) + "00000020" + hex(K22),
                hex(Canonical.accountSignatureStatement("+39", "dev_1", K11, K22)));
    }

    @Test
    void accountSignatureStatementBindsNumberDeviceAndBothKeys() {
        byte[] base = Canonical.accountSignatureStatement("+39", "dev_1", K11, K22);
        assertFalse(Arrays.equals(base, Canonical.accountSignatureStatement("+38", "dev_1", K11, K22)));
        assertFalse(Arrays.equals(base, Canonical.accountSignatureStatement("+39", "dev_2", K11, K22)));
        assertFalse(Arrays.equals(base, Canonical.accountSignatureStatement("+39", "dev_1", K33, K22)));
        assertFalse(Arrays.equals(base, Canonical.accountSignatureStatement("+39", "dev_1", K11, K33)));
        assertFalse(Arrays.equals(Canonical.accountSignatureStatement("+39d", "ev_1", K11, K22), base), "lengths delimit fields");
    }

    @Test
    void provisioningInfoLayout() {
        assertEquals(hex("sb.prov.v1".getBytes(StandardCharsets.US_ASCII)) + "00000007"
                        + hex("lnk_abc".getBytes(StandardCharsets.US_ASCII)),
                hex(Canonical.provisioningInfo("lnk_abc")));
    }

    @Test
    void aProvisioningMessageOpensOnlyForItsLinkAndWithItsLinkingSecret() {
        RawKeyPair ephemeral = X25519.generate();
        byte[] secret = filled(0x5a);
        byte[] pskId = Canonical.LINK_PSK_ID.getBytes(StandardCharsets.US_ASCII);
        Hpke hpke = new Hpke();
        Hpke.Sealed sealed = hpke.sealPsk(ephemeral.publicKey(), Canonical.provisioningInfo("lnk_1"), new byte[0],
                "payload".getBytes(StandardCharsets.UTF_8), secret, pskId);
        assertEquals("payload", new String(hpke.openPsk(ephemeral.privateKey(), sealed.enc(), Canonical.provisioningInfo("lnk_1"),
                new byte[0], sealed.ciphertext(), secret, pskId), StandardCharsets.UTF_8));
        assertThrows(CryptoException.class, () -> hpke.openPsk(ephemeral.privateKey(), sealed.enc(),
                Canonical.provisioningInfo("lnk_2"), new byte[0], sealed.ciphertext(), secret, pskId), "another link");
        assertThrows(CryptoException.class, () -> hpke.openPsk(ephemeral.privateKey(), sealed.enc(),
                Canonical.provisioningInfo("lnk_1"), new byte[0], sealed.ciphertext(), filled(0x5b), pskId), "another secret");
    }

    @Test
    void statementsOfDifferentKindsNeverCoincide() {
        byte[] enc = Canonical.encryptionKeyStatement(K11);
        byte[] devsig = Canonical.deviceSignatureStatement(K11, K11, K11);
        byte[] info = Canonical.messageInfo("x", "y");
        byte[] acct = Canonical.accountSignatureStatement("x", "y", K11, K11);
        byte[] prov = Canonical.provisioningInfo("x");
        assertFalse(Arrays.equals(Arrays.copyOf(acct, 13), Arrays.copyOf(devsig, 13)));
        assertFalse(Arrays.equals(Arrays.copyOf(prov, 10), Arrays.copyOf(info, 10)));
        assertFalse(Arrays.equals(Arrays.copyOf(enc, 9), Arrays.copyOf(devsig, 9)));
        assertFalse(Arrays.equals(Arrays.copyOf(enc, 9), Arrays.copyOf(info, 9)));
    }

    @Test
    void malformedInputIsRejected() {
        assertThrows(CryptoException.class, () -> Canonical.encryptionKeyStatement(new byte[31]));
        assertThrows(CryptoException.class, () -> Canonical.deviceSignatureStatement(K11, K22, null));
        assertThrows(CryptoException.class, () -> Canonical.accountSignatureStatement("+1", "", K11, K22), "no device id");
        assertThrows(CryptoException.class, () -> Canonical.accountSignatureStatement("+1", "d", K11, new byte[31]));
        assertThrows(CryptoException.class, () -> Canonical.provisioningInfo(""), "no link id");
        assertThrows(CryptoException.class, () -> Canonical.deviceList("+1", 1, 1, List.of(PHONE, PHONE)), "duplicate");
        assertThrows(CryptoException.class, () -> Canonical.deviceList("+1", 1, 1, List.of()), "no devices");
        assertThrows(CryptoException.class, () -> Canonical.deviceList("+1", -1, 1, List.of(PHONE)), "negative version");
        assertThrows(CryptoException.class, () -> Canonical.deviceList("", 1, 1, List.of(PHONE)), "no number");
        assertThrows(CryptoException.class, () -> Canonical.deviceList("+1", 1, 1, List.of(
                new ListedDevice("\uD800", K11, K22, "primary"))), "unpaired surrogate");
        assertThrows(CryptoException.class, () -> new ListedDevice("d", new byte[31], K22, "primary"));
        assertThrows(CryptoException.class, () -> new ListedDevice("d", K11, K22, ""));
        byte[] c = new byte[32];
        assertThrows(CryptoException.class, () -> Canonical.messageStatement(new byte[0], new byte[31], c, List.of("a")));
        assertThrows(CryptoException.class,
                () -> Canonical.messageStatement(new byte[0], new byte[32], new byte[31], List.of("a")), "short commitment");
        assertThrows(CryptoException.class,
                () -> Canonical.messageStatement(new byte[0], new byte[32], null, List.of("a")), "no commitment");
        assertThrows(CryptoException.class, () -> Canonical.messageStatement(new byte[0], new byte[32], c, List.of()));
        assertThrows(CryptoException.class,
                () -> Canonical.messageStatement(new byte[0], new byte[32], c, List.of("a", "a")));
        assertThrows(CryptoException.class, () -> Canonical.messageInfo("a", ""));
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
