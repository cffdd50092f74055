package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.gateway.support.Browser;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/**
 * The whole page: {@code body[data-sync]} goes from "syncing" to "synced" once the sync is done and
 * the stream is open; no global exposes the inbox; a long first sync shows no offline banner; the
 * inbox is a {@code <main>} landmark; Alt+N works by key code.
 */
class WebInboxHardeningTest {
    private static final String A = "+390624240001";

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    /** Records every value of body[data-sync] and whether the offline banner was ever shown. */
    private static final String WATCH = """
            window.__sync = []; window.__bannerShown = false;
            new MutationObserver(() => {
              const s = document.body && document.body.dataset.sync;
              if (s && window.__sync[window.__sync.length - 1] !== s) window.__sync.push(s);
              const b = document.querySelector('#offline-banner');
              if (b && !b.hidden) window.__bannerShown = true;
            }).observe(document, {subtree: true, childList: true, attributes: true});""";

    @Test
    void theSyncMarkerTheLandmarkNoGlobalAndNoFalseOfflineBanner() throws Exception {
        Device a = gw.primary(A);
        for (int i = 0; i < 12; i++) {
            a.client().send("+4477009241" + String.format("%02d", i), "hello " + i);
        }
        try (Browser browser = Browser.open()) {
            browser.cdp("Page.addScriptToEvaluateOnNewDocument", Map.of("source", WATCH));
            InboxPage page = InboxPage.open(browser, gw.uri());
            a.client().approveLink(page.awaitQr(), a.keys());
            page.await("body[data-sync=synced]", InboxPage.WAIT, () -> "synced".equals(page.js("return document.body.dataset.sync")));
            assertEquals(12, page.peers().size(), "the list is drawn when the marker says synced");
            assertEquals(List.of("syncing", "synced"), page.js("return window.__sync"));
            assertEquals(false, page.js("return window.__bannerShown"), "no offline banner while syncing");
            assertEquals("undefined", page.js("return typeof window.switchboardInbox"));
            assertEquals("MAIN", page.js("return document.querySelector('#panes').tagName"));
            assertEquals(null, page.js("return document.querySelector('#thread').getAttribute('aria-live')"));

            // A later visit: syncing again until the catch-up is done and the stream is open.
            browser.driver().navigate().refresh();
            page.await("synced after the reload", InboxPage.WAIT, () -> "synced".equals(page.js("return document.body.dataset.sync")));
            assertEquals(List.of("syncing", "synced"), page.js("return window.__sync"));

            new Actions(browser.driver()).keyDown(Keys.ALT).sendKeys("n").keyUp(Keys.ALT).perform();
            page.await("the new chat dialog", Duration.ofSeconds(10), () -> Boolean.TRUE.equals(page.js("return document.querySelector('#new-conversation-dialog').open")));
            assertTrue(page.visible("#new-number"));
        }
    }
}
