package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.gateway.support.Browser;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The first visit loads the conversations newest first with a progress bar; a later visit asks
 * only for the events after its stored cursor.
 */
class WebSyncTest {
    private static final String A = "+390622220001";

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    /** Records every label the sync progress bar shows, from before the page's own scripts run. */
    private static final String WATCH_PROGRESS = """
            window.__progress = [];
            new MutationObserver(() => {
              const p = document.querySelector('#sync-progress');
              const label = document.querySelector('#sync-progress-label');
              if (p && !p.hidden && label && window.__progress[window.__progress.length - 1] !== label.textContent) {
                window.__progress.push(label.textContent);
              }
            }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});""";

    @SuppressWarnings("unchecked")
    private static List<String> requests(InboxPage page) {
        return (List<String>) page.js("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname + new URL(e.name).search);");
    }

    @Test
    void theFirstVisitLoadsNewestConversationsFirstAndALaterOneOnlyWhatIsNew() throws Exception {
        Device a = gw.primary(A);
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String peer = "+4477009222" + String.format("%02d", i);
            peers.add(0, peer);
            a.client().send(peer, "hello " + i);
            gw.clock.advance(Duration.ofMinutes(1));
        }
        try (Browser browser = Browser.open()) {
            browser.cdp("Page.addScriptToEvaluateOnNewDocument", Map.of("source", WATCH_PROGRESS));
            // Some latency, so that each conversation's load spans frames and its count is painted.
            browser.cdp("Network.enable", Map.of());
            browser.cdp("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 40,
                    "downloadThroughput", -1, "uploadThroughput", -1));
            InboxPage page = InboxPage.linked(browser, gw.uri(), a);
            page.await("all eight conversations", InboxPage.WAIT, () -> page.peers().size() == 8);
            // The list shows before each conversation's messages are loaded: leave only once the sync is done.
            page.await("body[data-sync=synced]", InboxPage.WAIT, () -> "synced".equals(page.js("return document.body.dataset.sync")));
            assertEquals(peers, page.peers(), "newest conversation first");
            List<?> firstVisit = (List<?>) page.js("return window.__progress");
            // Labels set within one frame are painted once, so which steps are seen varies: every one
            // seen counts up to 8, never backwards; the first visit ends with all 8 loaded.
            List<Integer> counted = new ArrayList<>();
            for (Object label : firstVisit) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("Loading conversations: (\\d+) of (\\d+)").matcher(String.valueOf(label));
                if (m.matches()) {
                    assertEquals("8", m.group(2), "the progress bar counts all eight: " + firstVisit);
                    counted.add(Integer.parseInt(m.group(1)));
                }
            }
            assertTrue(!counted.isEmpty(), "the progress bar counted the conversations: " + firstVisit);
            for (int i = 1; i < counted.size(); i++) {
                assertTrue(counted.get(i) >= counted.get(i - 1), "the count only goes up: " + firstVisit);
            }
            assertTrue(counted.get(counted.size() - 1) <= 8, String.valueOf(firstVisit));
            assertTrue(!page.visible("#sync-progress"), "the progress bar is gone once synced");
            assertEquals(8, page.peers().size());

            // Away from the page, two new conversations and a message in an old one.
            browser.driver().get("about:blank");
            a.client().send("+447700922298", "new one");
            gw.clock.advance(Duration.ofMinutes(1));
            a.client().send(peers.get(7), "back to the oldest");
            gw.clock.advance(Duration.ofMinutes(1));
            a.client().send("+447700922299", "newest");

            browser.driver().get(gw.uri().resolve("/").toString());
            page.awaitInbox();
            page.await("the new conversations on top", InboxPage.WAIT, () -> page.peers().size() == 10
                    && page.peers().subList(0, 3).equals(List.of("+447700922299", peers.get(7), "+447700922298")));
            List<String> asked = requests(page);
            assertTrue(asked.stream().noneMatch(r -> r.startsWith("/v1/conversations")), "no full reload of the list: " + asked);
            assertTrue(asked.stream().anyMatch(r -> r.startsWith("/v1/sync?since=") && !r.startsWith("/v1/sync?since=0&")),
                    "the later visit asks for what is new since its cursor: " + asked);
            List<?> progress = (List<?>) page.js("return window.__progress");
            assertTrue(progress.stream().anyMatch(l -> String.valueOf(l).matches("Syncing new events: \\d+ of \\d+")), String.valueOf(progress));
            page.assertNoProblems();
        }
    }
}
