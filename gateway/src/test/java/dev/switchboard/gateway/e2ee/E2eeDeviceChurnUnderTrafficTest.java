package dev.switchboard.gateway.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.ApprovedDevices;
import dev.switchboard.client.DecryptedMessage;
import dev.switchboard.client.E2eeSender;
import dev.switchboard.client.KeyVerificationException;
import dev.switchboard.client.SwitchboardApiException;
import dev.switchboard.client.SyncEvent;
import dev.switchboard.client.SyncPage;
import dev.switchboard.client.TrustStore;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The churn of {@link E2eeDeviceChurnTest}, but while messages flow: two threads keep sending end
 * to end without pause, A's phone and laptop to B and B's phone and desktop to A, while the main
 * thread links a tablet to B and then has B's primary unlink B's laptop (signing the new list). No
 * sender is told anything: each finds out from the gateway's 409 {@code device_mismatch}, fetches
 * the keys again and retries.
 *
 * <p>What "exactly the messages sent after its link" means is taken from the gateway's own commit
 * order: B's sync log is commit-ordered (every writer holds B's lock), so each message's
 * {@code message.created} seq is compared with the seq of the tablet's {@code device.linked} and
 * the laptop's {@code device.unlinked} events, and the wrapped keys stored in {@code e2ee_keys}
 * must follow that order exactly. The senders' own timeline is checked against it too: what was
 * sent before the link started is unreadable on the tablet, what was begun after it returned is
 * readable. A second test races key fetches against links and unlinks: every answer must verify,
 * or the sender caught in the race could not recover by itself.
 */
class E2eeDeviceChurnUnderTrafficTest {
    private static final String A = "+390618190001";
    private static final String B = "+390618190002";
    /** Sends each thread completes before the first churn, between the two, and after the last. */
    private static final int SENDS_PER_PHASE = 6;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    /** One sending thread: its devices take turns, one message after the other, until told to stop. */
    private static final class SendLoop implements Runnable {
        final String name;
        final List<E2eeParty> devices;
        final String to;
        final AtomicBoolean stop;
        /** Texts whose send was begun, in order (a text is added before its send starts). */
        final List<String> begun = new CopyOnWriteArrayList<>();
        /** Texts whose send returned, in order. */
        final List<String> done = new CopyOnWriteArrayList<>();
        final Map<String, List<String>> refusalsByDevice = new ConcurrentHashMap<>();

        SendLoop(String name, List<E2eeParty> devices, String to, AtomicBoolean stop) {
            this.name = name;
            this.devices = devices;
            this.to = to;
            this.stop = stop;
            devices.forEach(d -> refusalsByDevice.put(d.name, new CopyOnWriteArrayList<>()));
        }

        @Override
        public void run() {
            for (int i = 0; !stop.get(); i++) {
                E2eeParty from = devices.get(i % devices.size());
                String text = name + " #" + i + " from " + from.name;
                begun.add(text);
                E2eeSender.Sent sent = from.sender.send(to, text);
                if (!sent.encrypted()) {
                    throw new AssertionError(text + " did not go end to end");
                }
                refusalsByDevice.get(from.name).addAll(sent.refusals());
                done.add(text);
            }
        }

        int done() {
            return done.size();
        }
    }

    @Test
    void devicesLinkedAndUnlinkedWhileBothSidesKeepSendingGetExactlyTheMessagesCommittedWhileTheyWereLinked()
            throws Exception {
        Device aPhoneDevice = gw.primary(A);
        Device aLaptopDevice = gw.link(aPhoneDevice, "laptop");
        Device bPhoneDevice = gw.primary(B);
        bPhoneDevice.client().publishDeviceList(bPhoneDevice.keys(), ApprovedDevices.none());
        Device bDesktopDevice = gw.link(bPhoneDevice, "desktop");
        Device bLaptopDevice = gw.link(bPhoneDevice, "laptop");
        E2eeParty aPhone = new E2eeParty("aPhone", aPhoneDevice);
        E2eeParty aLaptop = new E2eeParty("aLaptop", aLaptopDevice);
        E2eeParty bPhone = new E2eeParty("bPhone", bPhoneDevice);
        E2eeParty bDesktop = new E2eeParty("bDesktop", bDesktopDevice);

        AtomicBoolean stop = new AtomicBoolean();
        SendLoop fromA = new SendLoop("A", List.of(aPhone, aLaptop), B, stop);
        SendLoop fromB = new SendLoop("B", List.of(bPhone, bDesktop), A, stop);
        List<SendLoop> loops = List.of(fromA, fromB);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<Future<?>> running = new ArrayList<>();
        Device bTabletDevice;
        Set<String> doneBeforeLink = new HashSet<>();
        Set<String> begunAfterLink = new HashSet<>();
        Set<String> begunAfterUnlink = new HashSet<>();
        try {
            loops.forEach(loop -> running.add(threads.submit(loop)));
            awaitSends(loops, running, Map.of(fromA, 0, fromB, 0));

            // Linked while both threads are sending.
            loops.forEach(loop -> doneBeforeLink.addAll(loop.done));
            bTabletDevice = gw.link(bPhoneDevice, "tablet");
            Map<SendLoop, Integer> linkReturned = begunSoFar(loops);
            awaitSends(loops, running, doneSoFar(loops));
            loops.forEach(loop -> begunAfterLink.addAll(startedFrom(loop, linkReturned.get(loop))));

            // Unlinked by the primary, which signs the new list, while both threads (the primary's own included) send.
            bPhoneDevice.client().unlink(bLaptopDevice.id());
            Map<SendLoop, Integer> unlinkReturned = begunSoFar(loops);
            awaitSends(loops, running, doneSoFar(loops));
            loops.forEach(loop -> begunAfterUnlink.addAll(startedFrom(loop, unlinkReturned.get(loop))));
        } finally {
            stop.set(true);
            threads.shutdown();
        }
        for (Future<?> loop : running) {
            loop.get(WAIT.toSeconds(), TimeUnit.SECONDS); // rethrows a send that failed: nobody was there to help
        }
        assertTrue(threads.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS));
        E2eeParty bTablet = new E2eeParty("bTablet", bTabletDevice);

        // Every send succeeded by itself; each sending device met each change exactly once, as a 409.
        List<String> sent = new ArrayList<>();
        for (SendLoop loop : loops) {
            assertEquals(loop.begun, loop.done, "every send that began returned successfully");
            sent.addAll(loop.done);
            loop.refusalsByDevice.forEach((device, refusals) -> assertEquals(List.of("device_mismatch", "device_mismatch"),
                    refusals, device + " recovered once from the link and once from the unlink, with no one's help"));
        }
        assertEquals(sent.size(), new HashSet<>(sent).size());
        assertFalse(begunAfterLink.isEmpty());
        assertFalse(begunAfterUnlink.isEmpty());

        // B's commit-ordered log places the link, the unlink and every message.
        List<SyncEvent> bLog = syncAll(bPhone);
        long linkedAt = seqOf(bLog, "device.linked", bTablet.id());
        long unlinkedAt = seqOf(bLog, "device.unlinked", bLaptopDevice.id());
        assertTrue(linkedAt < unlinkedAt);
        List<SyncEvent> bMessages = bLog.stream().filter(E2eeDeviceChurnUnderTrafficTest::e2eeCreated).toList();
        assertEquals(sent.size(), bMessages.size(), "B's log holds each message once");
        assertTrue(bMessages.stream().anyMatch(e -> e.seq() < linkedAt), "messages were committed before the link");
        assertTrue(bMessages.stream().anyMatch(e -> e.seq() > linkedAt && e.seq() < unlinkedAt),
                "messages were committed between the link and the unlink");
        assertTrue(bMessages.stream().anyMatch(e -> e.seq() > unlinkedAt), "messages were committed after the unlink");

        Map<Long, String> textAt = new HashMap<>();
        for (SyncEvent event : bMessages) {
            textAt.put(event.seq(), textOf(bPhone, event));
        }

        // The devices that were there all along read every message exactly once, from their own sync.
        List<String> allSorted = sorted(sent);
        for (E2eeParty party : List.of(aPhone, aLaptop, bPhone, bDesktop)) {
            List<String> texts = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (SyncEvent event : syncAll(party)) {
                if (e2eeCreated(event)) {
                    assertTrue(ids.add(event.data().path("id").asText()), party + " saw a message twice: " + event.data());
                    DecryptedMessage message = party.decryptor.decrypt(event.data());
                    assertEquals(DecryptedMessage.Source.DECRYPTED, message.source(), party + ": " + message.error());
                    texts.add(message.text());
                }
            }
            assertEquals(allSorted, sorted(texts), party + " read each sent message exactly once");
        }

        // The tablet: a key for exactly the messages committed after its link, and it reads each of them.
        Map<String, Set<String>> keyHolders = wrappedKeyHoldersByMessage(B);
        List<String> expectedOnTablet = new ArrayList<>();
        List<String> readOnTablet = new ArrayList<>();
        List<SyncEvent> tabletLog = syncAll(bTablet);
        assertEquals(bMessages.stream().map(SyncEvent::seq).toList(),
                tabletLog.stream().filter(E2eeDeviceChurnUnderTrafficTest::e2eeCreated).map(SyncEvent::seq).toList(),
                "the tablet syncs B's log, each message once");
        Set<String> unreadableOnTablet = new HashSet<>();
        for (SyncEvent event : tabletLog) {
            if (!e2eeCreated(event)) {
                continue;
            }
            String id = event.data().path("id").asText();
            Set<String> holders = keyHolders.getOrDefault(id, Set.of());
            boolean afterLink = event.seq() > linkedAt;
            assertEquals(afterLink, holders.contains(bTablet.id()), "tablet key for " + id + " at seq " + event.seq()
                    + " (linked at " + linkedAt + ")");
            assertEquals(afterLink, targets(event).contains(bTablet.id()), "tablet among the targets of " + id);
            DecryptedMessage message = bTablet.decryptor.decrypt(event.data());
            if (afterLink) {
                assertEquals(DecryptedMessage.Source.DECRYPTED, message.source(), "tablet: " + message.error());
                readOnTablet.add(message.text());
                expectedOnTablet.add(textAt.get(event.seq()));
            } else {
                assertFalse(message.readable(), "the tablet reads nothing from before its link: " + message.text());
                assertTrue(event.data().path("encrypted").path("key").isNull(), "no key handed to the tablet");
                unreadableOnTablet.add(textAt.get(event.seq()));
            }
        }
        assertEquals(sorted(expectedOnTablet), sorted(readOnTablet));
        assertEquals(bMessages.size(), expectedOnTablet.size() + unreadableOnTablet.size());
        assertTrue(readOnTablet.containsAll(begunAfterLink), "everything begun after the link returned reaches the tablet");
        assertTrue(unreadableOnTablet.containsAll(doneBeforeLink), "nothing sent before the link reaches the tablet");

        // The laptop: a key for exactly the messages committed before its unlink, none after; its token is dead.
        int laptopKeys = 0;
        for (SyncEvent event : bMessages) {
            String id = event.data().path("id").asText();
            boolean beforeUnlink = event.seq() < unlinkedAt;
            assertEquals(beforeUnlink, keyHolders.getOrDefault(id, Set.of()).contains(bLaptopDevice.id()),
                    "laptop key for " + id + " at seq " + event.seq() + " (unlinked at " + unlinkedAt + ")");
            assertEquals(beforeUnlink, targets(event).contains(bLaptopDevice.id()), "laptop among the targets of " + id);
            if (beforeUnlink) {
                laptopKeys++;
            }
        }
        assertEquals(laptopKeys, wrappedKeysFor(bLaptopDevice.id()), "no other key was ever stored for the laptop");
        Set<String> afterUnlinkTexts = new HashSet<>();
        for (SyncEvent event : bMessages) {
            if (event.seq() > unlinkedAt) {
                afterUnlinkTexts.add(textAt.get(event.seq()));
            }
        }
        assertTrue(afterUnlinkTexts.containsAll(begunAfterUnlink), "what was begun after the unlink returned committed after it");
        SwitchboardApiException gone = assertThrows(SwitchboardApiException.class, () -> bLaptopDevice.client().sync(0, 10));
        assertEquals(401, gone.status());
    }

    /**
     * A sender that fetches keys just as a device is linked or unlinked (its first message, or the
     * refetch after a 409) must get an answer that verifies: the devices and the signed list of one
     * moment, never the devices from before a change paired with the list from after it, which the
     * client rightly refuses and which would stop the send with nobody able to help. Readers race
     * several links and unlinks, so a torn read has many chances to show.
     */
    @Test
    void keysFetchedWhileDevicesAreLinkedAndUnlinkedAlwaysVerify() throws Exception {
        String c = "+390618190003";
        String d = "+390618190004";
        Device cPhone = gw.primary(c);
        Device dPhone = gw.primary(d);
        dPhone.client().publishDeviceList(dPhone.keys(), ApprovedDevices.none());
        AtomicBoolean stop = new AtomicBoolean();
        List<String> refused = new CopyOnWriteArrayList<>();
        AtomicInteger fetched = new AtomicInteger();
        ExecutorService readers = Executors.newFixedThreadPool(3);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                running.add(readers.submit(() -> {
                    while (!stop.get()) {
                        // A fresh trust store each time: a newcomer's first fetch, nothing to compare with but the answer itself.
                        TrustStore trust = new TrustStore(
                                Files.createTempDirectory("keys-race").resolve("trust.json"));
                        try {
                            cPhone.client().verifiedKeys(d, trust);
                            fetched.incrementAndGet();
                        } catch (KeyVerificationException e) {
                            refused.add(e.getMessage());
                        }
                    }
                    return null;
                }));
            }
            Eventually.await("the readers fetching", WAIT, () -> fetched.get() > 0 || !refused.isEmpty());
            for (int i = 0; i < 12; i++) {
                Device companion = gw.link(dPhone, "companion " + i);
                dPhone.client().unlink(companion.id());
            }
        } finally {
            stop.set(true);
            readers.shutdown();
        }
        for (Future<?> reader : running) {
            reader.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertEquals(List.of(), refused, "every answer verified (" + fetched.get() + " did)");
    }

    // -----------------------------------------------------------------------------------------

    /** Waits until each loop completed {@link #SENDS_PER_PHASE} more sends than {@code from}, failing early if one died. */
    private static void awaitSends(List<SendLoop> loops, List<Future<?>> running, Map<SendLoop, Integer> from) {
        Eventually.await(SENDS_PER_PHASE + " more sends from each side", WAIT, () -> {
            for (Future<?> loop : running) {
                if (loop.isDone()) {
                    return true; // a send failed: the get() after the loop reports why
                }
            }
            return loops.stream().allMatch(loop -> loop.done() >= from.get(loop) + SENDS_PER_PHASE);
        });
        for (Future<?> loop : running) {
            if (loop.isDone()) {
                throw new AssertionError("a sender stopped: " + failure(loop));
            }
        }
    }

    private static String failure(Future<?> loop) {
        try {
            loop.get();
            return "without an error";
        } catch (Exception e) {
            StringBuilder out = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                out.append(t).append("; ");
            }
            return out.toString();
        }
    }

    private static Map<SendLoop, Integer> doneSoFar(List<SendLoop> loops) {
        Map<SendLoop, Integer> counts = new HashMap<>();
        loops.forEach(loop -> counts.put(loop, loop.done()));
        return counts;
    }

    private static Map<SendLoop, Integer> begunSoFar(List<SendLoop> loops) {
        Map<SendLoop, Integer> counts = new HashMap<>();
        loops.forEach(loop -> counts.put(loop, loop.begun.size()));
        return counts;
    }

    /** The texts whose send began at index {@code index} or later, i.e. after the moment the count was taken. */
    private static List<String> startedFrom(SendLoop loop, int index) {
        List<String> begun = List.copyOf(loop.begun);
        return index >= begun.size() ? List.of() : begun.subList(index, begun.size());
    }

    private static List<SyncEvent> syncAll(E2eeParty party) {
        List<SyncEvent> events = new ArrayList<>();
        long since = 0;
        while (true) {
            SyncPage page = party.device.client().sync(since, 1000);
            events.addAll(page.events());
            since = page.next();
            if (!page.hasMore()) {
                return events;
            }
        }
    }

    private static boolean e2eeCreated(SyncEvent event) {
        return event.type().equals("message.created") && event.data().path("e2ee").asBoolean(false);
    }

    private static long seqOf(List<SyncEvent> log, String type, String deviceId) {
        List<Long> found = log.stream()
                .filter(e -> e.type().equals(type) && deviceId.equals(e.data().path("id").asText(null)))
                .map(SyncEvent::seq).toList();
        assertEquals(1, found.size(), "one " + type + " event for " + deviceId + " in " + log.stream()
                .filter(e -> !e.type().startsWith("message.")).map(e -> e.seq() + " " + e.type() + " " + e.data()).toList());
        return found.get(0);
    }

    private static Set<String> targets(SyncEvent event) {
        Set<String> out = new HashSet<>();
        event.data().path("encrypted").path("targets").forEach(t -> out.add(t.asText()));
        assertFalse(out.isEmpty(), "the message names its targets: " + event.data());
        return out;
    }

    private static String textOf(E2eeParty reader, SyncEvent event) {
        DecryptedMessage message = reader.decryptor.decrypt(event.data());
        assertEquals(DecryptedMessage.Source.DECRYPTED, message.source(), reader + ": " + message.error());
        assertNotNull(message.text());
        return message.text();
    }

    private static List<String> sorted(List<String> texts) {
        List<String> out = new ArrayList<>(texts);
        Collections.sort(out);
        return out;
    }

    /** Message id (the number's own copy) -> the devices holding a wrapped key for it, from the database. */
    private static Map<String, Set<String>> wrappedKeyHoldersByMessage(String number) throws Exception {
        Map<String, Set<String>> holders = new HashMap<>();
        try (Connection db = gw.jdbc();
             PreparedStatement query = db.prepareStatement("""
                     SELECT m.id, k.device_id FROM messages m JOIN e2ee_keys k ON k.payload_id = m.payload_id
                     WHERE m.number = ?""")) {
            query.setString(1, number);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    holders.computeIfAbsent(rows.getString(1), id -> new HashSet<>()).add(rows.getString(2));
                }
            }
        }
        return holders;
    }

    private static int wrappedKeysFor(String deviceId) throws Exception {
        try (Connection db = gw.jdbc();
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM e2ee_keys WHERE device_id = ?")) {
            query.setString(1, deviceId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
