package dev.switchboard.inbox.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.TestDatabase;
import dev.switchboard.inbox.devices.DevicePolicy;
import dev.switchboard.inbox.devices.DeviceService;
import dev.switchboard.inbox.devices.NumberService;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.DeliveryAttempt;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.MessageStatus;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RCS outbox hands a message to the SMS queue exactly once: after a fall-back only the SMS
 * worker can claim it, and the attempts say why.
 */
class RcsOutboxStoreTest {
    private static final String NUMBER = "+390601020301";
    private static final Clock clock = Clock.fixed(Instant.parse("2030-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final ChannelPolicy ALWAYS_RCS = (tx, from, to, requested, content) -> Future.succeededFuture(
            new ChannelPolicy.Decision(Channel.RCS, requested == RequestedChannel.RCS, tx.now().plus(Duration.ofMinutes(5))));

    private static Vertx vertx;
    private static Pool pool;
    private static MessageService messages;
    private static RcsOutboxStore rcs;
    private static OutboxStore sms;
    private static ConversationQueries queries;
    private static Device sender;

    @BeforeAll
    static void setUp() throws Exception {
        vertx = Vertx.vertx();
        pool = TestDatabase.freshPool(vertx, 8);
        Transactor db = new Transactor(pool, new SyncLog(pool), clock, events -> { });
        Ids ids = new Ids(new SecureRandom());
        DevicePolicy policy = new DevicePolicy(4, Duration.ofDays(14), Duration.ofMinutes(2), Duration.ofHours(1));
        String code = await(new NumberService(db, ids, policy).serve(NUMBER, null)).enrollmentCode();
        sender = await(new DeviceService(db, ids, clock).enrollPrimary(NUMBER, code, "phone", dev.switchboard.inbox.TestKeys.signed())).device();
        messages = new MessageService(db, ids, ALWAYS_RCS);
        rcs = new RcsOutboxStore(db, clock);
        sms = new OutboxStore(db, clock);
        queries = new ConversationQueries(pool);
    }

    @AfterAll
    static void tearDown() throws Exception {
        await(pool.close());
        await(vertx.close());
    }

    private static String send(String peer) throws Exception {
        String key = UUID.randomUUID().toString();
        return await(messages.send(sender, new SendRequest(peer, MessageContent.text("hi"), key, key.getBytes()))).accepted()
                .getString("id");
    }

    private static Message message(String id) throws Exception {
        return await(queries.messages(NUMBER, conversationOf(id), null, 50)).messages().stream()
                .filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }

    private static String conversationOf(String id) throws Exception {
        return await(pool.preparedQuery("SELECT conversation_id FROM messages WHERE id = $1").execute(io.vertx.sqlclient.Tuple.of(id)))
                .iterator().next().getString(0);
    }

    private static List<String> claimedRcs() throws Exception {
        return await(rcs.claim(100)).stream().map(RcsOutboxItem::messageId).toList();
    }

    private static List<String> claimedSms() throws Exception {
        return await(sms.claim(100)).stream().map(OutboxItem::messageId).toList();
    }

    @Test
    void aFallbackMovesTheMessageFromTheRcsQueueToTheSmsQueueOnce() throws Exception {
        String id = send("+447700900701");
        assertEquals(Channel.RCS, message(id).channel());
        assertTrue(claimedRcs().contains(id));
        assertTrue(!claimedSms().contains(id), "the SMS worker never sees an RCS row");

        await(rcs.fallBackToSms(id, "rbm1", "unreachable", "HTTP 404"));
        assertTrue(!claimedRcs().contains(id), "gone from the RCS queue");
        assertEquals(List.of(id), claimedSms().stream().filter(id::equals).toList());
        assertTrue(!claimedSms().contains(id), "claimed once");

        Message m = message(id);
        assertEquals(Channel.SMS, m.channel());
        assertEquals(MessageStatus.QUEUED, m.status());
        assertEquals(List.of("unreachable", "fallback"), m.attempts().stream().map(DeliveryAttempt::result).toList());
        assertEquals("HTTP 404", m.attempts().get(0).reason());
        assertEquals("rbm1", m.attempts().get(0).provider());
    }

    @Test
    void anAcceptedMessageLeavesTheQueueAsSentOverRcs() throws Exception {
        String id = send("+447700900702");
        assertTrue(claimedRcs().contains(id));
        await(rcs.recordSend(id, "rbm1", id, "sent"));
        await(rcs.accepted(id, "rbm1", "HTTP 200"));
        Message m = message(id);
        assertEquals(MessageStatus.SENT, m.status());
        assertEquals(Channel.RCS, m.channel());
        assertEquals(List.of("accepted"), m.attempts().stream().map(DeliveryAttempt::result).toList());
        await(rcs.recover());
        assertTrue(!claimedRcs().contains(id) && !claimedSms().contains(id), "in no queue");
    }

    @Test
    void anUnconfirmedRevocationEndsTheMessageWithoutSms() throws Exception {
        String id = send("+447700900703");
        claimedRcs();
        await(rcs.recordSend(id, "rbm1", id, "unknown"));
        assertEquals(List.of(id), await(rcs.sendsOf(id, "rbm1")));
        await(rcs.abandonedUnconfirmed(id, "rbm1", "HTTP 500"));
        Message m = message(id);
        assertEquals(MessageStatus.SENT, m.status());
        assertEquals("revocation_failed", m.attempts().get(m.attempts().size() - 1).result());
        await(rcs.recover());
        assertTrue(!claimedRcs().contains(id) && !claimedSms().contains(id), "in no queue");
    }

    @Test
    void aPeerThatUnsubscribedIsRefused() throws Exception {
        String peer = "+447700900704";
        send(peer);
        await(new RcsPeers(new Transactor(pool, new SyncLog(pool), clock, events -> { }), new Ids(new SecureRandom()))
                .setSubscribed(NUMBER, peer, false));
        String key = UUID.randomUUID().toString();
        Throwable e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> await(messages.send(sender, new SendRequest(peer, MessageContent.text("again"), key, key.getBytes()))));
        Throwable cause = e.getCause() == null ? e : e.getCause();
        assertTrue(cause instanceof InboxException ie && ie.code().equals("peer_unsubscribed"), cause.toString());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
