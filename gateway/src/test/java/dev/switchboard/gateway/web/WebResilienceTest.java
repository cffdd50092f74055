package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.support.Browser;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
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
        }
    }
}
