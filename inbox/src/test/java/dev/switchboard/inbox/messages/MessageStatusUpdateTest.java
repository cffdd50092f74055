package dev.switchboard.inbox.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.inbox.TestDatabase;
import dev.switchboard.inbox.devices.DevicePolicy;
import dev.switchboard.inbox.devices.DeviceService;
import dev.switchboard.inbox.devices.NumberService;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.MessageStatus;
import dev.switchboard.inbox.model.StatusChange;
import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
    private static ConversationQueries queries;
    private static final SteppingClock clock = new SteppingClock(Instant.parse("2030-01-02T03:04:05.123456Z"));

    /** A clock tests move by hand, so history times are exact. */
    static final class SteppingClock extends Clock {
        private volatile Instant now;

        SteppingClock(Instant start) { this.now = start; }

        void advance(Duration d) { now = now.plus(d); }

        @Override
        public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override
        public Clock withZone(ZoneId zone) { return this; }

        @Override
        public Instant instant() { return now; }
    }

    @BeforeAll
    static void setUp() throws Exception {
        vertx = Vertx.vertx();
        pool = TestDatabase.freshPool(vertx, 8);
        syncLog = new SyncLog(pool);
        Transactor db = new Transactor(pool, syncLog, clock, events -> { });
        Ids ids = new Ids(new SecureRandom());
        DevicePolicy policy = new DevicePolicy(4, Duration.ofDays(14), Duration.ofMinutes(2), Duration.ofHours(1));
        String code = await(new NumberService(db, ids, policy).serve("+390601010101", null)).enrollmentCode();
        sender = await(new DeviceService(db, ids, clock).enrollPrimary("+390601010101", code, "phone", dev.switchboard.inbox.TestKeys.signed())).device();
        messages = new MessageService(db, ids);
        queries = new ConversationQueries(pool);
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

    /** The message as {@code GET /v1/conversations/{id}/messages} reads it. */
    private static Message stored(String id) throws Exception {
        String conversation = await(syncLog.read(sender.number(), 0, 1000)).events().stream()
                .filter(e -> e.type().equals(SyncEvent.MESSAGE_CREATED) && e.data().getString("id").equals(id))
                .findFirst().orElseThrow().data().getString("conversationId");
        return await(queries.messages(sender.number(), conversation, null, 100)).messages().stream()
                .filter(x -> x.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void historyRecordsEveryStepWithItsTimeAndReason() throws Exception {
        String id = queuedMessage("k3");
        clock.advance(Duration.ofSeconds(5));
        Message sent = await(messages.updateStatus(id, MessageStatus.SENT, null)).orElseThrow();
        clock.advance(Duration.ofSeconds(7));
        Message delivered = await(messages.updateStatus(id, MessageStatus.DELIVERED, null)).orElseThrow();
        clock.advance(Duration.ofSeconds(11));
        Message failed = await(messages.updateStatus(id, MessageStatus.FAILED, "stat=UNDELIV err=001")).orElseThrow();

        Message read = stored(id);
        Instant created = read.createdAt();
        assertEquals(List.of(
                new StatusChange(MessageStatus.QUEUED, created, null),
                new StatusChange(MessageStatus.SENT, created.plusSeconds(5), null),
                new StatusChange(MessageStatus.DELIVERED, created.plusSeconds(12), null),
                new StatusChange(MessageStatus.FAILED, created.plusSeconds(23), "stat=UNDELIV err=001")), read.statusHistory());
        assertEquals(read.updatedAt(), read.statusHistory().get(3).at(), "the last step is the current status");
        assertEquals(sent.statusHistory(), read.statusHistory().subList(0, 2), "each move returns the history so far");
        assertEquals(delivered.statusHistory(), read.statusHistory().subList(0, 3));
        assertEquals(read.statusHistory(), failed.statusHistory());
        assertNull(read.sms(), "not planned by a carrier yet");

        // The sync events carry the same history, in the one JSON form.
        List<JsonObject> events = await(syncLog.read(sender.number(), 0, 1000)).events().stream()
                .filter(e -> e.data().getString("id", "").equals(id)).map(e -> e.data()).toList();
        assertEquals(4, events.size());
        assertEquals(new JsonArray().add(step("queued", created, null)), events.get(0).getJsonArray("statusHistory"));
        JsonArray last = events.get(3).getJsonArray("statusHistory");
        assertEquals(new JsonArray().add(step("queued", created, null)).add(step("sent", created.plusSeconds(5), null))
                .add(step("delivered", created.plusSeconds(12), null))
                .add(step("failed", created.plusSeconds(23), "stat=UNDELIV err=001")), last);
        assertTrue(events.get(3).containsKey("sms") && events.get(3).getValue("sms") == null, "sms: null until planned");
    }

    @Test
    void refusedBackwardMoveLeavesHistoryUnchanged() throws Exception {
        String id = queuedMessage("k4");
        clock.advance(Duration.ofSeconds(2));
        await(messages.updateStatus(id, MessageStatus.DELIVERED, null)).orElseThrow();
        List<StatusChange> before = stored(id).statusHistory();
        assertEquals(List.of(MessageStatus.QUEUED, MessageStatus.DELIVERED), before.stream().map(StatusChange::status).toList());
        clock.advance(Duration.ofSeconds(2));
        assertTrue(await(messages.updateStatus(id, MessageStatus.SENT, null)).isEmpty(), "sent after delivered is backwards");
        Message after = stored(id);
        assertEquals(before, after.statusHistory());
        assertEquals(MessageStatus.DELIVERED, after.status());
        assertEquals(before.get(1).at(), after.updatedAt());
    }

    private static JsonObject step(String status, Instant at, String reason) {
        return new JsonObject().put("status", status).put("at", at.toString()).put("reason", reason);
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
