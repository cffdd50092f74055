package dev.switchboard.inbox.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.inbox.TestDatabase;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A transaction with a savepoint per piece of work (the fallback of the inbound batches): a failing
 * piece rolls back alone, and a savepoint that cannot be released turns the commit into a rollback
 * instead of PostgreSQL's quiet one.
 */
class SavepointTransactionTest {
    private static Vertx vertx;
    private static Pool pool;
    private static Transactor db;

    @BeforeAll
    static void setUp() throws Exception {
        vertx = Vertx.vertx();
        pool = TestDatabase.freshPool(vertx, 4);
        db = new Transactor(pool, new SyncLog(pool), Clock.systemUTC(), events -> { });
        await(pool.query("CREATE TABLE savepoint_probe (v TEXT NOT NULL)").execute());
    }

    @AfterAll
    static void tearDown() throws Exception {
        await(pool.close());
        await(vertx.close());
    }

    private static Future<Void> insert(Tx tx, String v) {
        return tx.query("INSERT INTO savepoint_probe (v) VALUES ($1)", Tuple.of(v)).mapEmpty();
    }

    private static long count(String v) throws Exception {
        return await(pool.preparedQuery("SELECT count(*) FROM savepoint_probe WHERE v = $1").execute(Tuple.of(v)))
                .iterator().next().getLong(0);
    }

    @Test
    void failingWorkRollsBackAloneAndTheRestCommits() throws Exception {
        AsyncResult<?>[] outcomes = await(db.inTransactionWithSavepoints(tx -> tx.savepoint(t -> insert(t, "kept-1"))
                .compose(a -> tx.savepoint(t -> insert(t, "dropped").compose(v -> t.query("SELECT 1 / 0", Tuple.tuple())))
                        .compose(b -> tx.savepoint(t -> insert(t, "kept-2"))
                                .map(c -> new AsyncResult<?>[] {a, b, c})))));
        assertTrue(outcomes[0].succeeded());
        assertTrue(outcomes[1].failed(), "the division by zero fails its own work");
        assertTrue(outcomes[2].succeeded());
        assertEquals(1, count("kept-1"));
        assertEquals(0, count("dropped"), "rolled back to its savepoint");
        assertEquals(1, count("kept-2"));
    }

    @Test
    void aFailedReleaseMakesTheCommitFailAndStoresNothing() throws Exception {
        // The last work releases the savepoint itself, so the RELEASE after it finds none and fails,
        // aborting the transaction; COMMIT must not follow as if all went well (PostgreSQL answers
        // COMMIT of an aborted transaction with a quiet rollback).
        Future<Object> done = db.inTransactionWithSavepoints(tx -> tx.savepoint(t -> insert(t, "before"))
                .compose(a -> tx.savepoint(t -> insert(t, "released-early")
                        .compose(v -> t.query("RELEASE SAVEPOINT one_message", Tuple.tuple()))))
                .map(b -> null));
        assertThrows(ExecutionException.class, () -> await(done), "the caller is told, not answered as committed");
        assertEquals(0, count("before"), "nothing of the transaction is stored");
        assertEquals(0, count("released-early"));
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
