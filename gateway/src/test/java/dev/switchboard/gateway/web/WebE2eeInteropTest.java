package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.ApprovedDevices;
import dev.switchboard.client.Attachment;
import dev.switchboard.client.DecryptedMessage;
import dev.switchboard.client.E2eeSender;
import dev.switchboard.client.KeyDirectory;
import dev.switchboard.client.MessageDecryptor;
import dev.switchboard.client.TrustStore;
import dev.switchboard.crypto.SecurityCode;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End-to-end messages between a browser companion (linked through {@code linking.js}, sending and
 * reading with {@code e2ee.js}) and Java clients, through the real gateway: text and encrypted
 * attachments both ways, the browser's own primary reading what the browser sent, a reseal after
 * the peer linked a device the browser did not know about, and the same security code on both sides.
 */
class WebE2eeInteropTest {

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static final String A = "+390619190001";
    private static final String B = "+390619190002";

    /** A Java end-to-end client of one device, as the CLI runs it. */
    private record JavaParty(Device device, TrustStore trust, KeyDirectory directory, E2eeSender sender,
                             MessageDecryptor decryptor) {
        static JavaParty of(Device device) throws Exception {
            Path dir = Files.createTempDirectory("web-e2ee");
            TrustStore trust = new TrustStore(dir.resolve("trust.json"));
            KeyDirectory directory = new KeyDirectory(device.client(), trust);
            return new JavaParty(device, trust, directory, new E2eeSender(device.client(), device.keys(), directory, trust),
                    new MessageDecryptor(device.id(), MessageDecryptor.EncryptionKeys.of(device.keys(), "1"), directory, null));
        }

        List<DecryptedMessage> read() {
            JsonNode conversation = device.client().allConversations().get(0);
            return decryptor.decryptAll(device.client().allMessages(conversation.path("id").asText()));
        }
    }

    private static final String LINK = """
            const {DeviceKeys} = await import('/js/core/keys.js');
            const {Api} = await import('/js/core/api.js');
            const {startLink} = await import('/js/core/linking.js');
            window.__keys = await DeviceKeys.loadOrCreate();
            const link = await startLink(new Api(), window.__keys, 'Chromium');
            window.__linked = link.wait();
            return link.qrText;
            """;

    private static final String SETUP = """
            const {Api} = await import('/js/core/api.js');
            const {E2ee} = await import('/js/core/e2ee.js');
            const linked = await window.__linked;
            window.__e2ee = new E2ee(new Api('', linked.token), window.__keys, {number: linked.number, deviceId: linked.deviceId});
            return linked.deviceId;
            """;

    private static final String SEND = """
            const {hex, toHex} = await import('/js/core/prim.js');
            const sent = await window.__e2ee.send(args[0], {text: args[1],
                attachments: args[2] ? [{bytes: hex(args[2]), contentType: 'image/png', fileName: 'dot.png'}] : []},
                crypto.randomUUID());
            return {encrypted: sent.encrypted, channel: sent.message.channel, refusals: sent.refusals};
            """;

    @Test
    void theBrowserAndJavaClientsExchangeEncryptedMessagesAndAttachmentsBothWays() throws Exception {
        Device aPhone = gw.primary(A);
        Device bPhone = gw.primary(B);
        bPhone.client().publishDeviceList(bPhone.keys(), ApprovedDevices.none());
        JavaParty aJava = JavaParty.of(aPhone);
        JavaParty bJava = JavaParty.of(bPhone);
        byte[] png = HexFormat.of().parseHex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                + "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082");

        try (CorePage page = CorePage.open(gw)) {
            String qrText = page.text(LINK);
            aPhone.client().approveLink(qrText, aPhone.keys());
            String browserId = page.text(SETUP);

            // Browser -> Java (B, and A's own primary), with an encrypted attachment.
            Map<String, Object> sent = page.map(SEND, B, "hello from the browser \u2603", HexFormat.of().formatHex(png));
            assertEquals(true, sent.get("encrypted"));
            assertEquals("onnet", sent.get("channel"));
            for (JavaParty reader : List.of(bJava, aJava)) {
                DecryptedMessage read = reader.read().get(0);
                assertTrue(read.readable(), read.errorIfAny().orElse(""));
                assertEquals("hello from the browser \u2603", read.text());
                JsonNode part = read.attachments().get(0);
                assertEquals("image/png", part.path("contentType").asText());
                assertEquals("dot.png", part.path("fileName").asText());
                assertEquals(HexFormat.of().formatHex(png),
                        HexFormat.of().formatHex(MessageDecryptor.attachment(reader.device().client(), part)));
            }

            // Java (B) -> browser, with an attachment.
            byte[] document = "a document only the two numbers can read".getBytes(StandardCharsets.UTF_8);
            E2eeSender.Sent reply = bJava.sender().send(A, "hello from Java",
                    List.of(new Attachment(document, "text/plain", "note.txt")));
            assertTrue(reply.encrypted());
            Map<String, Object> opened = page.map("""
                    const {toHex} = await import('/js/core/prim.js');
                    const e2ee = window.__e2ee;
                    const page = await e2ee.api.get('/v1/conversations?peer=' + encodeURIComponent(args[0]));
                    const conversation = page.conversations[0];
                    const messages = (await e2ee.api.get('/v1/conversations/' + conversation.id + '/messages')).messages;
                    const read = [];
                    for (const m of messages) {
                      const o = await e2ee.open(m);
                      const files = [];
                      for (const a of o.attachments) {
                        files.push({name: a.fileName, type: a.contentType, hex: toHex(await e2ee.attachment(a))});
                      }
                      read.push({direction: m.direction, e2ee: o.e2ee, text: o.text, error: o.error || null, files});
                    }
                    return {e2ee: conversation.e2ee, read};
                    """, B);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> read = (List<Map<String, Object>>) opened.get("read");
            assertEquals(2, read.size(), String.valueOf(read));
            Map<String, Object> incoming = read.stream().filter(m -> "in".equals(m.get("direction"))).findFirst().orElseThrow();
            assertEquals(null, incoming.get("error"));
            assertEquals(true, incoming.get("e2ee"));
            assertEquals("hello from Java", incoming.get("text"));
            assertEquals(List.of(Map.of("name", "note.txt", "type", "text/plain", "hex", HexFormat.of().formatHex(document))),
                    incoming.get("files"));
            Map<String, Object> outgoing = read.stream().filter(m -> "out".equals(m.get("direction"))).findFirst().orElseThrow();
            assertEquals("hello from the browser \u2603", outgoing.get("text"), "the browser reads its own sent message");

            // B links a laptop the browser has not seen: the gateway refuses the first seal, the browser reseals.
            Device bLaptop = gw.link(bPhone, "laptop");
            Map<String, Object> resent = page.map(SEND, B, "after the laptop", null);
            assertEquals(List.of("device_mismatch"), resent.get("refusals"));
            JavaParty laptop = JavaParty.of(bLaptop);
            DecryptedMessage onLaptop = laptop.read().stream().filter(m -> "after the laptop".equals(m.text()))
                    .findFirst().orElseThrow(() -> new AssertionError("the laptop cannot read " + laptop.read()));
            assertTrue(onLaptop.readable());

            // The security code the page shows is the one the Java client shows.
            String code = page.text("return await window.__e2ee.securityCode(args[0]);", B);
            assertEquals(SecurityCode.of(A, aPhone.keys().rawIdentityKey(), B, bPhone.keys().rawIdentityKey()), code);
            assertEquals(browserId, page.text("return window.__e2ee.me.deviceId;"));
        }
    }

    @Test
    void theTrustStoreRefusesRollbacksAndReportsAKeyChangeUntilAcknowledged() {
        try (CorePage page = CorePage.open(gw)) {
            List<Object> steps = page.list("""
                    const {TrustStore} = await import('/js/core/trust.js');
                    const {randomBytes} = await import('/js/core/prim.js');
                    const trust = new TrustStore({memory: true});
                    const first = randomBytes(32), second = randomBytes(32);
                    const out = [];
                    out.push(await trust.accept('+39061', first, 3, []));
                    out.push(await trust.accept('+39061', first, 2, []).then(() => 'accepted', e => e.code));
                    out.push(await trust.accept('+39061', null, 0, []).then(() => 'accepted', e => e.code));
                    out.push(await trust.accept('+39061', second, 1, []));
                    out.push(await trust.accept('+39061', second, 2, []));
                    out.push(await trust.acknowledge('+39061'));
                    out.push(await trust.accept('+39061', second, 2, []));
                    out.push(await trust.accept('+39061', first, 2, []).then(() => 'accepted', e => e.code));
                    return out;
                    """);
            // TOFU; rollback under the same key; no list after one was seen; a new key is a change
            // (reported until acknowledged); the first key's highest version still holds after switching back.
            assertEquals(List.of(false, "rollback", "rollback", true, true, true, false, "rollback"), steps);
        }
    }
}
