package dev.switchboard.gateway.web;

import static dev.switchboard.gateway.web.CorePage.bytes;
import static dev.switchboard.gateway.web.CorePage.hex;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.crypto.AttachmentCipher;
import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.CryptoException;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.crypto.Hpke;
import dev.switchboard.crypto.ListedDevice;
import dev.switchboard.crypto.MessageHeader;
import dev.switchboard.crypto.MessageOpener;
import dev.switchboard.crypto.MessageSealer;
import dev.switchboard.crypto.Opened;
import dev.switchboard.crypto.RawKeyPair;
import dev.switchboard.crypto.Received;
import dev.switchboard.crypto.Recipient;
import dev.switchboard.crypto.SealedMessage;
import dev.switchboard.crypto.SecurityCode;
import dev.switchboard.crypto.X25519;
import dev.switchboard.gateway.support.TestGateway;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web inbox's core modules, loaded from the running gateway into Chromium, against the Java
 * crypto module byte for byte (and against the RFC 9180 vectors): what one side seals the other
 * opens, what one side encodes the other encodes identically, what one side refuses the other
 * refuses.
 */
class WebCryptoInteropTest {

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static CorePage page;

    @BeforeAll
    static void openPage() {
        page = CorePage.open(gw);
    }

    @AfterAll
    static void closePage() {
        if (page != null) {
            page.close();
        }
    }

    private static final String IMPORTS = """
            const prim = await import('/js/core/prim.js');
            const {hex, toHex} = prim;
            const canonical = await import('/js/core/canonical.js');
            const header = await import('/js/core/header.js');
            const hpke = await import('/js/core/hpke.js');
            const message = await import('/js/core/message.js');
            const attachments = await import('/js/core/attachments.js');
            const b64 = await import('/js/core/b64.js');
            const utf8 = s => new TextEncoder().encode(s);
            """;

    // RFC 9180 appendix A.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM), sequence number 0.
    private static final String INFO = "4f6465206f6e2061204772656369616e2055726e";
    private static final String PT = "4265617574792069732074727574682c20747275746820626561757479";
    private static final String AAD_0 = "436f756e742d30";

    @Test
    void rfc9180BaseAndPskVectorsSealAndOpenInTheBrowser() {
        Map<String, Object> out = page.map(IMPORTS + """
                const [info, pt, aad] = [hex(args[0]), hex(args[1]), hex(args[2])];
                const base = await hpke.sealWithEphemeral(
                    hex('52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736'),
                    hex('3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d'), info, aad, pt);
                const baseOpened = await hpke.open(
                    hex('4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8'), base.enc, info, aad, base.ciphertext);
                const psk = hex('0247fd33b913760fa1fa51e1892d9f307fbe65eb171e8132c2af18555a738b82');
                const pskId = hex('456e6e796e20447572696e206172616e204d6f726961');
                const sealedPsk = await hpke.sealPskWithEphemeral(
                    hex('463426a9ffb42bb17dbe6044b9abd1d4e4d95f9041cef0e99d7824eef2b6f588'),
                    hex('9fed7e8c17387560e92cc6462a68049657246a09bfa8ade7aefe589672016366'), info, aad, pt, psk, pskId);
                const pskOpened = await hpke.openPsk(
                    hex('c5eb01eb457fe6c6f57577c5413b931550a162c71a03ac8d196babbd4e5ce0fd'), sealedPsk.enc, info, aad,
                    sealedPsk.ciphertext, psk, pskId);
                let wrongPsk = 'opened';
                try {
                  await hpke.openPsk(hex('c5eb01eb457fe6c6f57577c5413b931550a162c71a03ac8d196babbd4e5ce0fd'), sealedPsk.enc,
                      info, aad, sealedPsk.ciphertext, new Uint8Array(32), pskId);
                } catch (e) { wrongPsk = 'refused'; }
                return {baseEnc: toHex(base.enc), baseCt: toHex(base.ciphertext), baseOpened: toHex(baseOpened),
                        pskEnc: toHex(sealedPsk.enc), pskCt: toHex(sealedPsk.ciphertext), pskOpened: toHex(pskOpened), wrongPsk};
                """, INFO, PT, AAD_0);
        assertEquals("37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431", out.get("baseEnc"), "A.1.1 enc");
        assertEquals("f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a",
                out.get("baseCt"), "A.1.1 ct");
        assertEquals(PT, out.get("baseOpened"));
        assertEquals("0ad0950d9fb9588e59690b74f1237ecdf1d775cd60be2eca57af5a4b0471c91b", out.get("pskEnc"), "A.1.2 enc");
        assertEquals("e52c6fed7f758d0cf7145689f21bc1be6ec9ea097fef4e959440012f4feb73fb611b946199e681f4cfc34db8ea",
                out.get("pskCt"), "A.1.2 ct");
        assertEquals(PT, out.get("pskOpened"));
        assertEquals("refused", out.get("wrongPsk"));
    }

    @Test
    void canonicalStatementsAndTheHeaderAreByteForByteTheJavaOnes() {
        byte[] k1 = X25519.generate().publicKey();
        byte[] k2 = Ed25519.generate().publicKey();
        byte[] k3 = X25519.generate().publicKey();
        byte[] ck = X25519.generate().privateKey();
        byte[] sha = Ed25519.generate().publicKey();
        // Ids whose UTF-8 byte order differs from UTF-16 order: "\uFF21" sorts before "\uD83D\uDE00" in bytes.
        List<ListedDevice> devices = List.of(
                new ListedDevice("dev_b", k2, k1, "companion"),
                new ListedDevice("\uD83D\uDE00", k2, k3, "companion"),
                new ListedDevice("\uFF21", k2, k3, "companion"),
                new ListedDevice("dev_A", k1, k3, "primary"));
        MessageHeader header = MessageHeader.of("e2e_\u00e9", "+390611111111", "dev_A", "+390622222222",
                1_700_000_000_123L, 7, 9_007_199_254_740_993L);
        Map<String, Object> out = page.map(IMPORTS + """
                const [k1, k2, k3, ck, sha] = args.slice(0, 5).map(hex);
                const devices = [
                  {deviceId: 'dev_b', identityKey: k2, encryptionKey: k1, kind: 'companion'},
                  {deviceId: '\\u{1F600}', identityKey: k2, encryptionKey: k3, kind: 'companion'},
                  {deviceId: '\\uFF21', identityKey: k2, encryptionKey: k3, kind: 'companion'},
                  {deviceId: 'dev_A', identityKey: k1, encryptionKey: k3, kind: 'primary'}];
                const h = {messageId: 'e2e_\\u00e9', fromNumber: '+390611111111', fromDeviceId: 'dev_A',
                  toNumber: '+390622222222', sentAt: 1700000000123, fromListVersion: 7, toListVersion: 9007199254740993n};
                const commitment = await canonical.keyCommitment(ck);
                const decoded = header.decode(hex(args[5]));
                return {
                  encryptionKey: toHex(canonical.encryptionKeyStatement(k1)),
                  deviceList: toHex(canonical.deviceList('+390611111111', 3, 1700000000000, devices)),
                  deviceSignature: toHex(canonical.deviceSignatureStatement(k2, k1, k3)),
                  accountSignature: toHex(canonical.accountSignatureStatement('+390611111111', 'dév', k2, k3)),
                  messageStatement: toHex(canonical.messageStatement(utf8('hdr'), sha, commitment,
                      ['dev_b', 'dev_A', '\\uFF21', '\\u{1F600}'])),
                  messageInfo: toHex(canonical.messageInfo('dev_A', 'dev_b')),
                  provisioningInfo: toHex(canonical.provisioningInfo('lnk_1')),
                  keyCommitment: toHex(commitment),
                  header: toHex(header.encode(h)),
                  decoded: [decoded.messageId, decoded.fromNumber, decoded.fromDeviceId, decoded.toNumber,
                            String(decoded.sentAt), String(decoded.fromListVersion), String(decoded.toListVersion)],
                  b64: b64.encode(k1)};
                """, hex(k1), hex(k2), hex(k3), hex(ck), hex(sha), hex(header.encode()));
        assertEquals(hex(Canonical.encryptionKeyStatement(k1)), out.get("encryptionKey"));
        assertEquals(hex(Canonical.deviceList("+390611111111", 3, 1_700_000_000_000L, devices)), out.get("deviceList"));
        assertEquals(hex(Canonical.deviceSignatureStatement(k2, k1, k3)), out.get("deviceSignature"));
        assertEquals(hex(Canonical.accountSignatureStatement("+390611111111", "d\u00e9v", k2, k3)), out.get("accountSignature"));
        assertEquals(hex(Canonical.keyCommitment(ck)), out.get("keyCommitment"));
        assertEquals(hex(Canonical.messageStatement("hdr".getBytes(US_ASCII), sha, Canonical.keyCommitment(ck),
                List.of("dev_b", "dev_A", "\uFF21", "\uD83D\uDE00"))), out.get("messageStatement"));
        assertEquals(hex(Canonical.messageInfo("dev_A", "dev_b")), out.get("messageInfo"));
        assertEquals(hex(Canonical.provisioningInfo("lnk_1")), out.get("provisioningInfo"));
        assertEquals(hex(header.encode()), out.get("header"));
        assertEquals(List.of("e2e_\u00e9", "+390611111111", "dev_A", "+390622222222", "1700000000123", "7",
                "9007199254740993"), out.get("decoded"));
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(k1), out.get("b64"));
    }

    @Test
    void theBrowserRefusesMalformedInputsAsJavaDoes() {
        byte[] k = X25519.generate().publicKey();
        byte[] header = MessageHeader.of("m", "+390611111111", "d", "+390622222222", 1, 1, 1).encode();
        byte[] trailing = java.util.Arrays.copyOf(header, header.length + 1);
        assertThrows(CryptoException.class, () -> MessageHeader.decode(trailing));
        assertThrows(CryptoException.class, () -> Canonical.deviceList("+390611111111", 1, 1,
                List.of(new ListedDevice("a", k, k, "primary"), new ListedDevice("a", k, k, "companion"))));
        List<Object> refused = page.list(IMPORTS + """
                const k = hex(args[0]);
                const attempts = [
                  () => header.decode(hex(args[1])),
                  () => canonical.deviceList('+390611111111', 1, 1, [
                      {deviceId: 'a', identityKey: k, encryptionKey: k, kind: 'primary'},
                      {deviceId: 'a', identityKey: k, encryptionKey: k, kind: 'companion'}]),
                  () => canonical.encryptionKeyStatement(k.subarray(1)),
                  () => canonical.messageInfo('dev_\\uD800', 'x'),
                  () => b64.decode('AB'),
                  () => b64.decode('AQ=='),
                  () => b64.decode('A+8'),
                  () => canonical.deviceList('+390611111111', -1, 1, [{deviceId: 'a', identityKey: k, encryptionKey: k, kind: 'p'}])];
                return attempts.map(f => { try { f(); return 'accepted'; } catch (e) { return 'refused'; } });
                """, hex(k), hex(trailing));
        assertEquals(List.of("refused", "refused", "refused", "refused", "refused", "refused", "refused", "refused"), refused);
    }

    @Test
    void aMessageJavaSealsOpensInTheBrowserAndAlteredCopiesDoNot() {
        RawKeyPair sender = Ed25519.generate();
        String browserEncryptionKey = page.text(IMPORTS + """
                window.__device = await prim.x25519Generate(false);
                return toHex(window.__device.publicKey);
                """);
        RawKeyPair other = X25519.generate();
        MessageHeader header = MessageHeader.of("e2e_1", "+390611111111", "dev_java", "+390622222222",
                System.currentTimeMillis(), 2, 5);
        byte[] plaintext = "{\"v\":1,\"text\":\"ciao \u2603\",\"parts\":[]}".getBytes(UTF_8);
        SealedMessage sealed = new MessageSealer().seal(header, sender.privateKey(), List.of(
                new Recipient("+390622222222", "dev_web", "1", bytes(browserEncryptionKey)),
                new Recipient("+390611111111", "dev_other", "1", other.publicKey())), plaintext);
        Received received = sealed.receivedBy("dev_web");
        byte[] tampered = received.ciphertext();
        tampered[tampered.length - 1] ^= 1;

        List<Object> out = page.list(IMPORTS + """
                const [hdr, ct, commitment, sig, wrapped, senderKey, tampered, otherKey] = args.slice(0, 8).map(hex);
                const targets = args[8];
                const received = {header: hdr, ciphertext: ct, keyCommitment: commitment, signature: sig,
                                  wrappedKey: wrapped, targetDeviceIds: targets};
                const opened = await message.openMessage(received, 'dev_web', window.__device.privateKey, senderKey);
                const attempt = async r => {
                  try { await message.openMessage(r, 'dev_web', window.__device.privateKey, senderKey); return 'opened'; }
                  catch (e) { return e.message; }
                };
                return [new TextDecoder().decode(opened.plaintext), opened.header.messageId, opened.header.fromDeviceId,
                  await attempt({...received, ciphertext: tampered}),
                  await attempt({...received, targetDeviceIds: targets.slice(0, 1)}),
                  await message.openMessage(received, 'dev_web', window.__device.privateKey, otherKey).then(() => 'opened', e => e.message)];
                """, hex(received.header()), hex(received.ciphertext()), hex(received.keyCommitment()),
                hex(received.signature()), hex(received.wrappedKey()), hex(sender.publicKey()), hex(tampered),
                hex(other.publicKey()), received.targetDeviceIds());
        assertEquals("{\"v\":1,\"text\":\"ciao \u2603\",\"parts\":[]}", out.get(0));
        assertEquals("e2e_1", out.get(1));
        assertEquals("dev_java", out.get(2));
        assertEquals("sender signature does not verify", out.get(3), "a changed ciphertext");
        assertEquals("sender signature does not verify", out.get(4), "fewer targets than signed");
        assertEquals("sender signature does not verify", out.get(5), "another sender's identity key");
    }

    @Test
    void aMessageTheBrowserSealsOpensInJavaForEveryTarget() {
        RawKeyPair one = X25519.generate();
        RawKeyPair two = X25519.generate();
        Map<String, Object> out = page.map(IMPORTS + """
                const identity = await prim.ed25519Generate(false);
                const h = {messageId: 'e2e_web', fromNumber: '+390622222222', fromDeviceId: 'dev_web',
                           toNumber: '+390611111111', sentAt: Date.now(), fromListVersion: 4, toListVersion: 1};
                const sealed = await message.sealMessage(h, s => prim.ed25519Sign(identity.privateKey, s), [
                    {number: '+390611111111', deviceId: 'dev_one', encryptionKeyId: '1', encryptionKey: hex(args[0])},
                    {number: '+390622222222', deviceId: 'dev_two', encryptionKeyId: '3', encryptionKey: hex(args[1])}],
                    utf8('{"v":1,"text":"from the browser","parts":[]}'));
                return {identity: toHex(identity.publicKey), header: toHex(sealed.header), ciphertext: toHex(sealed.ciphertext),
                        keyCommitment: toHex(sealed.keyCommitment), signature: toHex(sealed.signature),
                        keys: sealed.keys.map(k => [k.number, k.deviceId, k.encryptionKeyId, toHex(k.wrapped)])};
                """, hex(one.publicKey()), hex(two.publicKey()));
        @SuppressWarnings("unchecked")
        List<List<String>> keys = (List<List<String>>) out.get("keys");
        assertEquals(2, keys.size());
        List<String> targets = List.of("dev_one", "dev_two");
        MessageOpener opener = new MessageOpener();
        for (int i = 0; i < 2; i++) {
            Received received = new Received(bytes(out.get("header")), bytes(out.get("ciphertext")),
                    bytes(out.get("keyCommitment")), bytes(out.get("signature")), bytes(keys.get(i).get(3)), targets);
            Opened opened = opener.open(received, targets.get(i), (i == 0 ? one : two).privateKey(),
                    bytes(out.get("identity")));
            assertEquals("{\"v\":1,\"text\":\"from the browser\",\"parts\":[]}", new String(opened.plaintext(), UTF_8));
            assertEquals(MessageHeader.of("e2e_web", "+390622222222", "dev_web", "+390611111111",
                    opened.header().sentAt(), 4, 1), opened.header());
        }
        assertEquals(List.of("+390622222222", "dev_two", "3"), keys.get(1).subList(0, 3));
        Received wrongTarget = new Received(bytes(out.get("header")), bytes(out.get("ciphertext")),
                bytes(out.get("keyCommitment")), bytes(out.get("signature")), bytes(keys.get(0).get(3)), targets);
        assertThrows(CryptoException.class, () -> opener.open(wrongTarget, "dev_two", two.privateKey(),
                bytes(out.get("identity"))), "dev_one's wrapped key does not open for dev_two");
    }

    @Test
    void attachmentsCrossBothWaysAndASwappedDownloadIsRefused() {
        byte[] picture = new byte[70_000];
        new java.util.Random(7).nextBytes(picture);
        AttachmentCipher.Encrypted fromJava = AttachmentCipher.encrypt(picture);
        Map<String, Object> out = page.map(IMPORTS + """
                const [key, digest, ciphertext] = args.slice(0, 3).map(hex);
                const plain = await attachments.decrypt(key, digest, ciphertext);
                const swapped = ciphertext.slice(); swapped[20] ^= 1;
                const refused = await attachments.decrypt(key, digest, swapped).then(() => 'opened', e => e.message);
                const sha = await prim.sha256(plain);
                const mine = await attachments.encrypt(utf8('a file from the browser'));
                return {sha: toHex(sha), refused, key: toHex(mine.key), digest: toHex(mine.digest), ciphertext: toHex(mine.ciphertext)};
                """, hex(fromJava.key()), hex(fromJava.digest()), hex(fromJava.ciphertext()));
        assertEquals(hex(sha256(picture)), out.get("sha"));
        assertEquals("attachment digest does not match its ciphertext", out.get("refused"));
        assertEquals("a file from the browser", new String(AttachmentCipher.decrypt(bytes(out.get("key")),
                bytes(out.get("digest")), bytes(out.get("ciphertext"))), UTF_8));
    }

    @Test
    void provisioningSealedInPskModeCrossesBothWays() {
        byte[] secret = Ed25519.generate().privateKey();
        byte[] info = Canonical.provisioningInfo("lnk_7");
        byte[] pskId = Canonical.LINK_PSK_ID.getBytes(US_ASCII);
        String ephemeral = page.text(IMPORTS + """
                window.__ephemeral = await prim.x25519Generate(false);
                return toHex(window.__ephemeral.publicKey);
                """);
        Hpke.Sealed sealed = new Hpke().sealPsk(bytes(ephemeral), info, new byte[0], "{\"number\":\"+39\"}".getBytes(UTF_8),
                secret, pskId);
        RawKeyPair javaEphemeral = X25519.generate();
        Map<String, Object> out = page.map(IMPORTS + """
                const [enc, ct, secret, javaKey] = args.slice(0, 4).map(hex);
                const info = canonical.provisioningInfo('lnk_7');
                const pskId = utf8(canonical.LINK_PSK_ID);
                const opened = await hpke.openPsk(window.__ephemeral.privateKey, enc, info, new Uint8Array(0), ct, secret, pskId);
                const otherLink = await hpke.openPsk(window.__ephemeral.privateKey, enc, canonical.provisioningInfo('lnk_8'),
                    new Uint8Array(0), ct, secret, pskId).then(() => 'opened', () => 'refused');
                const mine = await hpke.sealPsk(javaKey, info, new Uint8Array(0), utf8('sealed by the browser'), secret, pskId);
                return {opened: new TextDecoder().decode(opened), otherLink, enc: toHex(mine.enc), ct: toHex(mine.ciphertext)};
                """, hex(sealed.enc()), hex(sealed.ciphertext()), hex(secret), hex(javaEphemeral.publicKey()));
        assertEquals("{\"number\":\"+39\"}", out.get("opened"));
        assertEquals("refused", out.get("otherLink"), "bound to its link id");
        assertEquals("sealed by the browser", new String(new Hpke().openPsk(javaEphemeral.privateKey(),
                bytes(out.get("enc")), info, new byte[0], bytes(out.get("ct")), secret, pskId), UTF_8));
        byte[] otherSecret = Ed25519.generate().privateKey();
        assertThrows(CryptoException.class, () -> new Hpke().openPsk(javaEphemeral.privateKey(), bytes(out.get("enc")),
                info, new byte[0], bytes(out.get("ct")), otherSecret, pskId));
    }

    @Test
    void theSecurityCodeIsTheOneJavaShows() {
        byte[] a = Ed25519.generate().publicKey();
        byte[] b = Ed25519.generate().publicKey();
        String code = page.text("""
                const {securityCode} = await import('/js/core/securitycode.js');
                const {hex} = await import('/js/core/prim.js');
                return await securityCode('+390622222222', hex(args[1]), '+390611111111', hex(args[0]));
                """, hex(a), hex(b));
        assertEquals(SecurityCode.of("+390611111111", a, "+390622222222", b), code);
        assertTrue(code.matches("(\\d{5} ){11}\\d{5}"), code);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unused")
    private static void assertBytes(byte[] expected, Object actualHex) {
        assertArrayEquals(expected, bytes(actualHex));
    }
}
