package dev.switchboard.inbox.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.TestDatabase;
import dev.switchboard.inbox.devices.DevicePolicy;
import dev.switchboard.inbox.devices.NumberService;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.SmsDetails;
import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Group commit of inbound messages on the real database: order and gapless sequences per number,
 * a failing message failing alone, nothing answered before the commit, duplicates of a segment.
 * Batches are made deterministic by a batch size the test fills and a wait it never reaches.
 */
class InboundBatcherTest {
    private static final Duration NEVER = Duration.ofHours(1);
    private static final String A = "+390603030301";
    private static final String B = "+390603030302";
    private static final String C = "+390603030303";
    private static final String LOCKED = "+390603030304";
    private static final String SEGMENTS = "+390603030305";
    private static final String NOT_SERVED = "+390603030399";

    private static Vertx vertx;
    private static Pool pool;
    private static SyncLog syncLog;
    private static Transactor db;
    private static Ids ids;
    private static final List<SyncEvent> published = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        vertx = Vertx.vertx();
        pool = TestDatabase.freshPool(vertx, 8);
        syncLog = new SyncLog(pool);
        db = new Transactor(pool, syncLog, Clock.systemUTC(), published::addAll);
        ids = new Ids(new SecureRandom());
        NumberService numbers = new NumberService(db, ids, new DevicePolicy(4, Duration.ofDays(14), Duration.ofMinutes(2), Duration.ofHours(1)));
        for (String n : List.of(A, B, C, LOCKED, SEGMENTS)) {
            await(numbers.serve(n, null));
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        await(pool.close());
        await(vertx.close());
    }

    private static InboundMessage sms(String to, String text) {
        return new InboundMessage(to, "+447700900001", Channel.SMS, MessageContent.text(text), "smpp:test:" + text,
                new SmsDetails(1, "GSM7", "smpp:test"));
    }

    private static List<SyncEvent> all(String number) throws Exception {
        return await(syncLog.read(number, 0, 10_000)).events();
    }

    private static List<String> createdTexts(String number) throws Exception {
        return all(number).stream().filter(e -> e.type().equals(SyncEvent.MESSAGE_CREATED))
                .map(e -> e.data().getString("text")).toList();
    }

    private static void assertGapless(String number) throws Exception {
        List<SyncEvent> events = all(number);
        for (int i = 1; i < events.size(); i++) {
            assertEquals(events.get(i - 1).seq() + 1, events.get(i).seq(), number + " sync log has a gap at " + i);
        }
    }

    @Test
    void burstIsStoredOnceWithGaplessSequencesInArrivalOrder() throws Exception {
        InboundService inbound = new InboundService(db, ids, new InboundBatcher(vertx, db, 16, Duration.ofMillis(2)));
        List<String> numbers = List.of(A, B, C);
        List<Future<Message>> futures = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            futures.add(inbound.receive(sms(numbers.get(i % 3), "burst-" + i)));
        }
        for (Future<Message> f : futures) {
            await(f);
        }
        for (int n = 0; n < 3; n++) {
            List<String> expected = new ArrayList<>();
            for (int i = n; i < 150; i += 3) {
                expected.add("burst-" + i);
            }
            List<String> texts = createdTexts(numbers.get(n)).stream().filter(t -> t.startsWith("burst-")).toList();
            assertEquals(expected, texts, "each message once, in arrival order");
            assertGapless(numbers.get(n));
        }
    }

    @Test
    void aFailingMessageFailsAloneAndLeavesNoGap() throws Exception {
        InboundBatcher batcher = new InboundBatcher(vertx, db, 4, NEVER);
        InboundService inbound = new InboundService(db, ids, batcher);
        Future<Message> first = inbound.receive(sms(A, "fail-first"));
        // Appends an event, then fails in the database (22012, division by zero): both must vanish.
        Future<Object> bad = batcher.submit(A, tx -> tx.emit(A, "test.bad", new JsonObject())
                .compose(v -> tx.query("SELECT 1 / 0", Tuple.tuple())).map(r -> null));
        Future<Message> unserved = inbound.receive(sms(NOT_SERVED, "fail-unserved"));
        Future<Message> last = inbound.receive(sms(A, "fail-last"));

        Message m1 = await(first);
        Message m2 = await(last);
        ExecutionException badError = assertFailed(bad);
        assertEquals("22012", assertInstanceOf(PgException.class, badError.getCause()).getSqlState());
        InboxException notFound = assertInstanceOf(InboxException.class, assertFailed(unserved).getCause());
        assertEquals(InboxException.Kind.NOT_FOUND, notFound.kind());

        List<SyncEvent> events = all(A);
        assertTrue(events.stream().noneMatch(e -> e.type().equals("test.bad")), "the failed message's event is rolled back");
        assertTrue(published.stream().noneMatch(e -> e.type().equals("test.bad")), "and never published");
        List<String> texts = createdTexts(A);
        int i = texts.indexOf("fail-first");
        assertEquals("fail-last", texts.get(i + 1), "the others committed, in order");
        assertEquals(m1.id(), events.stream().filter(e -> "fail-first".equals(e.data().getString("text"))).findFirst().orElseThrow()
                .data().getString("id"));
        assertEquals(m2.id(), events.stream().filter(e -> "fail-last".equals(e.data().getString("text"))).findFirst().orElseThrow()
                .data().getString("id"));
        assertGapless(A);
    }

    @Test
    void nothingCompletesBeforeTheBatchCommits() throws Exception {
        InboundService inbound = new InboundService(db, ids, new InboundBatcher(vertx, db, 2, NEVER));
        SqlConnection holder = await(pool.getConnection());
        try {
            await(holder.query("BEGIN").execute());
            await(holder.preparedQuery("SELECT 1 FROM numbers WHERE number = $1 FOR UPDATE").execute(Tuple.of(LOCKED)));
            Future<Message> blocked = inbound.receive(sms(LOCKED, "held-1"));
            Future<Message> sameBatch = inbound.receive(sms(B, "held-2"));
            // The batch is waiting for the number's lock, inside its transaction.
            awaitLockWaiters(1);
            assertFalse(blocked.isComplete(), "not answered while the batch cannot commit");
            assertFalse(sameBatch.isComplete(), "nor is anything else of its batch");
            assertFalse(createdTexts(B).contains("held-2"), "and nothing of it is visible");
            await(holder.query("COMMIT").execute());
            assertEquals("held-1", await(blocked).content().text());
            assertEquals("held-2", await(sameBatch).content().text());
            assertTrue(createdTexts(LOCKED).contains("held-1"));
        } finally {
            await(holder.close());
        }
    }

    @Test
    void aNumberHeldElsewhereStallsOnlyItsOwnBatchAndKeepsItsOrder() throws Exception {
        // One request per batch, two batches at once: a batch starts as soon as a request arrives.
        InboundService inbound = new InboundService(db, ids, new InboundBatcher(vertx, db, 1, NEVER, 2));
        SqlConnection holder = await(pool.getConnection());
        try {
            await(holder.query("BEGIN").execute());
            await(holder.preparedQuery("SELECT 1 FROM numbers WHERE number = $1 FOR UPDATE").execute(Tuple.of(LOCKED)));
            Future<Message> first = inbound.receive(sms(LOCKED, "stall-1"));
            awaitLockWaiters(1);
            Future<Message> second = inbound.receive(sms(LOCKED, "stall-2"));
            Message other = await(inbound.receive(sms(C, "stall-other")));

            assertEquals("stall-other", other.content().text(), "another number commits in the free slot meanwhile");
            assertTrue(createdTexts(C).contains("stall-other"));
            assertFalse(first.isComplete(), "the held number's batch still waits");
            assertFalse(second.isComplete(), "and its next message waits behind it");
            assertEquals(1, lockWaiters(), "queued, not racing the first one for the lock");
            await(holder.query("COMMIT").execute());
            await(first);
            await(second);
            List<String> texts = createdTexts(LOCKED);
            assertEquals(texts.indexOf("stall-1") + 1, texts.indexOf("stall-2"), "arrival order kept for the number");
            assertGapless(LOCKED);
        } finally {
            await(holder.close());
        }
    }

    @Test
    void aBatchFailingAtCommitFailsAllOfItAndFreesItsNumbersForTheNext() throws Exception {
        // A deferred constraint is checked only at COMMIT: the whole batch fails there, after every savepoint passed.
        await(pool.query("CREATE TABLE IF NOT EXISTS commit_probe (v INT, CONSTRAINT commit_probe_once UNIQUE (v)"
                + " DEFERRABLE INITIALLY DEFERRED)").execute());
        InboundBatcher batcher = new InboundBatcher(vertx, db, 2, NEVER, 1);
        InboundService inbound = new InboundService(db, ids, batcher);
        Future<Object> poison = batcher.submit(B, tx -> tx.query("INSERT INTO commit_probe (v) VALUES (1), (1)", Tuple.tuple())
                .map(r -> null));
        Future<Message> sameBatch = inbound.receive(sms(B, "commit-fails"));
        assertInstanceOf(PgException.class, assertFailed(poison).getCause());
        assertInstanceOf(PgException.class, assertFailed(sameBatch).getCause(), "the whole batch fails with the commit");

        Future<Message> next = inbound.receive(sms(B, "after-failed-commit"));
        Future<Message> other = inbound.receive(sms(C, "after-failed-commit-c"));
        assertEquals("after-failed-commit", await(next).content().text(), "the number is free again");
        await(other);
        List<String> texts = createdTexts(B);
        assertFalse(texts.contains("commit-fails"), "nothing of the failed batch is stored");
        assertTrue(texts.contains("after-failed-commit"));
        assertGapless(B);
    }

    /** Sessions of this database waiting for a row lock. */
    private static long lockWaiters() throws Exception {
        return await(pool.query("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND datname = current_database()").execute()).iterator().next().getLong(0);
    }

    /** Polls on a Vert.x timer (not a sleeping test thread) until {@code n} sessions wait for a lock. */
    private static void awaitLockWaiters(long n) throws Exception {
        io.vertx.core.Promise<Void> reached = io.vertx.core.Promise.promise();
        long timer = vertx.setPeriodic(10, id -> pool.query("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND datname = current_database()").execute().onSuccess(rows -> {
                    if (rows.iterator().next().getLong(0) >= n) {
                        reached.tryComplete();
                    }
                }));
        try {
            await(reached.future());
        } finally {
            vertx.cancelTimer(timer);
        }
    }

    @Test
    void repeatedSegmentsAreDuplicatesInsideOneBatchAndAcrossBatches() throws Exception {
        InboundService inbound = new InboundService(db, ids, new InboundBatcher(vertx, db, 3, NEVER));
        FragmentStore store = new FragmentStore(db, inbound, Clock.systemUTC(), Duration.ofMinutes(10),
                (total, present) -> String.join("", present.stream()
                        .map(s -> new String(s.payload(), StandardCharsets.ISO_8859_1)).toList()));

        // One batch: part 1, part 1 again (a retry under another reference of ours), part 2.
        Future<FragmentStore.Outcome> p1 = store.accept(part(1, "AA", "r1"));
        Future<FragmentStore.Outcome> p1again = store.accept(part(1, "AA", "r1-retry"));
        Future<FragmentStore.Outcome> p2 = store.accept(part(2, "BB", "r2"));
        assertEquals(new FragmentStore.Stored("smpp:test:r1", 1, 3), await(p1));
        assertEquals(new FragmentStore.Duplicate("smpp:test:r1"), await(p1again), "a duplicate inside the batch");
        assertEquals(new FragmentStore.Stored("smpp:test:r2", 2, 3), await(p2));

        // Next batch: part 2 again, the last part, and the last part again after it completed the set.
        Future<FragmentStore.Outcome> p2again = store.accept(part(2, "BB", "r2-retry"));
        Future<FragmentStore.Outcome> p3 = store.accept(part(3, "CC", "r3"));
        Future<FragmentStore.Outcome> p3again = store.accept(part(3, "CC", "r3-retry"));
        assertEquals(new FragmentStore.Duplicate("smpp:test:r2"), await(p2again), "a duplicate across batches");
        Message message = assertInstanceOf(FragmentStore.Completed.class, await(p3)).message();
        assertEquals("AABBCC", message.content().text());
        assertEquals(new FragmentStore.Duplicate("smpp:test:r3"), await(p3again), "a duplicate of a delivered set");
        assertEquals(List.of("AABBCC"), createdTexts(SEGMENTS), "one message, once");
        assertGapless(SEGMENTS);
    }

    private static InboundFragment part(int part, String text, String ref) {
        return new InboundFragment("smpp:test", SEGMENTS, "+447700900002", "udh8", 42, 3, part, 3, "LATIN1",
                text.getBytes(StandardCharsets.ISO_8859_1), "smpp:test:" + ref);
    }

    private static ExecutionException assertFailed(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
