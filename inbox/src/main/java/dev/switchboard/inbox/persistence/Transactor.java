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

    /** Transactions begun and not yet committed or rolled back; shutdown waits for them before closing the pool. */
    public int activeTransactions() { return active.get(); }

    public Pool pool() { return pool; }


}
