package dev.switchboard.inbox.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.TestDatabase;
import dev.switchboard.inbox.devices.DevicePolicy;
import dev.switchboard.inbox.devices.NumberService;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Segments kept on the real database until their set is complete: order, duplicates, concurrency, the timeout. */
class FragmentStoreTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final String SOURCE = "smpp:test";

    private static Vertx vertx;
    private static Pool pool;
    private static SyncLog syncLog;
    private static FragmentStore store;
    private static final MovableClock CLOCK = new MovableClock();

    /** Decodes each part as Latin-1 on its own and marks the missing ones, so a test sees exactly what was joined. */
    private static final FragmentStore.SetText TEXT = (total, present) -> {
        StringBuilder out = new StringBuilder();
        int next = 1;
        for (FragmentStore.Segment s : present) {
            for (; next < s.part(); next++) {
                out.append("[missing ").append(next).append('/').append(total).append(']');
            }
            out.append(new String(s.payload(), StandardCharsets.ISO_8859_1));
            next = s.part() + 1;
        }
        for (; next <= total; next++) {
            out.append("[missing ").append(next).append('/').append(total).append(']');
        }
        return out.toString();
    };

    @BeforeAll
    static void setUp() throws Exception {
        vertx = Vertx.vertx();
        pool = TestDatabase.freshPool(vertx, 16);
        syncLog = new SyncLog(pool);
        Transactor db = new Transactor(pool, syncLog, CLOCK, events -> { });
        Ids ids = new Ids(new SecureRandom());
        DevicePolicy policy = new DevicePolicy(4, Duration.ofDays(14), Duration.ofMinutes(2), Duration.ofHours(1));
        NumberService numbers = new NumberService(db, ids, policy);
        for (String n : List.of("+390602020201", "+390602020202", "+390602020203", "+390602020204", "+390602020205",
                "+390602020206", "+390602020207")) {
            await(numbers.serve(n, null));
        }
        store = new FragmentStore(db, new InboundService(db, ids), CLOCK, TIMEOUT, TEXT);
    }

    @AfterAll
    static void tearDown() throws Exception {
        await(pool.close());
        await(vertx.close());
    }

    private static InboundFragment part(String to, String from, int reference, int total, int part, String text) {
        return new InboundFragment(SOURCE, to, from, "udh8", reference, total, part, 3, "LATIN1",
                text.getBytes(StandardCharsets.ISO_8859_1), SOURCE + ":ref" + part + "-" + text.length());
    }

    private static List<SyncEvent> created(String number) throws Exception {
        return await(syncLog.read(number, 0, 1000)).events().stream()
                .filter(e -> e.type().equals(SyncEvent.MESSAGE_CREATED)).toList();
    }

    private static long keptFragments(String number) throws Exception {
        return await(pool.preparedQuery("SELECT count(*) FROM sms_fragments WHERE number = $1").execute(Tuple.of(number)))
                .iterator().next().getLong(0);
    }

    @Test
    void outOfOrderSetWithADuplicateBecomesOneMessageInPartOrder() throws Exception {
        String to = "+390602020201";
        FragmentStore.Outcome third = await(store.accept(part(to, "+447700900001", 7, 3, 3, "CCC")));
        assertEquals(new FragmentStore.Stored(SOURCE + ":ref3-3", 1, 3), third);
        assertEquals(new FragmentStore.Stored(SOURCE + ":ref1-2", 2, 3), await(store.accept(part(to, "+447700900001", 7, 3, 1, "AA"))));

        // The peer sends part 3 again (say its response was lost), with another reference of ours.
        FragmentStore.Outcome again = await(store.accept(part(to, "+447700900001", 7, 3, 3, "CCC-resent")));
        assertEquals(new FragmentStore.Duplicate(SOURCE + ":ref3-3"), again, "answered with the first copy's reference");
        assertEquals(2, keptFragments(to), "a duplicate writes nothing");
        assertTrue(created(to).isEmpty(), "no message before the set is complete");

        FragmentStore.Outcome last = await(store.accept(part(to, "+447700900001", 7, 3, 2, "B")));
        Message message = assertInstanceOf(FragmentStore.Completed.class, last).message();
        assertEquals("AABCCC", message.content().text(), "joined in part order, the first copy of part 3");
        assertEquals("+447700900001", message.from());
        assertEquals(to, message.to());
        assertEquals(1, created(to).size(), "one message.created for the whole set");
        assertEquals(message.id(), created(to).get(0).data().getString("id"));
        assertEquals(0, keptFragments(to), "the set is deleted in the commit that created the message");
        String carrierRef = await(pool.preparedQuery("SELECT carrier_ref FROM messages WHERE id = $1").execute(Tuple.of(message.id())))
                .iterator().next().getString(0);
        assertEquals(SOURCE + ":ref1-2," + SOURCE + ":ref2-1," + SOURCE + ":ref3-3", carrierRef);
    }

    @Test
    void setsThatDifferInAnyPartOfTheirKeyNeverMix() throws Exception {
        String to = "+390602020202";
        String from = "+447700900002";
        // Same reference and total, but another sender, another path, another scheme, another total.
        await(store.accept(part(to, from, 9, 2, 1, "mine-")));
        await(store.accept(part(to, "+447700900099", 9, 2, 2, "other sender")));
        await(store.accept(new InboundFragment("smpp-carrier:acme", to, from, "udh8", 9, 2, 2, 3, "LATIN1",
                "other path".getBytes(StandardCharsets.ISO_8859_1), "smpp-carrier:acme")));
        await(store.accept(new InboundFragment(SOURCE, to, from, "udh16", 9, 2, 2, 3, "LATIN1",
                "other scheme".getBytes(StandardCharsets.ISO_8859_1), "x")));
        await(store.accept(part(to, from, 9, 3, 2, "other total")));
        assertTrue(created(to).isEmpty(), "none of those completes the first set");

        Message done = assertInstanceOf(FragmentStore.Completed.class, await(store.accept(part(to, from, 9, 2, 2, "done")))).message();
        assertEquals("mine-done", done.content().text());
        assertEquals(4, keptFragments(to), "the other sets are still waiting");
    }

    @Test
    void concurrentPartsOfOneSetCompleteItExactlyOnce() throws Exception {
        String to = "+390602020203";
        int total = 12;
        List<Future<FragmentStore.Outcome>> all = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int i = total; i >= 1; i--) {
                all.add(store.accept(part(to, "+447700900003", 200, total, i, Integer.toString(i % 10))));
            }
        }
        List<FragmentStore.Outcome> outcomes = new ArrayList<>();
        for (Future<FragmentStore.Outcome> f : all) {
            outcomes.add(await(f));
        }
        assertEquals(1, outcomes.stream().filter(FragmentStore.Completed.class::isInstance).count());
        assertEquals(total, outcomes.stream().filter(o -> !(o instanceof FragmentStore.Duplicate)).count(),
                "every part was kept once");
        List<SyncEvent> events = created(to);
        assertEquals(1, events.size());
        assertEquals("123456789012", events.get(0).data().getString("text"));
        assertEquals(0, keptFragments(to));
    }

    @Test
    void partSentAgainAfterItsSetWasDeliveredIsADuplicateButNewTextUnderTheSameKeyIsANewSet() throws Exception {
        String to = "+390602020207";
        String from = "+447700900007";
        await(store.accept(part(to, from, 5, 2, 1, "he")));
        assertEquals("hello", assertInstanceOf(FragmentStore.Completed.class, await(store.accept(part(to, from, 5, 2, 2, "llo"))))
                .message().content().text());

        // Our response to the last part was lost and the peer sends it again.
        assertEquals(new FragmentStore.Duplicate(SOURCE + ":ref2-3"), await(store.accept(part(to, from, 5, 2, 2, "llo"))));
        assertEquals(0, keptFragments(to));
        assertEquals(1, created(to).size(), "no second message, no second event");

        // The peer reuses the reference for new text: that is a new set, even where a part is identical.
        assertInstanceOf(FragmentStore.Stored.class, await(store.accept(part(to, from, 5, 2, 1, "ce"))));
        assertEquals("cello", assertInstanceOf(FragmentStore.Completed.class, await(store.accept(part(to, from, 5, 2, 2, "llo"))))
                .message().content().text());
        assertEquals(2, created(to).size());

        // Delivered parts are remembered for one timeout, then forgotten.
        CLOCK.advance(TIMEOUT.plusSeconds(1));
        await(store.sweep());
        assertInstanceOf(FragmentStore.Stored.class, await(store.accept(part(to, from, 5, 2, 2, "llo"))));
        assertEquals(1, keptFragments(to));
    }

    @Test
    void singlePartSetIsAMessageAtOnce() throws Exception {
        String to = "+390602020204";
        Message m = assertInstanceOf(FragmentStore.Completed.class, await(store.accept(part(to, "+447700900004", 1, 1, 1, "solo"))))
                .message();
        assertEquals("solo", m.content().text());
        assertEquals(0, keptFragments(to));
    }

    @Test
    void unservedNumberIsRefusedAndNothingIsKept() throws Exception {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(store.accept(part("+390609999999", "+447700900005", 1, 2, 1, "x"))));
        assertEquals(InboxException.Kind.NOT_FOUND, assertInstanceOf(InboxException.class, e.getCause()).kind());
        assertEquals(0, keptFragments("+390609999999"));
    }

    @Test
    void incompleteSetIsDeliveredWithGapMarkersOnlyAfterTheTimeout() throws Exception {
        String to = "+390602020205";
        await(store.accept(part(to, "+447700900006", 33, 4, 2, "two")));
        CLOCK.advance(TIMEOUT.minusMinutes(1));
        await(store.accept(part(to, "+447700900006", 33, 4, 4, "four")));
        // A set that started later, for another number: not due when the first one is.
        await(store.accept(part("+390602020206", "+447700900006", 34, 2, 1, "young")));

        assertTrue(await(store.sweep()).stream().noneMatch(m -> m.to().equals(to)), "not due yet");
        assertEquals(2, keptFragments(to));

        CLOCK.advance(Duration.ofMinutes(1));
        List<Message> swept = await(store.sweep());
        List<Message> mine = swept.stream().filter(m -> m.to().equals(to)).toList();
        assertEquals(1, mine.size(), "due one timeout after its first part, not its last");
        assertEquals("[missing 1/4]two[missing 3/4]four", mine.get(0).content().text());
        assertEquals(0, keptFragments(to));
        assertEquals(1, created(to).size());
        assertEquals(1, keptFragments("+390602020206"), "the younger set keeps waiting");

        assertTrue(await(store.sweep()).stream().noneMatch(m -> m.to().equals(to)), "a swept set is gone");
        // A part that comes after its set was swept starts a set of its own; nothing is lost.
        await(store.accept(part(to, "+447700900006", 33, 4, 3, "three")));
        assertEquals(1, keptFragments(to));
        assertEquals(1, created(to).size());
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** The test's clock: the transactions stamp received_at with it and the sweep compares against it. */
    private static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        void advance(Duration d) { now.updateAndGet(i -> i.plus(d)); }

        @Override
        public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override
        public Clock withZone(ZoneId zone) { return this; }

        @Override
        public Instant instant() { return now.get(); }
    }
}
