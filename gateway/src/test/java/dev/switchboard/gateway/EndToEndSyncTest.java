package dev.switchboard.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.CursorStore;
import dev.switchboard.client.SentMessage;
import dev.switchboard.client.SyncEvent;
import dev.switchboard.client.SyncStream;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.EventRecorder;
import dev.switchboard.gateway.support.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole core path against the running gateway on a real database: two served numbers, number A
 * with a primary and two companions, live streams, an offline companion catching up, on-net
 * messages both ways and read markers crossing over.
 */
class EndToEndSyncTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String A = "+390611110001";
    private static final String B = "+441611110002";

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();



    @Test
    void offlineCompanionCatchesUpExactlyOnceAndEveryDeviceStaysInSync() throws Exception {
        Device aPrimary = gw.primary(A);
        Device aLaptop = gw.link(aPrimary, "laptop");
        Device aTablet = gw.link(aPrimary, "tablet");
        Device bPrimary = gw.primary(B);

        EventRecorder primaryEvents = new EventRecorder();
        EventRecorder laptopEvents = new EventRecorder();
        EventRecorder tabletEvents = new EventRecorder();
        EventRecorder bEvents = new EventRecorder();
        CursorStore tabletCursor = CursorStore.inMemory(0);
        try (SyncStream primaryStream = aPrimary.client().stream(CursorStore.inMemory(0), primaryEvents);
             SyncStream laptopStream = aLaptop.client().stream(CursorStore.inMemory(0), laptopEvents);
             SyncStream bStream = bPrimary.client().stream(CursorStore.inMemory(0), bEvents)) {
            primaryStream.start();
            laptopStream.start();
            bStream.start();

            // The tablet sees the history once, then goes offline.
            SyncStream tabletStream = aTablet.client().stream(tabletCursor, tabletEvents);
            tabletStream.start();
            tabletEvents.await("the tablet's own link event", WAIT, r -> r.count(linked(aTablet.id())) == 1);
            tabletStream.close();
            long cursorWhenOffline = tabletCursor.load();

            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String text = "from B #" + i;
                bPrimary.client().send(A, text);
                sent.add(text);
            }
            laptopEvents.await("500 messages live on the laptop", WAIT, r -> r.count(incoming()) == 500);

            // Back online: everything it missed, once, in order.
            EventRecorder tabletAgain = new EventRecorder();
            try (SyncStream resumed = aTablet.client().stream(tabletCursor, tabletAgain)) {
                resumed.start();
                tabletAgain.await("500 messages after reconnect", WAIT, r -> r.count(incoming()) == 500);
                List<SyncEvent> replay = tabletAgain.events();
                assertEquals(cursorWhenOffline + 1, replay.get(0).seq(), "the replay starts right after the cursor");
                for (int i = 1; i < replay.size(); i++) {
                    assertEquals(replay.get(i - 1).seq() + 1, replay.get(i).seq(), "no gap and no duplicate");
                }
                List<String> texts = replay.stream().filter(incoming()).map(e -> e.data().get("text").asText()).toList();
                assertEquals(sent, texts, "every message exactly once, in the order B sent them");
                assertTrue(tabletEvents.events().stream().noneMatch(incoming()), "nothing reached the tablet while it was offline");

                // A message from the laptop shows as outgoing on the primary and the tablet, incoming at B.
                SentMessage reply = aLaptop.client().send(B, "hello B, from A's laptop");
                assertEquals("delivered", reply.status());
                assertEquals("onnet", reply.channel());
                Predicate<SyncEvent> outgoing = e -> e.type().equals("message.created") && e.data().get("id").asText().equals(reply.id())
                        && e.data().get("direction").asText().equals("out");
                primaryEvents.await("the laptop's message on the primary", WAIT, r -> r.count(outgoing) == 1);
                tabletAgain.await("the laptop's message on the tablet", WAIT, r -> r.count(outgoing) == 1);
                Predicate<SyncEvent> atB = e -> e.type().equals("message.created") && e.data().get("direction").asText().equals("in")
                        && e.data().get("text").asText().equals("hello B, from A's laptop");
                bEvents.await("the message at B", WAIT, r -> r.count(atB) == 1);
                SyncEvent bCopy = bEvents.events().stream().filter(atB).findFirst().orElseThrow();
                assertEquals(A, bCopy.data().get("from").asText());

                // B reads it: A's devices see the tick turn to read.
                bPrimary.client().markRead(bCopy.data().get("conversationId").asText(), bCopy.data().get("id").asText());
                Predicate<SyncEvent> readTick = e -> e.type().equals("message.updated") && e.data().get("id").asText().equals(reply.id())
                        && e.data().get("status").asText().equals("read");
                primaryEvents.await("read tick on A's primary", WAIT, r -> r.count(readTick) == 1);
                laptopEvents.await("read tick on A's laptop", WAIT, r -> r.count(readTick) == 1);
                tabletAgain.await("read tick on A's tablet", WAIT, r -> r.count(readTick) == 1);

                // The tablet reads B's 500 messages: the other devices of A learn it, B's ticks turn to read.
                JsonNode conversation = aTablet.client().conversationWith(B).orElseThrow();
                assertEquals(500, conversation.get("unread").asInt());
                String lastFromB = tabletAgain.events().stream().filter(incoming()).reduce((x, y) -> y).orElseThrow().data().get("id").asText();
                aTablet.client().markRead(conversation.get("id").asText(), lastFromB);
                Predicate<SyncEvent> readMarker = e -> e.type().equals("conversation.read") && e.data().get("upTo").asText().equals(lastFromB);
                laptopEvents.await("read marker on the laptop", WAIT, r -> r.count(readMarker) == 1);
                primaryEvents.await("read marker on the primary", WAIT, r -> r.count(readMarker) == 1);
                Predicate<SyncEvent> bRead = e -> e.type().equals("message.updated") && e.data().get("status").asText().equals("read")
                        && e.data().get("direction").asText().equals("out");
                bEvents.await("500 read ticks at B", WAIT, r -> r.count(bRead) == 500);
                assertEquals(0, aLaptop.client().conversationWith(B).orElseThrow().get("unread").asInt());
            }

            // The streams and the REST sync agree, event for event.
            long last = laptopEvents.events().get(laptopEvents.events().size() - 1).seq();
            List<Long> polled = new ArrayList<>();
            long since = 0;
            while (true) {
                var page = aLaptop.client().sync(since, 1000);
                page.events().forEach(e -> polled.add(e.seq()));
                since = page.next();
                if (!page.hasMore()) {
                    break;
                }
            }
            assertEquals(laptopEvents.events().stream().map(SyncEvent::seq).toList(), polled.subList(0, polled.indexOf(last) + 1));
        }
    }

    private static Predicate<SyncEvent> incoming() {
        return e -> e.type().equals("message.created") && e.data().get("direction").asText().equals("in");
    }

    private static Predicate<SyncEvent> linked(String deviceId) {
        return e -> e.type().equals("device.linked") && e.data().get("id").asText().equals(deviceId);
    }
}
