package dev.switchboard.inbox.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.inbox.TestDatabase;
import dev.switchboard.inbox.devices.DevicePolicy;
import dev.switchboard.inbox.devices.DeviceService;
import dev.switchboard.inbox.devices.NumberService;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.Part;
import dev.switchboard.inbox.model.Suggestion;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An SMS "2" answering a rich message that went out as SMS is stored as an answer to its second suggestion. */
class NumberedRepliesTest {
    private static final String SERVED = "+390602020202";
    private static final AtomicInteger PEERS = new AtomicInteger();

    private static Vertx vertx;
    private static Pool pool;
    private static MessageService messages;
    private static InboundService inbound;
    private static ConversationQueries queries;
    private static Device sender;

    /** Two reply suggestions on a card (the second without postback data) and a dial action on the message. */
    private static final MessageContent MENU = new MessageContent(
            List.of(new Part.Text("Tonight's pizza?"),
                    new Part.RichCard("Margherita", "Tomato and mozzarella", null,
                            List.of(new Suggestion.Reply("Margherita", "pizza:margherita"), new Suggestion.Reply("Marinara", "pizza:marinara")))),
            List.of(new Suggestion.Reply("Nothing", null), new Suggestion.Dial("Call us", "+390600000009")),
            null);

    @BeforeAll
    static void setUp() throws Exception {
        vertx = Vertx.vertx();
        pool = TestDatabase.freshPool(vertx, 8);
        Clock clock = Clock.systemUTC();
        Transactor db = new Transactor(pool, new SyncLog(pool), clock, events -> { });
        Ids ids = new Ids(new SecureRandom());
        DevicePolicy policy = new DevicePolicy(4, Duration.ofDays(14), Duration.ofMinutes(2), Duration.ofHours(1));
        String code = await(new NumberService(db, ids, policy).serve(SERVED, null)).enrollmentCode();
        sender = await(new DeviceService(db, ids, clock).enrollPrimary(SERVED, code, "phone", dev.switchboard.inbox.TestKeys.signed())).device();
        messages = new MessageService(db, ids);
        inbound = new InboundService(db, ids);
        queries = new ConversationQueries(pool);
    }

    @AfterAll
    static void tearDown() throws Exception {
        await(pool.close());
        await(vertx.close());
    }

    private static String newPeer() {
        return "+4477009%05d".formatted(PEERS.incrementAndGet());
    }

    private static void sendSms(String peer, MessageContent content) throws Exception {
        String key = UUID.randomUUID().toString();
        SendResult result = await(messages.send(sender, new SendRequest(peer, content, key, key.getBytes())));
        assertEquals("sms", result.accepted().getString("channel"), "an off-net message goes out as SMS");
    }

    /** Receives the SMS and returns the message as it was stored (read back, not as returned). */
    private static Message receive(String peer, String text) throws Exception {
        Message in = await(inbound.receive(new InboundMessage(SERVED, peer, Channel.SMS, MessageContent.text(text),
                "smpp:test:" + UUID.randomUUID())));
        return await(queries.messages(SERVED, in.conversationId(), null, 100)).messages().stream()
                .filter(m -> m.id().equals(in.id())).findFirst().orElseThrow();
    }

    @Test
    void numberPicksThatSuggestionAndKeepsTheTextAsReceived() throws Exception {
        String peer = newPeer();
        sendSms(peer, MENU);
        Message in = receive(peer, "2");
        assertEquals(new MessageContent.InReplyTo("pizza:marinara", "Marinara"), in.content().inReplyTo());
        assertEquals(List.of(new Part.Text("2")), in.content().parts(), "the parts stay as received");
        assertEquals("2", in.content().text());
    }

    @Test
    void numberWithADotOrParenthesisAndSpacesAlsoMaps() throws Exception {
        String peer = newPeer();
        sendSms(peer, MENU);
        assertEquals(new MessageContent.InReplyTo("pizza:marinara", "Marinara"), receive(peer, "2.").content().inReplyTo());
        assertEquals(new MessageContent.InReplyTo("pizza:margherita", "Margherita"), receive(peer, " 1) ").content().inReplyTo());
    }

    @Test
    void replyWithoutPostbackDataAnswersWithItsTextAndAnActionWithItsText() throws Exception {
        String peer = newPeer();
        sendSms(peer, MENU);
        assertEquals(new MessageContent.InReplyTo("Nothing", "Nothing"), receive(peer, "3").content().inReplyTo(),
                "numbering runs through the card's suggestions, then the message's");
        assertEquals(new MessageContent.InReplyTo("Call us", "Call us"), receive(peer, "4").content().inReplyTo());
    }

    @Test
    void numberBeyondTheListDoesNotMap() throws Exception {
        String peer = newPeer();
        sendSms(peer, MENU);
        assertNull(receive(peer, "7").content().inReplyTo());
        assertNull(receive(peer, "5").content().inReplyTo(), "four suggestions: 5 is one too many");
        assertNull(receive(peer, "0").content().inReplyTo());
    }

    @Test
    void plainTextDoesNotMap() throws Exception {
        String peer = newPeer();
        sendSms(peer, MENU);
        assertNull(receive(peer, "Margherita please").content().inReplyTo());
        assertNull(receive(peer, "2 pizzas").content().inReplyTo());
        assertNull(receive(peer, "2.5").content().inReplyTo());
    }

    @Test
    void newerOutboundMessageWithoutSuggestionsCancelsTheMapping() throws Exception {
        String peer = newPeer();
        sendSms(peer, MENU);
        assertEquals("pizza:marinara", receive(peer, "2").content().inReplyTo().postbackData());
        sendSms(peer, MessageContent.text("Sorry, we are closed tonight"));
        Message in = receive(peer, "2");
        assertNull(in.content().inReplyTo(), "only the latest outbound SMS counts");
        assertEquals("2", in.content().text());
    }

    @Test
    void numberWithNoOutboundMessageStaysText() throws Exception {
        assertNull(receive(newPeer(), "1").content().inReplyTo());
    }

    @Test
    void parseAcceptsOneToNinetyNineWithAnOptionalDotOrParenthesis() {
        assertEquals(OptionalInt.of(2), NumberedReplies.parse("2"));
        assertEquals(OptionalInt.of(2), NumberedReplies.parse("2."));
        assertEquals(OptionalInt.of(2), NumberedReplies.parse("2)"));
        assertEquals(OptionalInt.of(12), NumberedReplies.parse("\n12 "));
        assertEquals(OptionalInt.of(99), NumberedReplies.parse("99"));
        for (String no : new String[] {"", " ", "0", "100", "02", "-1", "2..", "(2)", "two", "2 2", "#2", null}) {
            assertTrue(NumberedReplies.parse(no).isEmpty(), String.valueOf(no));
        }
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
