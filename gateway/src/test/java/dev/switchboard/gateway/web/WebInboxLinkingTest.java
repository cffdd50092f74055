package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.LinkQr;
import dev.switchboard.gateway.support.Browser;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A browser becomes a companion device by showing a QR code the primary approves, and stops being one on log out. */
class WebInboxLinkingTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static List<JsonNode> companions(Device primary) {
        return primary.client().devices().stream().filter(d -> d.get("kind").asText().equals("companion")).toList();
    }

    @Test
    void theJavaPrimaryApprovesTheQrCodeThePageShowsAndThePageOpensTheInbox() throws Exception {
        Device primary = gw.primary("+390618180001");
        try (Browser browser = Browser.open()) {
            InboxPage page = InboxPage.open(browser, gw.uri());
            String qr = page.awaitQr();
            assertTrue(qr.startsWith("sblink:2:"), qr);
            assertEquals(qr, page.text("#link-text"), "the text under 'Can't scan?' is the QR code's");
            assertTrue(page.visible("#link-qr svg"), "the QR code is drawn");
            assertTrue(page.text(".link-steps").contains("approve"), "the page says how to scan it");
            page.screenshot("link.png");

            primary.client().approveLink(qr, primary.keys());
            page.awaitInbox();
            assertEquals("+390618180001", page.text("#my-number"));
            assertFalse(page.visible("#link-view"));
            List<JsonNode> companions = companions(primary);
            assertEquals(1, companions.size());
            assertTrue(companions.get(0).get("name").asText().startsWith("Web inbox"), companions.get(0).toString());

            // A reload keeps the device: no QR code again, straight to the inbox.
            browser.driver().navigate().refresh();
            page.awaitInbox();
            assertFalse(page.visible("#link-view"));
            page.assertNoProblems();
        }
    }

    @Test
    void anExpiredCodeIsReplacedByANewOneWithoutTouchingThePage() throws Exception {
        try (Browser browser = Browser.open()) {
            InboxPage page = InboxPage.open(browser, gw.uri());
            String first = page.awaitQr();
            gw.clock.advance(Duration.ofMinutes(3));
            page.await("a new QR code", InboxPage.WAIT, () -> page.qr() != null && !page.qr().equals(first));
            assertNotEquals(LinkQr.parse(first).linkId(), LinkQr.parse(page.qr()).linkId());
            // The new one works.
            Device primary = gw.primary("+390618180002");
            primary.client().approveLink(page.qr(), primary.keys());
            page.awaitInbox();
            page.assertNoProblems();
        }
    }

    /**
     * The page renews its code before the gateway would let it expire: its timer runs from the
     * gateway's expiresAt. The gateway's clock is set so a fresh code has 25 s left by the
     * browser's clock, and then held still, so the gateway never expires it: a new code showing up
     * can only be the page's own renewal ahead of expiry.
     */
    @Test
    void theCodeIsRenewedBeforeItExpires() throws Exception {
        Duration back = Duration.ofSeconds(120 - 25);
        gw.clock.advance(back.negated());
        try (Browser browser = Browser.open()) {
            InboxPage page = InboxPage.open(browser, gw.uri());
            String first = page.awaitQr();
            java.time.Instant opened = gw.clock.instant();
            page.await("a renewed QR code", InboxPage.WAIT, () -> page.qr() != null && !page.qr().equals(first));
            assertEquals(opened, gw.clock.instant(), "the gateway's clock stood still: the first code never expired there");
            assertNotEquals(LinkQr.parse(first).linkId(), LinkQr.parse(page.qr()).linkId());
            assertEquals(LinkQr.parse(first).identityKey(), LinkQr.parse(page.qr()).identityKey(), "the same browser keys");
            Device primary = gw.primary("+390618180004");
            primary.client().approveLink(page.qr(), primary.keys());
            page.awaitInbox();
            page.assertNoProblems();
        } finally {
            gw.clock.advance(back);
        }
    }

    @Test
    void logOutUnlinksTheBrowserAndShowsAFreshCode() throws Exception {
        Device primary = gw.primary("+390618180003");
        try (Browser browser = Browser.open()) {
            InboxPage page = InboxPage.linked(browser, gw.uri(), primary);
            String firstIdentity = LinkQr.parse(page.qr()).identityKey();
            assertEquals(1, companions(primary).size());
            browser.driver().findElement(org.openqa.selenium.By.id("logout")).click();
            Eventually.await("the browser unlinked", InboxPage.WAIT, () -> companions(primary).isEmpty());
            page.await("the link page with a new code", InboxPage.WAIT, () -> page.visible("#link-view") && page.qr() != null);
            assertNotEquals(firstIdentity, LinkQr.parse(page.qr()).identityKey(), "log out forgot the old keys");
            page.assertNoProblems();
        }
    }
}
