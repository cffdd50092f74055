package dev.switchboard.inbox.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.inbox.TestDatabase;
import dev.switchboard.inbox.devices.DevicePolicy;
import dev.switchboard.inbox.devices.DeviceService;
import dev.switchboard.inbox.devices.NumberService;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.SmsDetails;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A receipt whose transaction overlaps the one committing its submission: neither sees the other's
 * uncommitted row, so without serialising the two the receipt parks as unmatched for ever and the
 * message never becomes delivered (found by the mt-send benchmark against a fast SMSC).
 */
class DeliveryTrackerRaceTest {
    private static final String CARRIER = "c1";
    private static Vertx vertx;
    private static Pool pool;
    private static MessageService messages;
    private static DeliveryTracker tracker;
    private static Device sender;

    @BeforeAll
    static void setUp() throws Exception {
        vertx = Vertx.vertx();
        pool = TestDatabase.freshPool(vertx, 8);
        SyncLog syncLog = new SyncLog(pool);
        Clock clock = Clock.systemUTC();
        Transactor db = new Transactor(pool, syncLog, clock, events -> { });
        Ids ids = new Ids(new SecureRandom());
        DevicePolicy policy = new DevicePolicy(4, Duration.ofDays(14), Duration.ofMinutes(2), Duration.ofHours(1));
        String code = await(new NumberService(db, ids, policy).serve("+390601020304", null)).enrollmentCode();
        sender = await(new DeviceService(db, ids, clock).enrollPrimary("+390601020304", code, "phone",
                dev.switchboard.inbox.TestKeys.signed())).device();
        messages = new MessageService(db, ids);
        tracker = new DeliveryTracker(db);
    }

    @AfterAll
    static void tearDown() throws Exception {
        await(pool.close());
        await(vertx.close());
    }

    @Test
    void receiptArrivingWhileItsSubmissionCommitsIsApplied() throws Exception {
        String id = await(messages.send(sender, new SendRequest("+15550001234", MessageContent.text("hi"), "k1", "k1".getBytes())))
                .accepted().getString("id");

        // Hold the message row against updates (not against the foreign key check), so the submission's
        // transaction stops after inserting its row and looking for a parked receipt (none yet), before it commits.
        SqlConnection blocker = await(pool.getConnection());
        Transaction blocking = await(blocker.begin());
        await(blocker.preparedQuery("SELECT id FROM messages WHERE id = $1 FOR NO KEY UPDATE").execute(Tuple.of(id)));
        Future<Void> submission = tracker.segmentAccepted(id, 0, 1, CARRIER, "a1", "a1", new SmsDetails(1, "gsm7", CARRIER));
        awaitWaiters("UPDATE messages SET sms_segments%", 1);

        // The receipt now either completes at once (and, unserialised, parks as unmatched) or waits for the submission.
        Future<Boolean> receipt = tracker.receipt(CARRIER, java.util.List.of("a1"), DeliveryTracker.Outcome.DELIVERED, null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!receipt.isComplete() && waiters("SELECT pg_advisory_xact_lock%") == 0) {
            assertTrue(System.nanoTime() < deadline, "the receipt neither finished nor waited");
        }
        await(blocking.commit());
        await(blocker.close());
        await(submission);
        await(receipt);

        assertEquals("delivered", await(pool.preparedQuery("SELECT status FROM messages WHERE id = $1").execute(Tuple.of(id)))
                .iterator().next().getString(0));
        assertEquals(0L, await(pool.query("SELECT count(*) FROM sms_unmatched_receipts").execute()).iterator().next().getLong(0),
                "no receipt left parked");
    }

    private static void awaitWaiters(String queryLike, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (waiters(queryLike) < count) {
            assertTrue(System.nanoTime() < deadline, "no backend waits on a lock running " + queryLike);
        }
    }

    /** Backends blocked on a lock while running a statement like {@code queryLike}. */
    private static long waiters(String queryLike) throws Exception {
        return await(pool.preparedQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1")
                .execute(Tuple.of(queryLike))).iterator().next().getLong(0);
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
