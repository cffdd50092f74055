package dev.switchboard.bench.initialsync;

import dev.switchboard.gateway.database.DatabaseEndpoint;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.TimeUnit;

/**
 * The physical baseline: the number's messages read with one query through the Vert.x PG client
 * (the gateway's own client), every column the API shows of a message, in the order the sync hands
 * them over (conversations most recent first, then each conversation's messages newest first).
 * Every value of every row is decoded, as the gateway must before it can answer.
 */
public final class PlainQuery implements AutoCloseable {
    /** The message columns the API exposes (the gateway's {@code MessageRows.COLUMNS}). */
    static final String COLUMNS = "m.id, m.conversation_id, m.number, m.direction, m.from_number, m.to_number, m.channel, m.status,"
            + " m.status_reason, m.content, m.e2ee, m.created_at, m.updated_at, m.status_history, m.sms_segments, m.sms_encoding,"
            + " m.sms_carrier, m.attempts, m.payload_id";
    public static final String SQL = "SELECT " + COLUMNS + " FROM messages m JOIN conversations c ON c.id = m.conversation_id"
            + " WHERE c.number = $1 ORDER BY c.updated_at DESC, c.id DESC, m.pos DESC";

    /** One read: how long it took and how many rows it returned. */
    public record Read(long nanos, long rows) {}

    private final Vertx vertx = Vertx.vertx();
    private final Pool pool;

    public PlainQuery(DatabaseEndpoint endpoint) {
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(endpoint.connectOptions()).using(vertx).build();
    }

    public Read read(String number) throws Exception {
        long t0 = System.nanoTime();
        RowSet<Row> rows = pool.preparedQuery(SQL).execute(Tuple.of(number)).toCompletionStage().toCompletableFuture()
                .get(120, TimeUnit.SECONDS);
        long n = 0;
        for (Row r : rows) {
            for (int i = 0; i < r.size(); i++) {
                r.getValue(i);
            }
            n++;
        }
        return new Read(System.nanoTime() - t0, n);
    }

    @Override
    public void close() throws Exception {
        pool.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
