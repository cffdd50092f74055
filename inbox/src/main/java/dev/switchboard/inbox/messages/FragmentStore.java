package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.SmsDetails;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Durable reassembly of concatenated inbound SMS: segments are kept in {@code sms_fragments} until
 * their set is complete, and the transaction that stores the last one creates the message and
 * deletes the set, so an adapter that answers after {@link #accept} completes acknowledges the last
 * segment only once the whole message is committed.
 *
 * <p>Every transaction here locks the served number first, like every other writer to its inbox
 * ({@link Tx#lockNumbers}): segments of one number are therefore handled one at a time, whatever
 * bind or thread they came on, and counting the set after an insert cannot race another insert.
 *
 * <p>A segment already kept (same set, same part) is a {@link Duplicate}: nothing is written and no
 * event appended. So is an identical copy (same data_coding and payload) of a part of a set
 * delivered less than {@code timeout} ago, which is what a peer sends when our response to it was
 * lost; those parts are remembered in {@code sms_fragments_done} for that long. Other text under a
 * delivered set's key means the peer reused the reference, and starts a new set.
 *
 * <p>A set still incomplete {@code timeout} after its first segment arrived is delivered by
 * {@link #sweep} with whatever arrived, the {@link SetText} putting a gap marker where each missing
 * part belongs: a visible hole is better than a lost message. A missing part arriving after that
 * starts a new set of its own, delivered the same way.
 *
 * <p>Decoding is not the inbox's business: the adapter passes the {@link SetText} that turns the
 * stored payloads into text (joining the raw payloads before decoding, so a character a peer split
 * across segments survives).
 */
public final class FragmentStore {

    /** Turns the kept segments of a set into the message text. Called inside the transaction: no I/O. */
    @FunctionalInterface
    public interface SetText {
        /**
         * @param total   the parts the set should have
         * @param present the parts kept, in part order; a part missing from the list never arrived
         */
        String join(int total, List<Segment> present);
    }

    /** One kept part, as {@link SetText} sees it. The payload is copied in and out. */
    public record Segment(int part, int dataCoding, String encoding, byte[] payload) {
        public Segment {
            Objects.requireNonNull(encoding, "encoding");
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Segment s && part == s.part && dataCoding == s.dataCoding && encoding.equals(s.encoding)
                    && Arrays.equals(payload, s.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(part, dataCoding, encoding, Arrays.hashCode(payload));
        }
    }

    /** What became of a segment; {@link #carrierRef()} is the reference to answer the peer with. */
    public sealed interface Outcome permits Stored, Duplicate, Completed {
        String carrierRef();
    }

    /** Kept; the set now has {@code received} of its {@code total} parts. */
    public record Stored(String carrierRef, int received, int total) implements Outcome {}

    /**
     * The same part of the same set is already kept, or was delivered less than a timeout ago with the
     * same data_coding and payload; {@code carrierRef} is the first copy's. Nothing written, no event.
     */
    public record Duplicate(String carrierRef) implements Outcome {}

    /** It was the last missing part: the message is in the inbox and the set is gone, in one commit. */
    public record Completed(String carrierRef, Message message) implements Outcome {}

    private static final String SET = "number = $1 AND source = $2 AND sender = $3 AND scheme = $4 AND reference = $5 AND total = $6";
    private static final String PARTS = "part, data_coding, encoding, payload, carrier_ref";

    private final Transactor db;
    private final InboundService inbound;
    private final Clock clock;
    private final Duration timeout;
    private final SetText text;

    /**
     * @param timeout how long after its first segment an incomplete set waits before {@link #sweep}
     *                delivers it with gap markers
     */
    public FragmentStore(Transactor db, InboundService inbound, Clock clock, Duration timeout, SetText text) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("reassembly timeout must be positive, got " + timeout);
        }
        this.db = db;
        this.inbound = inbound;
        this.clock = clock;
        this.timeout = timeout;
        this.text = text;
    }

    public Duration timeout() { return timeout; }

    /**
     * Keeps one segment, and creates the message when it completes its set. Completes after the commit.
     * Fails with {@link InboxException.Kind#NOT_FOUND} when the number is not served (nothing kept);
     * any other failure means nothing was written and the peer should send the segment again.
     */
    public Future<Outcome> accept(InboundFragment f) {
        SetKey set = new SetKey(f.to(), f.source(), f.from(), f.scheme(), f.reference(), f.total());
        // Group-committed with whole messages when the InboundService has a batcher.
        return inbound.onServedNumber(f.to(), tx -> tx.query("SELECT digest = sha256(int4send($8::int) || $9::bytea) AS same, carrier_ref FROM sms_fragments_done"
                            + " WHERE " + SET + " AND part = $7 AND done_at > $10",
                            set.tuple().addInteger(f.part()).addInteger(f.dataCoding()).addBuffer(Buffer.buffer(f.payload()))
                                    .addOffsetDateTime(Times.db(tx.now().minus(timeout))))
                    .compose(done -> {
                        if (done.size() == 0) {
                            return keep(tx, set, f);
                        }
                        Row previous = done.iterator().next();
                        if (previous.getBoolean("same")) {
                            // The set was delivered, and the peer sends this part again: our answer was lost.
                            return Future.succeededFuture(new Duplicate(previous.getString("carrier_ref")));
                        }
                        // Other text under a delivered set's key: the peer reused the reference for a new message.
                        return tx.query("DELETE FROM sms_fragments_done WHERE " + SET, set.tuple()).compose(v -> keep(tx, set, f));
                    }));
    }

    private Future<Outcome> keep(Tx tx, SetKey set, InboundFragment f) {
        Tuple insert = set.tuple().addInteger(f.part()).addInteger(f.dataCoding()).addString(f.encoding())
                .addBuffer(Buffer.buffer(f.payload())).addString(f.carrierRef()).addOffsetDateTime(Times.db(tx.now()));
        return tx.query("INSERT INTO sms_fragments (number, source, sender, scheme, reference, total, " + PARTS
                        + ", received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING", insert)
                .compose(inserted -> inserted.rowCount() == 0
                        ? duplicate(tx, set, f.part())
                        : completeIfWhole(tx, set, f.carrierRef()));
    }

    private static Future<Outcome> duplicate(Tx tx, SetKey set, int part) {
        return tx.query("SELECT carrier_ref FROM sms_fragments WHERE " + SET + " AND part = $7", set.tuple().addInteger(part))
                .map(rows -> new Duplicate(rows.iterator().next().getString(0)));
    }

    private Future<Outcome> completeIfWhole(Tx tx, SetKey set, String carrierRef) {
        return tx.query("SELECT count(*) FROM sms_fragments WHERE " + SET, set.tuple()).compose(count -> {
            int received = count.iterator().next().getLong(0).intValue();
            if (received < set.total()) {
                return Future.succeededFuture(new Stored(carrierRef, received, set.total()));
            }
            return finish(tx, set).map(message -> new Completed(carrierRef, message));
        });
    }

    /**
     * Delivers every set whose first segment arrived at least the timeout ago, with a gap marker for
     * each missing part, and returns the messages created. Each set is its own transaction, re-checked
     * under the number's lock (it may have completed since the scan); one set that fails does not
     * keep the others waiting, but makes the returned future fail once all were tried. Parts of sets
     * delivered more than the timeout ago are forgotten.
     */
    public Future<List<Message>> sweep() {
        Instant cutoff = clock.instant().minus(timeout);
        return db.pool().preparedQuery("""
                        SELECT number, source, sender, scheme, reference, total FROM sms_fragments
                        GROUP BY number, source, sender, scheme, reference, total
                        HAVING min(received_at) <= $1 ORDER BY min(received_at)""")
                .execute(Tuple.of(Times.db(cutoff)))
                .compose(rows -> {
                    List<SetKey> due = new ArrayList<>();
                    rows.forEach(r -> due.add(new SetKey(r.getString("number"), r.getString("source"), r.getString("sender"),
                            r.getString("scheme"), r.getInteger("reference"), r.getInteger("total"))));
                    List<Message> delivered = new ArrayList<>();
                    List<Throwable> failures = new ArrayList<>();
                    Future<Void> chain = Future.succeededFuture();
                    for (SetKey set : due) {
                        chain = chain.compose(v -> expire(set, cutoff)
                                .onSuccess(m -> m.ifPresent(delivered::add))
                                .onFailure(failures::add)
                                .<Void>mapEmpty()
                                .otherwiseEmpty());
                    }
                    return chain
                            .compose(v -> db.pool().preparedQuery("DELETE FROM sms_fragments_done WHERE done_at <= $1")
                                    .execute(Tuple.of(Times.db(cutoff))))
                            .compose(v -> failures.isEmpty() ? Future.succeededFuture(delivered)
                                    : Future.failedFuture(failures.get(0)));
                });
    }

    private Future<Optional<Message>> expire(SetKey set, Instant cutoff) {
        return db.inTransaction(tx -> tx.lockNumbers(Set.of(set.number()))
                .compose(v -> tx.query("SELECT min(received_at) FROM sms_fragments WHERE " + SET, set.tuple()))
                .compose(oldest -> {
                    OffsetDateTime first = oldest.iterator().next().getOffsetDateTime(0);
                    if (first == null || Times.instant(first).isAfter(cutoff)) {
                        return Future.succeededFuture(Optional.<Message>empty());
                    }
                    return finish(tx, set).map(Optional::of);
                }));
    }

    /**
     * Deletes the set, remembers its parts in {@code sms_fragments_done} and creates the message; the
     * number is locked by this transaction.
     */
    private Future<Message> finish(Tx tx, SetKey set) {
        return tx.query("WITH gone AS (DELETE FROM sms_fragments WHERE " + SET + " RETURNING *), done AS ("
                        + " INSERT INTO sms_fragments_done (number, source, sender, scheme, reference, total, part, digest, carrier_ref, done_at)"
                        + " SELECT number, source, sender, scheme, reference, total, part, sha256(int4send(data_coding) || payload),"
                        + " carrier_ref, $7 FROM gone"
                        + " ON CONFLICT (number, source, sender, scheme, reference, total, part) DO UPDATE"
                        + " SET digest = EXCLUDED.digest, carrier_ref = EXCLUDED.carrier_ref, done_at = EXCLUDED.done_at)"
                        + " SELECT " + PARTS + " FROM gone", set.tuple().addOffsetDateTime(Times.db(tx.now())))
                .compose(rows -> deliver(tx, set, rows));
    }

    private Future<Message> deliver(Tx tx, SetKey set, RowSet<Row> rows) {
        List<Segment> present = new ArrayList<>();
        Set<String> refs = new LinkedHashSet<>();
        List<Row> sorted = new ArrayList<>();
        rows.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(r -> r.getInteger("part")));
        for (Row r : sorted) {
            present.add(new Segment(r.getInteger("part"), r.getInteger("data_coding"), r.getString("encoding"),
                    r.getBuffer("payload").getBytes()));
            refs.add(r.getString("carrier_ref"));
        }
        String body = text.join(set.total(), List.copyOf(present));
        // The segments the set was sent in (a sweep may deliver fewer), in the encoding its first part arrived in.
        SmsDetails sms = new SmsDetails(set.total(), SmsDetails.encodingName(present.get(0).encoding()), set.source());
        return inbound.insert(tx, new InboundMessage(set.number(), set.sender(), Channel.SMS, MessageContent.text(body),
                String.join(",", refs), sms));
    }

    private record SetKey(String number, String source, String sender, String scheme, int reference, int total) {
        Tuple tuple() {
            return Tuple.tuple().addString(number).addString(source).addString(sender).addString(scheme)
                    .addInteger(reference).addInteger(total);
        }
    }
}
