package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.SentMessage;
import dev.switchboard.gateway.smpp.SmscSimulator;
import dev.switchboard.gateway.support.Browser;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;

/**
 * The page receives and sends: SMS from a handset through a carrier's SMSC, on-net messages from a
 * number whose primary is the Java client, with unread counts and ticks moving both ways.
 */
class WebMessagingTest {
    private static final String A = "+390619190001";
    private static final String B = "+390619190002";
    private static final String HANDSET = "+447700919003";
    private static final String NEW_HANDSET = "+447700919004";
    private static final ObjectMapper JSON = new ObjectMapper();

    static final SmscSimulator smsc = SmscSimulator.start("switchboard", "pw");

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of("SWITCHBOARD_SMPP_CARRIERS",
            "[{\"id\":\"acme\",\"host\":\"127.0.0.1\",\"port\":" + smsc.port() + ",\"systemId\":\"switchboard\",\"password\":\"pw\","
                    + "\"window\":4,\"throughput\":500,\"receiptIdBase\":\"hex\",\"dataCoding1\":\"gsm7\",\"prefixes\":[\"+44\"]},"
                    // A carrier that is down (nothing listens): what goes to it stays queued.
                    + "{\"id\":\"down\",\"host\":\"127.0.0.1\",\"port\":" + closedPort() + ",\"systemId\":\"switchboard\",\"password\":\"pw\","
                    + "\"window\":4,\"throughput\":500,\"receiptIdBase\":\"hex\",\"dataCoding1\":\"gsm7\",\"prefixes\":[\"+33\"]}]"));

    private static int closedPort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Device a;
    private static Device b;
    private static Browser browser;
    private static InboxPage page;

    @BeforeAll
    static void linkTheBrowser() throws Exception {
        smsc.awaitBound(InboxPage.WAIT);
        a = gw.primary(A);
        b = gw.primary(B);
        browser = Browser.open();
        page = InboxPage.linked(browser, gw.uri(), a);
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        smsc.close();
    }

    /** Each test starts from a freshly loaded page with no conversation open, whatever ran before it. */
    @BeforeEach
    void freshPage() {
        // Time passes between tests: the gateway's clock (held still within a test) moves up to the
        // wall clock, so what a test causes is newer than anything an earlier one left behind,
        // including what the page stamped with the browser's clock.
        java.time.Duration behind = java.time.Duration.between(gw.clock.instant(), java.time.Instant.now());
        if (!behind.isNegative()) {
            gw.clock.advance(behind.plusSeconds(1));
        }
        browser.driver().manage().window().setSize(new Dimension(1280, 900));
        browser.driver().navigate().refresh();
        page.awaitInbox();
    }

    @AfterEach
    void noPageProblems() {
        page.assertNoProblems();
    }

    private static JsonNode bMessage(String text) {
        return b.client().conversationWith(A).map(c -> b.client().allMessages(c.get("id").asText())).orElse(List.of()).stream()
                .filter(m -> text.equals(m.path("text").asText(null))).findFirst().orElse(null);
    }

    @Test
    void anSmsFromAHandsetAppearsWithinASecondAndRepliesGoOutAsSmsWithTicksFromTheReceipts() throws Exception {
        page.watchFor("sms", InboxPage.listShows(HANDSET, 1));
        smsc.mobileOriginated(HANDSET.substring(1), A.substring(1), "Is my order ready?".getBytes(StandardCharsets.US_ASCII), (byte) 0);
        // The gateway answered the deliver_sm: the message is committed; the open page shows it within
        // a second (measured in the page; the wait for the measurement has ample headroom).
        long committed = System.currentTimeMillis();
        long shown = page.seenAt("sms");
        assertTrue(shown - committed <= 1000, "the SMS appeared " + (shown - committed) + " ms after the gateway committed it");
        assertEquals(HANDSET, page.peers().get(0), "the newest conversation is on top");

        page.openConversation(HANDSET);
        page.awaitMessage("Is my order ready?", InboxPage.WAIT, m -> m.direction().equals("in"));
        page.await("the unread count cleared", InboxPage.WAIT, () -> page.unread(HANDSET) == 0);
        assertEquals("Not end-to-end encrypted (SMS)", page.text(".not-e2ee-notice"));
        assertFalse(page.visible("#e2ee-badge"));

        // The live SMS counter: GSM-7 (the euro sign is an extension character), then UCS-2.
        page.composer().sendKeys("Yes, 10€");
        assertTrue(page.text("#sms-counter").startsWith("1 SMS, GSM-7 (9/160)"), page.text("#sms-counter"));
        page.composer().sendKeys(" — ready");
        assertTrue(page.text("#sms-counter").startsWith("1 SMS, UCS-2"), page.text("#sms-counter"));
        int before = smsc.submitted().size();
        page.composer().sendKeys(Keys.ENTER);
        String reply = "Yes, 10€ — ready";
        smsc.awaitSubmitted(before + 1, InboxPage.WAIT);
        SmscSimulator.Submitted submitted = smsc.submittedTo(HANDSET).get(0);
        assertEquals(reply, submitted.text());
        page.awaitMessage(reply, InboxPage.WAIT, m -> m.status().equals("sent"));
        smsc.receipt(submitted.messageId(), "DELIVRD", "000");
        page.awaitMessage(reply, InboxPage.WAIT, m -> m.status().equals("delivered") && m.title().equals("Delivered"));

        // A failed one says why on hover.
        page.send("Second try");
        smsc.awaitSubmitted(before + 2, InboxPage.WAIT);
        page.awaitMessage("Second try", InboxPage.WAIT, m -> m.status().equals("sent"));
        smsc.receipt(smsc.submittedTo(HANDSET).get(1).messageId(), "UNDELIV", "001");
        page.awaitMessage("Second try", InboxPage.WAIT, m -> m.status().equals("failed"));
        String title = page.message("Second try").title();
        assertTrue(title.startsWith("Failed: ") && title.contains("UNDELIV"), title);
    }

    @Test
    void onNetMessagesShowTicksThatMoveWhenEitherSideReads() throws Exception {
        page.watchFor("on-net", InboxPage.listShows(B, 1));
        SentMessage fromB = b.client().send(A, "Lunch at one?");
        long committed = System.currentTimeMillis();
        long shown = page.seenAt("on-net");
        assertTrue(shown - committed <= 1000, "B's message appeared " + (shown - committed) + " ms after the gateway accepted it");

        page.openConversation(B);
        page.awaitMessage("Lunch at one?", InboxPage.WAIT, m -> m.direction().equals("in"));
        // Reading it in the page moves B's tick to read.
        Eventually.await("B's message read", InboxPage.WAIT, () -> "read".equals(bMessage("Lunch at one?").path("status").asText()));
        assertEquals(fromB.id(), bMessage("Lunch at one?").get("id").asText());

        // Shift+Enter is a new line; Enter sends.
        page.composer().sendKeys("Yes!", Keys.chord(Keys.SHIFT, Keys.ENTER), "See you there", Keys.ENTER);
        String sent = "Yes!\nSee you there";
        Eventually.await("B has the reply", InboxPage.WAIT, () -> bMessage(sent) != null);
        page.awaitMessage(sent, InboxPage.WAIT, m -> m.status().equals("delivered") && m.direction().equals("out"));
        assertEquals("", page.composer().getAttribute("value"), "the composer is empty again");
        b.client().markRead(bMessage(sent).get("conversationId").asText(), bMessage(sent).get("id").asText());
        page.awaitMessage(sent, InboxPage.WAIT, m -> m.status().equals("read") && m.title().equals("Read"));

        // B types: the page says so.
        b.client().typing(bMessage(sent).get("conversationId").asText(), true);
        page.await("the typing indicator", InboxPage.WAIT, () -> page.visible("#typing-indicator"));
        assertEquals(B + " is typing…", page.text("#typing-indicator"));

        // A rich card with suggestion chips; tapping one replies with its text.
        ObjectNode rich = JSON.createObjectNode().put("to", A);
        rich.putArray("parts").addObject().put("type", "richCard").put("title", "Table for two at 13:00")
                .put("description", "Trattoria da Enzo, Via dei Vascellari 29");
        rich.putArray("suggestions").add(JSON.createObjectNode().put("type", "reply").put("text", "Confirm").put("postbackData", "c1"))
                .add(JSON.createObjectNode().put("type", "reply").put("text", "Cancel").put("postbackData", "c2"));
        b.client().send(rich, "rich-1");
        page.await("the rich card", InboxPage.WAIT, () -> page.visible("#thread .rich-card h3"));
        assertEquals("Table for two at 13:00", page.text("#thread .rich-card h3"));
        page.click(By.xpath("//*[@id='thread']//button[contains(@class,'chip') and text()='Confirm']"));
        Eventually.await("B has the chip's reply", InboxPage.WAIT, () -> bMessage("Confirm") != null);
        page.awaitMessage("Confirm", InboxPage.WAIT, m -> m.status().equals("delivered"));
        // Both conversations in the list, newest first.
        assertEquals(B, page.peers().get(0));
        page.screenshot("inbox.png");

        // At a phone's width the thread takes the whole screen, with a way back to the list.
        browser.driver().manage().window().setSize(new Dimension(412, 860));
        try {
            page.await("the phone layout", InboxPage.WAIT, () -> page.visible(".back-button") && !page.visible("#conversation-list"));
            page.screenshot("thread.png");
            page.click(By.cssSelector(".back-button"));
            page.await("the list again", InboxPage.WAIT, () -> page.visible("#conversation-list") && !page.visible("#thread"));
        } finally {
            browser.driver().manage().window().setSize(new Dimension(1280, 900));
        }
        page.openConversation(B);
    }

    @Test
    void aNewConversationChecksTheNumberAndItsFirstMessageStartsIt() throws Exception {
        browser.driver().findElement(By.id("new-conversation")).click();
        page.await("the new chat dialog", InboxPage.WAIT, () -> page.visible("#new-number"));
        browser.driver().findElement(By.id("new-number")).sendKeys("0612", Keys.ENTER);
        page.await("the number refused", InboxPage.WAIT, () -> !page.text("#new-number-error").isEmpty());
        assertTrue(page.text("#new-number-error").contains("+"), page.text("#new-number-error"));
        browser.driver().findElement(By.id("new-number")).clear();
        browser.driver().findElement(By.id("new-number")).sendKeys("+44 7700 919004", Keys.ENTER);
        page.await("the new thread", InboxPage.WAIT, () -> NEW_HANDSET.equals(page.text("#thread-peer")));
        assertTrue(page.visible("#sms-counter"), "a carrier number goes by SMS: the counter shows");
        int before = smsc.submitted().size();
        page.send("Hello from the web inbox");
        smsc.awaitSubmitted(before + 1, InboxPage.WAIT);
        assertEquals("Hello from the web inbox", smsc.submittedTo(NEW_HANDSET).get(0).text());
        page.await("the new conversation in the list", InboxPage.WAIT, () -> page.peers().contains(NEW_HANDSET));
        assertNotNull(page.message("Hello from the web inbox"));
    }

    @Test
    void aMessageTheCarrierHasNotTakenYetShowsAsQueued() throws Exception {
        String france = "+33612345678";
        browser.driver().findElement(By.id("new-conversation")).click();
        page.await("the new chat dialog", InboxPage.WAIT, () -> page.visible("#new-number"));
        browser.driver().findElement(By.id("new-number")).sendKeys("+33 6 12 34 56 78", Keys.ENTER);
        page.await("the new thread", InboxPage.WAIT, () -> france.equals(page.text("#thread-peer")));
        page.send("Bonjour");
        page.awaitMessage("Bonjour", InboxPage.WAIT, m -> !m.id().startsWith("pending:"));
        InboxPage.Shown queued = page.message("Bonjour");
        assertEquals("queued", queued.status(), String.valueOf(queued));
        assertEquals("Queued", queued.title());
        assertEquals(true, page.js("const t = document.querySelector(`#thread [data-message-id=\"${arguments[0]}\"] .ticks`);"
                + " return !!t && t.classList.contains('ticks-queued') && !!t.querySelector('svg') && t.getAttribute('aria-label') === 'Queued';", queued.id()),
                "a clock, labelled Queued, not a tick");
    }
}
