package dev.switchboard.inbox.messages;

import static dev.switchboard.inbox.messages.MessageStatusUpdateTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.inbox.TestDatabase;
import dev.switchboard.inbox.devices.DevicePolicy;
import dev.switchboard.inbox.devices.DeviceService;
import dev.switchboard.inbox.devices.NumberService;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.Conversation;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The conversation list: most recent first, page by page, each conversation with its newest message. */
class ConversationListTest {
    private static final String NUMBER = "+390601020304";
    private static final String ALICE = "+15550001111";
    private static final String BOB = "+15550002222";
    private static final String CAROL = "+15550003333";

    private static final MessageStatusUpdateTest.SteppingClock clock =
            new MessageStatusUpdateTest.SteppingClock(Instant.parse("2030-03-04T05:06:07Z"));
    private static Vertx vertx;
    private static Pool pool;
    private static MessageService messages;
    private static InboundService inbound;
    private static ConversationQueries queries;
    private static Device phone;
    private static int sent;

    @BeforeAll
    static void setUp() throws Exception {
        vertx = Vertx.vertx();
        pool = TestDatabase.freshPool(vertx, 4);
        Transactor db = new Transactor(pool, new SyncLog(pool), clock, events -> { });
        Ids ids = new Ids(new SecureRandom());
        DevicePolicy policy = new DevicePolicy(4, Duration.ofDays(14), Duration.ofMinutes(2), Duration.ofHours(1));
        String code = await(new NumberService(db, ids, policy).serve(NUMBER, null)).enrollmentCode();
        phone = await(new DeviceService(db, ids, clock).enrollPrimary(NUMBER, code, "phone", dev.switchboard.inbox.TestKeys.signed())).device();
        messages = new MessageService(db, ids);
        inbound = new InboundService(db, ids);
        queries = new ConversationQueries(pool);

        // Interleaved, so each conversation's newest message is neither its first nor the newest overall.
        send(ALICE, "alice 1");
        send(BOB, "bob 1");
        receive(CAROL, "carol 1");
        send(ALICE, "alice 2");
        receive(BOB, "bob 2");
        send(CAROL, "carol 2");
        receive(ALICE, "alice 3");
    }

    @AfterAll
    static void tearDown() throws Exception {
        await(pool.close());
        await(vertx.close());
    }

    private static void send(String to, String text) throws Exception {
        clock.advance(Duration.ofSeconds(1));
        String key = "k" + (++sent);
        await(messages.send(phone, new SendRequest(to, MessageContent.text(text), key, key.getBytes())));
    }

    private static void receive(String from, String text) throws Exception {
        clock.advance(Duration.ofSeconds(1));
        await(inbound.receive(new InboundMessage(NUMBER, from, Channel.SMS, MessageContent.text(text), null)));
    }

    @Test
    void eachConversationShowsItsNewestMessageOnEveryPage() throws Exception {
        ConversationQueries.ConversationPage first = await(queries.conversations(NUMBER, 2, null, null));
        assertEquals(List.of(ALICE, CAROL), first.conversations().stream().map(Conversation::peer).toList());
        assertEquals(List.of("alice 3", "carol 2"), previews(first));
        assertEquals(List.of(1, 1), first.conversations().stream().map(Conversation::unread).toList());

        ConversationQueries.ConversationPage second = await(queries.conversations(NUMBER, 2, first.next(), null));
        assertEquals(List.of(BOB), second.conversations().stream().map(Conversation::peer).toList());
        assertEquals(List.of("bob 2"), previews(second));
        assertNull(second.next());
    }

    @Test
    void aConversationFoundByPeerShowsItsNewestMessage() throws Exception {
        ConversationQueries.ConversationPage page = await(queries.conversations(NUMBER, 5, null, BOB));
        assertEquals(List.of("bob 2"), previews(page));
    }

    private static List<String> previews(ConversationQueries.ConversationPage page) {
        return page.conversations().stream().map(c -> c.lastMessage().content().text()).toList();
    }
}
