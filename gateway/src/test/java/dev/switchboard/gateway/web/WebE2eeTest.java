package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.ApprovedDevices;
import dev.switchboard.client.DecryptedMessage;
import dev.switchboard.client.E2eeSender;
import dev.switchboard.client.HistoryStore;
import dev.switchboard.client.KeyDirectory;
import dev.switchboard.client.MessageDecryptor;
import dev.switchboard.client.TrustStore;
import dev.switchboard.crypto.SecurityCode;
import dev.switchboard.gateway.e2ee.PlaintextScan;
import dev.switchboard.gateway.support.Browser;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The page and a Java client exchange end-to-end encrypted messages both ways: the page decrypts
 * what the Java client sealed and seals what the Java client opens, attachments included, and the
 * gateway's database holds none of it.
 */
class WebE2eeTest {
    private static final String A = "+390620200001";
    private static final String B = "+390620200002";
    private static final SecureRandom RANDOM = new SecureRandom();

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static String marker() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "zq" + HexFormat.of().formatHex(bytes) + "qz";
    }

    @Test
    void thePageAndAJavaClientExchangeEncryptedMessagesAndTheDatabaseHoldsNoPlaintext() throws Exception {
        Device a = gw.primary(A);
        a.client().publishDeviceList(a.keys(), ApprovedDevices.none());
        Device b = gw.primary(B);
        b.client().publishDeviceList(b.keys(), ApprovedDevices.none());
        Path dir = Files.createTempDirectory("web-e2ee");
        TrustStore trust = new TrustStore(dir.resolve("trust.json"));
        KeyDirectory directory = new KeyDirectory(b.client(), trust, dir.resolve("seen.json"));
        E2eeSender sender = new E2eeSender(b.client(), b.keys(), directory, trust);
        MessageDecryptor decryptor = new MessageDecryptor(b.id(), keyId -> Optional.of(b.keys().encryption()), directory,
                new HistoryStore(dir.resolve("history.json")));
        List<String> markers = new ArrayList<>();

        try (Browser browser = Browser.open()) {
            InboxPage page = InboxPage.linked(browser, gw.uri(), a);

            // Java -> page.
            String first = "the key is under the mat " + marker();
            markers.add(first.substring(first.length() - 20));
            E2eeSender.Sent sent = sender.send(A, first);
            assertTrue(sent.encrypted(), "B's client encrypted it");
            page.openConversation(B);
            page.awaitMessage(first, InboxPage.WAIT, m -> m.direction().equals("in"));
            assertTrue(page.visible("#e2ee-badge"), "the thread says it is end-to-end encrypted");
            assertTrue(!page.visible(".not-e2ee-notice"));
            String code = SecurityCode.of(A, a.keys().rawIdentityKey(), B, b.keys().rawIdentityKey());
            page.await("the security code", InboxPage.WAIT, () -> code.equals(page.text("#security-code")));

            // Page -> Java, with an attachment chosen in the file picker.
            String reply = "thanks, see you at " + marker();
            markers.add(reply.substring(reply.length() - 20));
            String fileMarker = marker();
            markers.add(fileMarker);
            Path file = dir.resolve("notes.txt");
            Files.writeString(file, "private notes " + fileMarker);
            browser.driver().findElement(By.id("attach-input")).sendKeys(file.toString());
            page.await("the chosen file", InboxPage.WAIT, () -> page.text("#attachments").contains("notes.txt"));
            page.send(reply);

            Eventually.await("B reads the reply", InboxPage.WAIT, () -> readByB(b, decryptor, reply) != null);
            DecryptedMessage opened = readByB(b, decryptor, reply);
            assertEquals(DecryptedMessage.Source.DECRYPTED, opened.source());
            assertEquals(1, opened.attachments().size());
            JsonNode part = opened.attachments().get(0);
            assertEquals("notes.txt", part.get("fileName").asText());
            assertArrayEquals(("private notes " + fileMarker).getBytes(StandardCharsets.UTF_8),
                    MessageDecryptor.attachment(b.client(), part));
            page.awaitMessage(reply, InboxPage.WAIT, m -> m.status().equals("delivered"));

            // What B's client sees of it: marked end-to-end, no text for the gateway.
            JsonNode stored = messagesOfB(b).stream().filter(m -> m.get("id").asText().equals(opened.id())).findFirst().orElseThrow();
            assertTrue(stored.get("e2ee").asBoolean());
            assertTrue(stored.get("text").isNull());
            page.assertNoProblems();
        }

        try (Connection db = gw.jdbc()) {
            assertEquals(List.of(), PlaintextScan.find(db, markers), "no plaintext in the gateway's database");
        }
    }

    /**
     * B sets up a new phone (a new account key). The page warns in the thread, with the new
     * security code, until the user accepts the change; after that it writes to the new phone.
     */
    @Test
    void aChangedAccountKeyIsWarnedAboutInTheThreadUntilTheUserAcceptsIt() throws Exception {
        String a3 = "+390620200003";
        String b4 = "+390620200004";
        Device a = gw.primary(a3);
        a.client().publishDeviceList(a.keys(), ApprovedDevices.none());
        Device b = gw.primary(b4);
        b.client().publishDeviceList(b.keys(), ApprovedDevices.none());
        try (Browser browser = Browser.open()) {
            InboxPage page = InboxPage.linked(browser, gw.uri(), a);
            assertTrue(javaSide(b, "old").sender().send(a3, "from the old phone").encrypted());
            page.openConversation(b4);
            page.awaitMessage("from the old phone", InboxPage.WAIT, m -> true);
            String oldCode = SecurityCode.of(a3, a.keys().rawIdentityKey(), b4, b.keys().rawIdentityKey());
            page.await("the security code", InboxPage.WAIT, () -> oldCode.equals(page.text("#security-code")));
            assertTrue(!page.visible(".key-change"), "no warning yet");

            Device newPhone = gw.primary(b4);
            newPhone.client().publishDeviceList(newPhone.keys(), ApprovedDevices.none());
            JavaSide fresh = javaSide(newPhone, "new");
            assertTrue(fresh.sender().send(a3, "from the new phone").encrypted());
            page.awaitMessage("from the new phone", InboxPage.WAIT, m -> m.direction().equals("in"));
            page.await("the key change warning", InboxPage.WAIT, () -> page.visible(".key-change"));
            assertTrue(page.text(".key-change").contains(b4 + "'s security key changed"), page.text(".key-change"));
            String newCode = SecurityCode.of(a3, a.keys().rawIdentityKey(), b4, newPhone.keys().rawIdentityKey());
            page.await("the new security code", InboxPage.WAIT, () -> newCode.equals(page.text("#security-code")));

            page.click(By.xpath("//*[contains(@class,'key-change')]//button[contains(., 'accept the new key')]"));
            page.await("the warning gone", InboxPage.WAIT, () -> !page.visible(".key-change"));
            page.send("welcome back");
            Eventually.await("the new phone reads it", InboxPage.WAIT, () -> readBy(newPhone, a3, fresh.decryptor(), "welcome back") != null);
            page.awaitMessage("welcome back", InboxPage.WAIT, m -> m.status().equals("delivered"));
            page.assertNoProblems();
        }
    }

    private record JavaSide(E2eeSender sender, MessageDecryptor decryptor) {
    }

    private static JavaSide javaSide(Device d, String name) throws Exception {
        Path dir = Files.createTempDirectory("web-e2ee-" + name);
        TrustStore trust = new TrustStore(dir.resolve("trust.json"));
        KeyDirectory directory = new KeyDirectory(d.client(), trust, dir.resolve("seen.json"));
        return new JavaSide(new E2eeSender(d.client(), d.keys(), directory, trust),
                new MessageDecryptor(d.id(), keyId -> Optional.of(d.keys().encryption()), directory, new HistoryStore(dir.resolve("history.json"))));
    }

    private static List<JsonNode> messagesOfB(Device b) {
        return messagesOf(b, A);
    }

    private static List<JsonNode> messagesOf(Device b, String peer) {
        return b.client().conversationWith(peer).map(c -> b.client().allMessages(c.get("id").asText())).orElse(List.of());
    }

    private static DecryptedMessage readByB(Device b, MessageDecryptor decryptor, String text) {
        return readBy(b, A, decryptor, text);
    }

    private static DecryptedMessage readBy(Device b, String peer, MessageDecryptor decryptor, String text) {
        for (JsonNode m : messagesOf(b, peer)) {
            if (m.path("e2ee").asBoolean() && m.path("direction").asText().equals("in")) {
                DecryptedMessage d = decryptor.decrypt(m);
                if (text.equals(d.text())) {
                    return d;
                }
            }
        }
        return null;
    }
}
