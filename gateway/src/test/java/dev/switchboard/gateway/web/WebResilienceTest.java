package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.ApprovedDevices;
import dev.switchboard.client.E2eeSender;
import dev.switchboard.client.KeyDirectory;
import dev.switchboard.client.TrustStore;
import dev.switchboard.gateway.support.Browser;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The page's connection is cut (it is loaded through a relay the test controls) while the peer
 * keeps writing and the user keeps typing; once it is back, every message appears once and in
 * order, and what was typed offline reaches the peer once.
 */
class WebResilienceTest {
    private static final String A = "+390621210001";
    private static final String B = "+390621210002";

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static List<String> textsOfB(Device b) {
        List<String> newestFirst = b.client().conversationWith(A).map(c -> b.client().allMessages(c.get("id").asText()))
                .orElse(List.of()).stream().filter(m -> m.get("direction").asText().equals("in")).map(m -> m.path("text").asText())
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        java.util.Collections.reverse(newestFirst);
        return newestFirst;
    }

    @Test
    void messagesFromWhileTheConnectionWasCutAppearOnceInOrderAndOfflineTypedOnesAreSentOnce() throws Exception {
        Device a = gw.primary(A);
        Device b = gw.primary(B);
        try (CuttableProxy relay = new CuttableProxy(gw.uri()); Browser browser = Browser.open()) {
            InboxPage page = InboxPage.linked(browser, relay.uri(), a);
            b.client().send(A, "before the cut");
            page.openConversation(B);
            page.awaitMessage("before the cut", InboxPage.WAIT, m -> true);
            assertTrue(!page.visible("#offline-banner"));

            relay.cut();
            page.await("the offline banner", InboxPage.WAIT, () -> page.visible("#offline-banner"));
            for (int i = 1; i <= 3; i++) {
                b.client().send(A, "from B while cut " + i);
            }
            page.send("typed offline 1");
            page.send("typed offline 2");
            page.await("both queued in the page", InboxPage.WAIT, () -> page.messages().stream()
                    .filter(m -> m.id().startsWith("pending:") && m.status().equals("pending")).count() == 2);
            assertEquals(List.of(), textsOfB(b), "nothing left the page while it was cut off");

            relay.restore();
            List<String> expected = List.of("before the cut", "from B while cut 1", "from B while cut 2", "from B while cut 3",
                    "typed offline 1", "typed offline 2");
            page.await("every message once, in order", InboxPage.WAIT, () -> page.texts().equals(expected)
                    && page.messages().stream().noneMatch(m -> m.id().startsWith("pending:")));
            assertTrue(!page.visible("#offline-banner"));
            Eventually.await("B has both", InboxPage.WAIT, () -> textsOfB(b).size() == 2);
            assertEquals(List.of("typed offline 1", "typed offline 2"), textsOfB(b));

            // And once more, with the page reloaded after the gateway answered: still once.
            browser.driver().navigate().refresh();
            page.awaitInbox();
            page.openConversation(B);
            page.await("the same six messages after a reload", InboxPage.WAIT, () -> page.texts().equals(expected));
            assertEquals(List.of("typed offline 1", "typed offline 2"), textsOfB(b));
            for (JsonNode m : b.client().allMessages(b.client().conversationWith(A).orElseThrow().get("id").asText())) {
                assertTrue(m.get("status").asText().equals("delivered") || m.get("status").asText().equals("read"), m.toString());
            }
            page.assertNoProblems();
        }
    }

    /**
     * Logs, from every DOM change in the thread, each text's message ids (pending ones apart) and
     * whether a text was ever shown by two messages at the same moment.
     */
    private static final String WATCH_DUPLICATES = """
            window.__ids = {};
            window.__twice = [];
            const look = () => {
              const now = {};
              for (const m of document.querySelectorAll('#thread .message')) {
                const id = m.dataset.messageId || '';
                if (id.startsWith('pending:')) continue;
                const text = [...m.querySelectorAll('.text')].map(t => t.textContent).join('\\n');
                (now[text] = now[text] || []).push(id);
                (window.__ids[text] = window.__ids[text] || []);
                if (!window.__ids[text].includes(id)) window.__ids[text].push(id);
              }
              for (const [text, ids] of Object.entries(now)) if (ids.length > 1) window.__twice.push(text + ' ' + ids.join(','));
            };
            new MutationObserver(look).observe(document.querySelector('#thread'), {subtree: true, childList: true, attributes: true, characterData: true});
            look();""";

    /**
     * Sends {@code text} from the page while the relay swallows the gateway's answers to the first
     * two POST /v1/messages (the gateway accepted; the browser saw the connection drop), then checks
     * the message exists once on both sides and the page never showed it twice.
     */
    private static void sendWithLostAnswers(InboxPage page, CuttableProxy relay, Device a, Device b, String peer, String text) {
        page.js(WATCH_DUPLICATES);
        relay.loseResponses("POST /v1/messages ", 2);
        page.send(text);
        page.awaitMessage(text, InboxPage.WAIT, m -> !m.id().startsWith("pending:") && m.status().equals("delivered"));
        assertTrue(relay.responsesLost() >= 1, "the gateway's answer was lost at least once");
        Eventually.await("B has it", InboxPage.WAIT, () -> countIn(b, a.number(), "in") >= 1);
        // Let the page's retries (2 s apart) run out, then: once on both sides, and never twice in the page.
        page.await("the outbox empty", InboxPage.WAIT, () -> page.messages().stream().noneMatch(m -> m.id().startsWith("pending:")));
        assertEquals(1, countIn(b, a.number(), "in"), "B received it exactly once");
        assertEquals(1, countIn(a, peer, "out"), "A's conversation holds it exactly once");
        assertEquals(1, page.messages().stream().filter(m -> m.text().equals(text)).count(), String.valueOf(page.messages()));
        assertEquals(List.of(), page.js("return window.__twice"), "the thread never showed the message twice at once");
        @SuppressWarnings("unchecked")
        java.util.Map<String, List<?>> ids = (java.util.Map<String, List<?>>) page.js("return window.__ids");
        assertEquals(1, ids.get(text).size(), "the thread only ever showed one message id for it: " + ids);
        page.assertNoProblems();
    }

    private static long countIn(Device who, String peer, String direction) {
        return who.client().conversationWith(peer).map(c -> who.client().allMessages(c.get("id").asText())).orElse(List.of()).stream()
                .filter(m -> m.get("direction").asText().equals(direction)).count();
    }

    @Test
    void aMessageWhoseAnswerWasLostAfterTheGatewayAcceptedItExistsOnce() throws Exception {
        String a2 = "+390621210003";
        String b2 = "+390621210004";
        Device a = gw.primary(a2);
        Device b = gw.primary(b2);
        try (CuttableProxy relay = new CuttableProxy(gw.uri()); Browser browser = Browser.open()) {
            InboxPage page = InboxPage.linked(browser, relay.uri(), a);
            b.client().send(a2, "hi");
            page.openConversation(b2);
            page.awaitMessage("hi", InboxPage.WAIT, m -> true);
            sendWithLostAnswers(page, relay, a, b, b2, "sent once although its answer was lost");
            // A reload replays nothing.
            browser.driver().navigate().refresh();
            page.awaitInbox();
            page.openConversation(b2);
            page.await("the thread after a reload", InboxPage.WAIT, () -> page.texts().equals(List.of("hi", "sent once although its answer was lost")));
            assertEquals(1, countIn(b, a2, "in"));
            page.assertNoProblems();
        }
    }

    @Test
    void anEncryptedMessageWhoseAnswerWasLostAfterTheGatewayAcceptedItExistsOnce() throws Exception {
        String a3 = "+390621210005";
        String b3 = "+390621210006";
        Device a = gw.primary(a3);
        a.client().publishDeviceList(a.keys(), ApprovedDevices.none());
        Device b = gw.primary(b3);
        b.client().publishDeviceList(b.keys(), ApprovedDevices.none());
        Path dir = Files.createTempDirectory("web-lost-answer");
        TrustStore trust = new TrustStore(dir.resolve("trust.json"));
        E2eeSender sender = new E2eeSender(b.client(), b.keys(), new KeyDirectory(b.client(), trust, dir.resolve("seen.json")), trust);
        try (CuttableProxy relay = new CuttableProxy(gw.uri()); Browser browser = Browser.open()) {
            InboxPage page = InboxPage.linked(browser, relay.uri(), a);
            assertTrue(sender.send(a3, "sealed hello").encrypted());
            page.openConversation(b3);
            page.awaitMessage("sealed hello", InboxPage.WAIT, m -> true);
            page.await("the thread marked end-to-end encrypted", InboxPage.WAIT, () -> page.visible("#e2ee-badge"));
            sendWithLostAnswers(page, relay, a, b, b3, "sealed once although its answer was lost");
            JsonNode atB = b.client().allMessages(b.client().conversationWith(a3).orElseThrow().get("id").asText()).stream()
                    .filter(m -> m.get("direction").asText().equals("in")).findFirst().orElseThrow();
            assertTrue(atB.get("e2ee").asBoolean(), "it went end-to-end encrypted: " + atB);
        }
    }
}
