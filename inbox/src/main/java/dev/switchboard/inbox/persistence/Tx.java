package dev.switchboard.inbox.persistence;

import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** One open transaction: its connection, the clock reading it was stamped with, and the events it appended. */
public final class Tx {
    private final SqlConnection conn;
    private final SyncLog syncLog;
    private final Instant now;
    private final List<SyncEvent> events = new ArrayList<>();

    Tx(SqlConnection conn, SyncLog syncLog, Clock clock) {
        this.conn = conn;
        this.syncLog = syncLog;
        // PostgreSQL keeps microseconds; truncating here makes stored and returned times equal.
        this.now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    public SqlConnection conn() { return conn; }

    public Instant now() { return now; }

    public Future<RowSet<Row>> query(String sql, Tuple args) {
        return conn.preparedQuery(sql).execute(args);
    }

    /**
     * Locks the rows of the given numbers, always in the same order so two transactions touching
     * the same pair cannot deadlock, and returns those that are served. Every writer to a
     * number's inbox takes this lock first: it is what makes sync-log order commit order.
     */
    public Future<Set<String>> lockNumbers(Set<String> numbers) {
        return query("SELECT number FROM numbers WHERE number = ANY($1) ORDER BY number FOR UPDATE",
                Tuple.of(numbers.toArray(new String[0])))
                .map(rows -> {
                    Set<String> served = new TreeSet<>();
                    rows.forEach(r -> served.add(r.getString(0)));
                    return served;
                });
    }

    /** Appends an event to the number's sync log; the number must be locked by this transaction. */
    public Future<SyncEvent> emit(String number, String type, JsonObject data) {
        return syncLog.append(conn, number, type, now, data).onSuccess(events::add);
    }

    /**
     * Runs {@code work} inside a savepoint of this transaction: when it fails, what it wrote (rows,
     * sync-log sequence numbers, events) is rolled back and the rest of the transaction carries on.
     * The returned future holds the work's own outcome; it fails only when the savepoint itself
     * cannot be set, released or rolled back to, and then the transaction is no longer usable.
     * Only for a transaction begun by {@link Transactor#inTransactionWithSavepoints}: the one
     * {@link Transactor#inTransaction} begins is rolled back at its first failed statement.
     */
    public <T> Future<AsyncResult<T>> savepoint(Function<Tx, Future<T>> work) {
        int mark = events.size();
        return conn.query("SAVEPOINT one_message").execute().compose(v -> {
            Future<T> done;
            try {
                done = work.apply(this);
            } catch (RuntimeException e) {
                done = Future.failedFuture(e);
            }
            return done.transform(ar -> {
                if (ar.succeeded()) {
                    return conn.query("RELEASE SAVEPOINT one_message").execute().map(r -> (AsyncResult<T>) ar);
                }
                return conn.query("ROLLBACK TO SAVEPOINT one_message").execute().map(r -> {
                    events.subList(mark, events.size()).clear();
                    return (AsyncResult<T>) ar;
                });
            });
        });
    }

    List<SyncEvent> events() { return events; }
}
