package dev.switchboard.inbox.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.inbox.TestDatabase;
import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.persistence.Transactor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SyncLogTest {
    private static final String NUMBER = "+390600000001";
    private static final String OTHER = "+390600000002";

    private static Vertx vertx;
    private static Pool pool;
    private static SyncLog syncLog;
    private static Transactor db;
    private static final List<SyncEvent> notified = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        vertx = Vertx.vertx();
        pool = TestDatabase.freshPool(vertx, 24);
        syncLog = new SyncLog(pool);
        db = new Transactor(pool, syncLog, Clock.systemUTC(), notified::addAll);
        for (String n : List.of(NUMBER, OTHER)) {
            await(pool.preparedQuery("INSERT INTO numbers (number, created_at) VALUES ($1, now())").execute(Tuple.of(n)));
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        await(pool.close());
        await(vertx.close());
    }

    /**
     * Many writers append concurrently, some of them rolling back, while readers follow the log the
     * way devices do. Every reader must see seq 1, 2, 3... with no gap, and once it has read up to N
     * no event with seq <= N may appear later.
     */
    @Test
    void concurrentWritersNeverLetAReaderSkipAnEvent() throws Exception {
        int writers = 16;
        int perWriter = 60;
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<Void>> writes = new ArrayList<>();
        int committed = 0;
        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < perWriter; i++) {
                boolean rollback = i % 10 == 7;
                if (!rollback) {
                    committed++;
                }
                int writer = w;
                int index = i;
                writes.add(db.inTransaction(tx -> tx.lockNumbers(Set.of(NUMBER))
                                .compose(v -> tx.emit(NUMBER, "test.event", new JsonObject().put("writer", writer).put("i", index)))
                                // Hold the lock a little longer in some transactions so commits interleave with reads.
                                .compose(e -> index % 3 == 0 ? tx.query("SELECT pg_sleep(0.002)", Tuple.tuple()).map(e) : Future.succeededFuture(e))
                                .compose(e -> rollback ? Future.failedFuture(new IllegalStateException("rollback")) : Future.succeededFuture(e)))
                        .<Void>mapEmpty()
                        .recover(err -> Future.succeededFuture()));
            }
        }
        int readers = 4;
        List<Future<List<Long>>> reads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            reads.add(follow(writing, committed));
        }
        await(Future.all(writes));
        writing.set(false);
        for (Future<List<Long>> read : reads) {
            List<Long> seen = await(read);
            assertEquals(committed, seen.size(), "a reader saw every committed event once");
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(i + 1, seen.get(i), "seq " + (i + 1) + " came in order, without gaps");
            }
        }
        SyncPage all = await(syncLog.read(NUMBER, 0, 10_000));
        assertEquals(committed, all.events().size(), "rolled-back transactions left no event behind");
        assertEquals((long) committed, await(syncLog.lastSeq(NUMBER)));
    }

    /** Reads from the reader's cursor until it has all expected events, checking the invariant on every page. */
    private static Future<List<Long>> follow(AtomicBoolean writing, int expected) {
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        return poll(seen, expected, writing);
    }

    private static Future<List<Long>> poll(List<Long> seen, int expected, AtomicBoolean writing) {
        long cursor = seen.isEmpty() ? 0 : seen.get(seen.size() - 1);
        return syncLog.read(NUMBER, cursor, 37).compose(page -> {
            long previous = cursor;
            for (SyncEvent e : page.events()) {
                if (e.seq() != previous + 1) {
                    return Future.failedFuture(new AssertionError("gap: after " + previous + " came " + e.seq()));
                }
                previous = e.seq();
                seen.add(e.seq());
            }
            if (seen.size() >= expected) {
                return Future.succeededFuture(seen);
            }
            if (!writing.get() && page.events().isEmpty() && !page.hasMore()) {
                return Future.failedFuture(new AssertionError("writers finished but only " + seen.size() + " events were readable"));
            }
            return poll(seen, expected, writing);
        });
    }

    @Test
    void listenerHearsOnlyCommittedEventsInSeqOrder() throws Exception {
        notified.clear();
        await(db.inTransaction(tx -> tx.lockNumbers(Set.of(OTHER))
                .compose(v -> tx.emit(OTHER, "a", new JsonObject()))
                .compose(v -> tx.emit(OTHER, "b", new JsonObject()))));
        await(db.inTransaction(tx -> tx.lockNumbers(Set.of(OTHER))
                .compose(v -> tx.emit(OTHER, "lost", new JsonObject()))
                .compose(v -> Future.failedFuture(new IllegalStateException("rollback"))))
                .recover(e -> Future.succeededFuture()));
        assertEquals(List.of("a", "b"), notified.stream().map(SyncEvent::type).toList());
        assertTrue(notified.get(1).seq() == notified.get(0).seq() + 1);
        SyncPage page = await(syncLog.read(OTHER, 0, 100));
        assertEquals(List.of("a", "b"), page.events().stream().map(SyncEvent::type).toList());
    }

    @Test
    void readPagesReportWhetherMoreRemain() throws Exception {
        String number = "+390600000003";
        await(pool.preparedQuery("INSERT INTO numbers (number, created_at) VALUES ($1, now())").execute(Tuple.of(number)));
        for (int i = 0; i < 5; i++) {
            await(db.inTransaction(tx -> tx.lockNumbers(Set.of(number)).compose(v -> tx.emit(number, "e", new JsonObject()))));
        }
        SyncPage first = await(syncLog.read(number, 0, 3));
        assertEquals(3, first.events().size());
        assertTrue(first.hasMore());
        assertEquals(3, first.next());
        SyncPage rest = await(syncLog.read(number, first.next(), 3));
        assertEquals(2, rest.events().size());
        assertEquals(false, rest.hasMore());
        assertEquals(5, rest.next());
        SyncPage empty = await(syncLog.read(number, 5, 3));
        assertEquals(5, empty.next(), "an empty page keeps the cursor where it was");
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

}
