package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.gateway.support.Browser;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Conversations are ordered by the gateway's clock only. The page used to stamp a message it just sent
 * with the browser's clock, so with the browser ahead of the gateway the conversation last written to
 * stayed above one that then received a newer message (and IndexedDB kept it so). Whether the page
 * shows the sent message provisionally first depends on whether the POST answer or the stream event
 * arrives first; both paths must keep the order. Here the gateway's clock is 5 minutes behind.
 */
class WebConversationOrderClockSkewTest {
    private static final String A = "+390624240001";

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    @Test
    void aConversationWithANewerIncomingMessageIsAboveTheOneLastWrittenToEvenWhenTheBrowsersClockIsAhead() throws Exception {
        gw.clock.advance(Duration.ofMinutes(-5));
        Device a = gw.primary(A);
        Device b = gw.primary("+390624240002");
        Device c = gw.primary("+390624240003");
        try (Browser browser = Browser.open()) {
            InboxPage page = InboxPage.linked(browser, gw.uri(), a);
            b.client().send(A, "hi from B");
            page.openConversation(b.number());
            page.send("hi B");
            Eventually.await("B has the reply", InboxPage.WAIT, () -> b.client().conversationWith(A)
                    .map(cv -> b.client().allMessages(cv.get("id").asText()).size() == 2).orElse(false));
            page.awaitMessage("hi B", InboxPage.WAIT, m -> m.status().equals("delivered"));
            gw.clock.advance(Duration.ofSeconds(10));
            c.client().send(A, "a newer message from C");
            page.await("C's conversation listed", InboxPage.WAIT, () -> page.peers().contains(c.number()));
            assertEquals(c.number(), page.peers().get(0), "the conversation with the newest message is on top: " + page.peers());
        }
    }
}
