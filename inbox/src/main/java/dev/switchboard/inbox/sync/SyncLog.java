package dev.switchboard.inbox.sync;

import dev.switchboard.inbox.messages.EncryptedPayloads;
import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.persistence.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends and reads a number's events.
 *
 * <p>Why the order is gapless and commit-ordered: a seq is taken by incrementing
 * {@code numbers.last_seq}, which holds that row's lock until the transaction ends. The next
 * writer for the same number cannot take a seq before this one committed or rolled back (a
 * rollback also undoes the increment), so a reader that sees seq N already sees every seq below it.
 */
public final class SyncLog {
    private static final String APPEND = """
            WITH s AS (UPDATE numbers SET last_seq = last_seq + 1 WHERE number = $1 RETURNING last_seq)
            INSERT INTO sync_events (number, seq, type, at, data)
            SELECT $1, s.last_seq, $2, $3, $4 FROM s
            RETURNING seq""";

    private final Pool pool;

    public SyncLog(Pool pool) { this.pool = pool; }

    public Future<SyncEvent> append(SqlClient conn, String number, String type, Instant at, JsonObject data) {
        return conn.preparedQuery(APPEND).execute(Tuple.of(number, type, Times.db(at), data))
                .map(rows -> {
                    if (rows.size() != 1) {
                        throw new IllegalStateException("number " + number + " is not served");
                    }
                    return new SyncEvent(number, rows.iterator().next().getLong(0), type, at, data);
                });
    }

    /**
     * Up to {@code limit} events after {@code since}, fewer when the encrypted messages among them
     * would carry more than {@link EncryptedPayloads#MAX_PAGE_CIPHERTEXT} of ciphertext once hydrated
     * (always at least one event); {@code hasMore} is true whenever events were left for the next page.
     */
    public Future<SyncPage> read(String number, long since, int limit) {
        return pool.preparedQuery(READ).execute(Tuple.of(number, since, limit + 1, EncryptedPayloads.MAX_PAGE_CIPHERTEXT))
                .map(rows -> {
                    List<SyncEvent> events = new ArrayList<>();
                    long available = 0;
                    for (Row r : rows) {
                        events.add(new SyncEvent(number, r.getLong("seq"), r.getString("type"),
                                Times.instant(r.getOffsetDateTime("at")), (JsonObject) r.getValue("data")));
                        available = r.getLong("available");
                    }
                    while (events.size() > limit) {
                        events.remove(events.size() - 1);
                    }
                    boolean hasMore = available > events.size();
                    long next = events.isEmpty() ? since : events.get(events.size() - 1).seq();
                    return new SyncPage(events, next, hasMore);
                });
    }

    /*
     * The next limit + 1 events, each with the ciphertext bytes it will carry; the running sum in seq
     * order keeps the prefix within the budget (the first event always), and "available" counts the
     * rows before that cut, so a cut page knows it has more.
     */
    private static final String READ = """
            SELECT seq, type, at, data, available FROM (
                SELECT seq, type, at, data, row_number() OVER w AS n, sum(bytes) OVER w AS running, count(*) OVER () AS available
                FROM (SELECT seq, type, at, data, %s AS bytes
                      FROM sync_events WHERE number = $1 AND seq > $2 ORDER BY seq LIMIT $3) e
                WINDOW w AS (ORDER BY seq)) t
            WHERE n = 1 OR running <= $4
            ORDER BY seq""".formatted(EncryptedPayloads.ciphertextBytesOf("sync_events.data"));

    public Future<Long> lastSeq(String number) {
        return pool.preparedQuery("SELECT last_seq FROM numbers WHERE number = $1").execute(Tuple.of(number))
                .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
    }
}
