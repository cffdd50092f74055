package dev.switchboard.inbox.persistence;

import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.sync.InboxListener;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.function.Function;

/**
 * Runs inbox work in one database transaction and tells the {@link InboxListener} about the
 * sync events it appended only after the commit succeeded, so nothing is pushed to devices that
 * a rollback could take back.
 */
public final class Transactor {
    private final Pool pool;
    private final SyncLog syncLog;
    private final Clock clock;
    private final InboxListener listener;
    private final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();

    public Transactor(Pool pool, SyncLog syncLog, Clock clock, InboxListener listener) {
        this.pool = pool;
        this.syncLog = syncLog;
        this.clock = clock;
        this.listener = listener;
    }

    public <T> Future<T> inTransaction(Function<Tx, Future<T>> work) {
        Tx[] holder = new Tx[1];
        active.incrementAndGet();
        return pool.<T>withTransaction(conn -> {
            Tx tx = new Tx(conn, syncLog, clock);
            holder[0] = tx;
            return work.apply(tx);
        }).onSuccess(result -> {
            if (!holder[0].events().isEmpty()) {
                listener.committed(java.util.List.copyOf(holder[0].events()));
            }
        }).onComplete(ar -> active.decrementAndGet());
    }

    /**
     * As {@link #inTransaction}, for work that recovers from failed statements with {@link
     * Tx#savepoint}: the transaction is begun and ended with plain BEGIN/COMMIT on the connection,
     * because the client's own transaction object rolls back at the first failed statement. Work that
     * fails rolls the whole transaction back. Nothing outside a savepoint may fail and be ignored.
     */
    public <T> Future<T> inTransactionWithSavepoints(Function<Tx, Future<T>> work) {
        Tx[] holder = new Tx[1];
        active.incrementAndGet();
        return pool.<T>withConnection(conn -> conn.query("BEGIN").execute().compose(begun -> {
            Tx tx = new Tx(conn, syncLog, clock);
            holder[0] = tx;
            Future<T> done;
            try {
                done = work.apply(tx);
            } catch (RuntimeException e) {
                done = Future.failedFuture(e);
            }
            return done.transform(ar -> ar.succeeded()
                    ? conn.query("COMMIT").execute().map(committed -> ar.result())
                    : conn.query("ROLLBACK").execute().<T>transform(rolledBack -> Future.failedFuture(ar.cause())));
        })).onSuccess(result -> {
            if (!holder[0].events().isEmpty()) {
                listener.committed(java.util.List.copyOf(holder[0].events()));
            }
        }).onComplete(ar -> active.decrementAndGet());
    }

    /**
     * Counts work accepted but not yet inside a transaction (a message waiting for its batch) as
     * active until the returned action runs, so shutdown waits for it like for a transaction.
     */
    public Runnable hold() {
        active.incrementAndGet();
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                active.decrementAndGet();
            }
        };
    }

    /** Transactions begun and not yet committed or rolled back; shutdown waits for them before closing the pool. */
    public int activeTransactions() { return active.get(); }

    public Pool pool() { return pool; }


}
