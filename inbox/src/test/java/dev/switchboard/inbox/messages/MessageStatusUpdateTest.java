package dev.switchboard.inbox.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.inbox.TestDatabase;
import dev.switchboard.inbox.devices.DevicePolicy;
import dev.switchboard.inbox.devices.DeviceService;
import dev.switchboard.inbox.devices.NumberService;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.MessageStatus;
import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The status state machine on stored messages: forward only, with one sync event per real change. */
class MessageStatusUpdateTest {
    private static Vertx vertx;
    private static Pool pool;
    private static MessageService messages;
    private static SyncLog syncLog;
    private static Device sender;

    @BeforeAll
    static void setUp() throws Exception {
        vertx = Vertx.vertx();
        pool = TestDatabase.freshPool(vertx, 8);
        syncLog = new SyncLog(pool);
        Transactor db = new Transactor(pool, syncLog, Clock.systemUTC(), events -> { });
        Ids ids = new Ids(new SecureRandom());
        DevicePolicy policy = new DevicePolicy(4, Duration.ofDays(14), Duration.ofMinutes(2), Duration.ofHours(1));
        String code = await(new NumberService(db, ids, policy).serve("+390601010101", null)).enrollmentCode();
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        sender = await(new DeviceService(db, ids, Clock.systemUTC()).enrollPrimary("+390601010101", code, "phone", key, key)).device();
        messages = new MessageService(db, ids);
    }

    @AfterAll
    static void tearDown() throws Exception {
        await(pool.close());
        await(vertx.close());
    }

    private static String queuedMessage(String key) throws Exception {
        var result = await(messages.send(sender, new SendRequest("+15550001234", MessageContent.text("hi"), key, key.getBytes())));
        assertEquals("queued", result.accepted().getString("status"), "an off-net message waits in the outbox");
        return result.accepted().getString("id");
    }

    private static List<String> updates(String id) throws Exception {
        return await(syncLog.read(sender.number(), 0, 1000)).events().stream()
                .filter(e -> e.type().equals(SyncEvent.MESSAGE_UPDATED) && e.data().getString("id").equals(id))
                .map(e -> e.data().getString("status")).toList();
    }

    @Test
    void lateDeliveryReceiptAfterReadChangesNothing() throws Exception {
        String id = queuedMessage("k1");
        assertTrue(await(messages.updateStatus(id, MessageStatus.SENT, null)).isPresent());
        assertTrue(await(messages.updateStatus(id, MessageStatus.READ, null)).isPresent());
        assertTrue(await(messages.updateStatus(id, MessageStatus.DELIVERED, null)).isEmpty());
        assertTrue(await(messages.updateStatus(id, MessageStatus.FAILED, "late failure")).isEmpty());
        assertEquals(List.of("sent", "read"), updates(id));
    }

    @Test
    void failureKeepsItsReasonAndIsFinal() throws Exception {
        String id = queuedMessage("k2");
        var failed = await(messages.updateStatus(id, MessageStatus.FAILED, "ESME_RINVDSTADR"));
        assertEquals("ESME_RINVDSTADR", failed.orElseThrow().statusReason());
        assertTrue(await(messages.updateStatus(id, MessageStatus.DELIVERED, null)).isEmpty());
        assertEquals(List.of("failed"), updates(id));
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
