package dev.switchboard.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class MessageEnvelopeTest {

    private static final String ALICE = "+390612345";
    private static final String BOB = "+14155550100";
    private static final byte[] PAYLOAD = "{\"text\":\"ciao Bob\"}".getBytes(UTF_8);

    private final MessageSealer sealer = new MessageSealer();
    private final MessageOpener opener = new MessageOpener();

    /** A device with its identity and encryption keys, as the tests need them. */
    private record Device(String number, String id, RawKeyPair identity, RawKeyPair encryption) {

        static Device create(String number, String id) {
            return new Device(number, id, Ed25519.generate(), X25519.generate());
        }

        Recipient asRecipient() {
            return new Recipient(number, id, id + "-key-1", encryption.publicKey());
        }
    }

    private final Device alicePhone = Device.create(ALICE, "alice-phone");
    private final MessageHeader header = MessageHeader.of("msg-42", ALICE, alicePhone.id(), BOB,
            1_767_225_600_000L, 7, 3);

    private static List<Device> devices(String number, String prefix, int count) {
        List<Device> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(Device.create(number, prefix + i));
        }
        return out;
    }

    private SealedMessage sealTo(List<Device> targets) {
        return sealer.seal(header, alicePhone.identity().privateKey(),
                targets.stream().map(Device::asRecipient).toList(), PAYLOAD);
    }

    private Opened openAs(Device device, Received received) {
        return opener.open(received, device.id(), device.encryption().privateKey(),
                alicePhone.identity().publicKey());
    }

    private static Received with(Received r, byte[] header, byte[] ciphertext, byte[] signature, byte[] wrapped,
            List<String> targets) {
        return new Received(header == null ? r.header() : header, ciphertext == null ? r.ciphertext() : ciphertext,
                r.keyCommitment(), signature == null ? r.signature() : signature,
                wrapped == null ? r.wrappedKey() : wrapped, targets == null ? r.targetDeviceIds() : targets);
    }

    private static Received withCommitment(Received r, byte[] keyCommitment) {
        return new Received(r.header(), r.ciphertext(), keyCommitment, r.signature(), r.wrappedKey(),
                r.targetDeviceIds());
    }

    private static byte[] flip(byte[] value, int index) {
        byte[] out = value.clone();
        out[index] ^= 0x01;
        return out;
    }

    private static void assertFailsWith(String message, Executable executable) {
        CryptoException e = assertThrows(CryptoException.class, executable);
        assertTrue(e.getMessage().contains(message), "expected \"" + message + "\", got \"" + e.getMessage() + "\"");
    }

    private static void assertFailsWith(String message, Executable executable, Supplier<String> context) {
        CryptoException e = assertThrows(CryptoException.class, executable, context);
        assertTrue(e.getMessage().contains(message),
                context.get() + ": expected \"" + message + "\", got \"" + e.getMessage() + "\"");
    }

    @Test
    void theSingleTargetDeviceOpensTheMessage() {
        Device bobPhone = Device.create(BOB, "bob-phone");
        SealedMessage sealed = sealTo(List.of(bobPhone));

        Opened opened = openAs(bobPhone, sealed.receivedBy(bobPhone.id()));
        assertArrayEquals(PAYLOAD, opened.plaintext());
        assertEquals(header, opened.header());
    }

    @Test
    void everyOneOfSevenTargetDevicesOpensTheMessage() {
        List<Device> targets = new ArrayList<>(devices(BOB, "bob-", 4));
        targets.addAll(devices(ALICE, "alice-companion-", 3));
        SealedMessage sealed = sealTo(targets);

        assertEquals(7, sealed.keys().size());
        Set<String> distinctWraps = new HashSet<>();
        for (Device target : targets) {
            Opened opened = openAs(target, sealed.receivedBy(target.id()));
            assertArrayEquals(PAYLOAD, opened.plaintext(), target.id());
            assertEquals(header, opened.header(), target.id());
            distinctWraps.add(Arrays.toString(sealed.receivedBy(target.id()).wrappedKey()));
        }
        assertEquals(7, distinctWraps.size(), "each device gets its own wrapped key");
    }

    @Test
    void sealedMessageCarriesOneWrappedKeyPerTargetWithItsKeyIdAndASignatureOverTheSortedTargets() {
        List<Device> targets = List.of(Device.create(BOB, "z-bob"), Device.create(BOB, "a-bob"),
                Device.create(ALICE, "m-alice"));
        SealedMessage sealed = sealTo(targets);

        assertArrayEquals(header.encode(), sealed.header());
        assertEquals(List.of("z-bob", "a-bob", "m-alice"), sealed.targetDeviceIds());
        for (int i = 0; i < targets.size(); i++) {
            WrappedKey key = sealed.keys().get(i);
            assertEquals(targets.get(i).number(), key.number());
            assertEquals(targets.get(i).id(), key.deviceId());
            assertEquals(targets.get(i).id() + "-key-1", key.encryptionKeyId());
            assertEquals(80, key.wrapped().length, "enc (32) || HPKE ciphertext of CK (32 + 16)");
        }
        assertEquals(32, sealed.keyCommitment().length);
        for (Device target : targets) {
            assertArrayEquals(sealed.keyCommitment(), sealed.receivedBy(target.id()).keyCommitment(),
                    "one commitment for every target");
        }
        byte[] statement = Canonical.messageStatement(sealed.header(), Wire.sha256(sealed.ciphertext()),
                sealed.keyCommitment(), List.of("a-bob", "m-alice", "z-bob"));
        assertTrue(Ed25519.verify(alicePhone.identity().publicKey(), statement, sealed.signature()));
        assertEquals(12 + PAYLOAD.length + 16, sealed.ciphertext().length, "payload encrypted once");
    }

    @Test
    void aDeviceThatIsNotATargetCannotOpen() {
        Device bobPhone = Device.create(BOB, "bob-phone");
        Device outsider = Device.create(BOB, "bob-laptop");
        SealedMessage sealed = sealTo(List.of(bobPhone));

        assertThrows(CryptoException.class, () -> sealed.receivedBy(outsider.id()));
        assertFailsWith("not among the message's target devices",
                () -> openAs(outsider, sealed.receivedBy(bobPhone.id())));
        assertFailsWith("this device's wrapped key does not open",
                () -> opener.open(sealed.receivedBy(bobPhone.id()), bobPhone.id(),
                        outsider.encryption().privateKey(), alicePhone.identity().publicKey()),
                () -> "outsider posing as a target with its own private key");
    }

    @Test
    void aWrappedKeyOpenedByTheWrongDeviceFails() {
        Device bobPhone = Device.create(BOB, "bob-phone");
        Device bobLaptop = Device.create(BOB, "bob-laptop");
        SealedMessage sealed = sealTo(List.of(bobPhone, bobLaptop));
        Received forPhone = sealed.receivedBy(bobPhone.id());

        assertFailsWith("this device's wrapped key does not open", () -> openAs(bobLaptop, forPhone));
        // The right private key but another device's id: the HPKE info binds the target device id.
        assertFailsWith("this device's wrapped key does not open",
                () -> opener.open(forPhone, bobLaptop.id(), bobPhone.encryption().privateKey(),
                        alicePhone.identity().publicKey()));
    }

    @Test
    void aTamperedHeaderIsDetectedByTheSignature() {
        Device bobPhone = Device.create(BOB, "bob-phone");
        Received received = sealTo(List.of(bobPhone)).receivedBy(bobPhone.id());
        for (int i = 0; i < received.header().length; i++) {
            Received tampered = with(received, flip(received.header(), i), null, null, null, null);
            int index = i;
            assertFailsWith("sender signature does not verify", () -> openAs(bobPhone, tampered),
                    () -> "header byte " + index);
        }
    }

    @Test
    void aTamperedCiphertextIsDetectedByTheSignature() {
        Device bobPhone = Device.create(BOB, "bob-phone");
        Received received = sealTo(List.of(bobPhone)).receivedBy(bobPhone.id());
        for (int i = 0; i < received.ciphertext().length; i++) {
            Received tampered = with(received, null, flip(received.ciphertext(), i), null, null, null);
            int index = i;
            assertFailsWith("sender signature does not verify", () -> openAs(bobPhone, tampered),
                    () -> "ciphertext byte " + index);
        }
        byte[] truncated = Arrays.copyOf(received.ciphertext(), received.ciphertext().length - 1);
        assertFailsWith("sender signature does not verify",
                () -> openAs(bobPhone, with(received, null, truncated, null, null, null)));
    }

    @Test
    void aTamperedSignatureIsRejected() {
        Device bobPhone = Device.create(BOB, "bob-phone");
        Received received = sealTo(List.of(bobPhone)).receivedBy(bobPhone.id());
        for (int i = 0; i < received.signature().length; i++) {
            Received tampered = with(received, null, null, flip(received.signature(), i), null, null);
            int index = i;
            assertFailsWith("sender signature does not verify", () -> openAs(bobPhone, tampered),
                    () -> "signature byte " + index);
        }
        assertFailsWith("sender signature does not verify",
                () -> openAs(bobPhone, with(received, null, null, new byte[0], null, null)));
    }

    @Test
    void aTamperedKeyCommitmentIsDetectedByTheSignature() {
        Device bobPhone = Device.create(BOB, "bob-phone");
        Received received = sealTo(List.of(bobPhone)).receivedBy(bobPhone.id());
        for (int i = 0; i < received.keyCommitment().length; i++) {
            Received tampered = withCommitment(received, flip(received.keyCommitment(), i));
            int index = i;
            assertFailsWith("sender signature does not verify", () -> openAs(bobPhone, tampered),
                    () -> "key commitment byte " + index);
        }
        assertThrows(CryptoException.class, () -> withCommitment(received, new byte[31]), "short commitment");
        assertThrows(CryptoException.class, () -> withCommitment(received, null), "no commitment");
    }

    /**
     * The invisible-salamanders attack: a malicious sender signs one ciphertext but wraps a different
     * content key to one target. AES-GCM does not commit to its key, so (with a ciphertext crafted to
     * decrypt under both keys) that target could read a different plaintext from everyone else under
     * a valid signature. The signed key commitment catches it before the payload is decrypted.
     */
    @Test
    void aSenderWhoWrapsADifferentContentKeyForOneTargetIsCaughtByTheCommitment() {
        Device bobPhone = Device.create(BOB, "bob-phone");
        Device bobLaptop = Device.create(BOB, "bob-laptop");
        byte[] headerBytes = header.encode();
        byte[] contentKey = ContentCipher.newKey();
        byte[] otherKey = ContentCipher.newKey();
        byte[] ciphertext = ContentCipher.encrypt(contentKey, PAYLOAD, headerBytes);
        byte[] commitment = Canonical.keyCommitment(contentKey);

        Hpke hpke = new Hpke(Hpke.Aead.AES_128_GCM);
        List<WrappedKey> keys = new ArrayList<>();
        for (Device target : List.of(bobPhone, bobLaptop)) {
            byte[] wrappedKey = target == bobLaptop ? otherKey : contentKey;
            Hpke.Sealed sealed = hpke.seal(target.encryption().publicKey(),
                    Canonical.messageInfo(alicePhone.id(), target.id()), headerBytes, wrappedKey);
            keys.add(new WrappedKey(target.number(), target.id(), target.id() + "-key-1",
                    Bytes.concat(sealed.enc(), sealed.ciphertext())));
        }
        byte[] statement = Canonical.messageStatement(headerBytes, Wire.sha256(ciphertext), commitment,
                List.of(bobPhone.id(), bobLaptop.id()));
        byte[] signature = Ed25519.sign(alicePhone.identity().privateKey(), statement);
        SealedMessage malicious = new SealedMessage(headerBytes, ciphertext, commitment, signature, keys);

        assertTrue(Ed25519.verify(alicePhone.identity().publicKey(), statement, malicious.signature()),
                "the sender's signature is genuine");
        assertArrayEquals(PAYLOAD, openAs(bobPhone, malicious.receivedBy(bobPhone.id())).plaintext(),
                "the target given the committed key opens the message");
        assertFailsWith("the content key does not match the signed commitment",
                () -> openAs(bobLaptop, malicious.receivedBy(bobLaptop.id())));

        // Committing to the other key instead only moves the failure to the other target.
        byte[] otherCommitment = Canonical.keyCommitment(otherKey);
        byte[] otherSignature = Ed25519.sign(alicePhone.identity().privateKey(), Canonical.messageStatement(
                headerBytes, Wire.sha256(ciphertext), otherCommitment, List.of(bobPhone.id(), bobLaptop.id())));
        SealedMessage recommitted = new SealedMessage(headerBytes, ciphertext, otherCommitment, otherSignature, keys);
        assertFailsWith("the content key does not match the signed commitment",
                () -> openAs(bobPhone, recommitted.receivedBy(bobPhone.id())));
    }

    @Test
    void aTamperedWrappedKeyDoesNotOpen() {
        Device bobPhone = Device.create(BOB, "bob-phone");
        Received received = sealTo(List.of(bobPhone)).receivedBy(bobPhone.id());
        for (int i = 0; i < received.wrappedKey().length; i++) {
            Received tampered = with(received, null, null, null, flip(received.wrappedKey(), i), null);
            int index = i;
            assertFailsWith("this device's wrapped key does not open", () -> openAs(bobPhone, tampered),
                    () -> "wrapped key byte " + index);
        }
        byte[] truncated = Arrays.copyOf(received.wrappedKey(), 79);
        assertFailsWith("this device's wrapped key does not open",
                () -> openAs(bobPhone, with(received, null, null, null, truncated, null)));
    }

    @Test
    void aTamperedTargetListIsDetectedByTheSignature() {
        Device bobPhone = Device.create(BOB, "bob-phone");
        Device bobLaptop = Device.create(BOB, "bob-laptop");
        Received received = sealTo(List.of(bobPhone, bobLaptop)).receivedBy(bobPhone.id());

        for (List<String> forged : List.of(List.of("bob-phone"), List.of("bob-phone", "bob-laptop", "bob-tablet"),
                List.of("bob-phone", "bob-tablet"))) {
            assertFailsWith("sender signature does not verify",
                    () -> openAs(bobPhone, with(received, null, null, null, null, forged)), forged::toString);
        }
        assertThrows(CryptoException.class,
                () -> openAs(bobPhone, with(received, null, null, null, null,
                        List.of("bob-phone", "bob-laptop", "bob-laptop"))), "a duplicated target id");
    }

    @Test
    void theOrderOfTheTargetListDoesNotMatter() {
        Device bobPhone = Device.create(BOB, "bob-phone");
        Device bobLaptop = Device.create(BOB, "bob-laptop");
        Received received = sealTo(List.of(bobPhone, bobLaptop)).receivedBy(bobPhone.id());
        Received reordered = with(received, null, null, null, null, List.of("bob-laptop", "bob-phone"));
        assertArrayEquals(PAYLOAD, openAs(bobPhone, reordered).plaintext());
    }

    @Test
    void aSignatureByAnotherIdentityKeyFails() {
        Device bobPhone = Device.create(BOB, "bob-phone");
        RawKeyPair impostor = Ed25519.generate();
        SealedMessage forged = sealer.seal(header, impostor.privateKey(), List.of(bobPhone.asRecipient()), PAYLOAD);

        assertFailsWith("sender signature does not verify", () -> openAs(bobPhone, forged.receivedBy(bobPhone.id())));

        SealedMessage genuine = sealTo(List.of(bobPhone));
        assertFailsWith("sender signature does not verify",
                () -> opener.open(genuine.receivedBy(bobPhone.id()), bobPhone.id(),
                        bobPhone.encryption().privateKey(), impostor.publicKey()),
                () -> "verified with the wrong sender key");
    }

    @Test
    void theSignatureIsCheckedBeforeAnythingElse() {
        Device bobPhone = Device.create(BOB, "bob-phone");
        Device outsider = Device.create(BOB, "bob-laptop");
        Received received = sealTo(List.of(bobPhone)).receivedBy(bobPhone.id());
        Received badSignature = with(received, null, null, flip(received.signature(), 0), new byte[80], null);

        assertFailsWith("sender signature does not verify", () -> openAs(bobPhone, badSignature));
        assertFailsWith("sender signature does not verify", () -> openAs(outsider, badSignature));
        Received garbageHeader = with(received, new byte[] {1, 2, 3}, null, null, null, null);
        assertFailsWith("sender signature does not verify", () -> openAs(bobPhone, garbageHeader));
    }

    @Test
    void sealRefusesAnEmptyTargetListAndDuplicateDeviceIds() {
        Device bobPhone = Device.create(BOB, "bob-phone");
        byte[] identity = alicePhone.identity().privateKey();
        assertFailsWith("at least one target device", () -> sealer.seal(header, identity, List.of(), PAYLOAD));
        assertFailsWith("at least one target device", () -> sealer.seal(header, identity, null, PAYLOAD));
        Recipient again = new Recipient(BOB, bobPhone.id(), "other-key", X25519.generate().publicKey());
        assertFailsWith("listed twice",
                () -> sealer.seal(header, identity, List.of(bobPhone.asRecipient(), again), PAYLOAD));
    }

    @Test
    void sealRefusesMissingOrMalformedInputs() {
        Recipient bob = Device.create(BOB, "bob-phone").asRecipient();
        byte[] identity = alicePhone.identity().privateKey();
        assertThrows(CryptoException.class, () -> sealer.seal(null, identity, List.of(bob), PAYLOAD));
        assertThrows(CryptoException.class, () -> sealer.seal(header, new byte[31], List.of(bob), PAYLOAD));
        assertThrows(CryptoException.class, () -> sealer.seal(header, identity, List.of(bob), null));
        assertThrows(CryptoException.class, () -> new Recipient(BOB, "d", "k", new byte[31]));
        assertThrows(CryptoException.class, () -> new WrappedKey(BOB, "d", "k", new byte[79]));
    }

    @Test
    void anEmptyPayloadRoundTrips() {
        Device bobPhone = Device.create(BOB, "bob-phone");
        SealedMessage sealed = sealer.seal(header, alicePhone.identity().privateKey(),
                List.of(bobPhone.asRecipient()), new byte[0]);
        assertArrayEquals(new byte[0], openAs(bobPhone, sealed.receivedBy(bobPhone.id())).plaintext());
    }

    @Test
    void recordsCopyTheirArrays() {
        Device bobPhone = Device.create(BOB, "bob-phone");
        SealedMessage sealed = sealTo(List.of(bobPhone));
        sealed.header()[0] ^= 1;
        sealed.ciphertext()[0] ^= 1;
        sealed.keyCommitment()[0] ^= 1;
        sealed.receivedBy(bobPhone.id()).keyCommitment()[0] ^= 1;
        sealed.keys().get(0).wrapped()[0] ^= 1;
        assertArrayEquals(PAYLOAD, openAs(bobPhone, sealed.receivedBy(bobPhone.id())).plaintext());

        byte[] key = X25519.generate().publicKey();
        Recipient recipient = new Recipient(BOB, "d", "k", key);
        key[0] ^= 1;
        assertFalse(Arrays.equals(key, recipient.encryptionKey()));
    }
}
