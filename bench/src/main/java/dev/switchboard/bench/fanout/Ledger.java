package dev.switchboard.bench.fanout;

import dev.switchboard.client.DecryptedMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * What was sent and what each device read: the source of the correctness counters and the latency
 * histograms (microseconds). A message counts as received by a device once that device decrypted
 * it to exactly the text that was sent; a second copy at the same device is a duplicate.
 *
 * <p>Thread-safe: senders call {@link #sending}, {@link #accepted} and {@link #failed}, the
 * decrypting threads call {@link #read}.
 */
public final class Ledger {
    private static final String PREFIX = "fanout ";
    private static final int ACCEPTED = 1;
    private static final int COMPLETE = 2;

    private final int devices;
    private final String filler;
    private final AtomicLong nextId = new AtomicLong();
    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();

    /** Send → the last of the devices got the frame: the headline latency (measured messages only). */
    private final ConcurrentHistogram fanoutMicros = new ConcurrentHistogram(3);
    /** Send → each device's frame. */
    private final ConcurrentHistogram frameMicros = new ConcurrentHistogram(3);
    /** Send → the POST accepted (E2eeSender.send returned). */
    private final ConcurrentHistogram acceptMicros = new ConcurrentHistogram(3);

    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong undecryptable = new AtomicLong();
    private final AtomicLong wrongText = new AtomicLong();
    private final AtomicLong notEncrypted = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    private final AtomicLong withWarnings = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong retriedSends = new AtomicLong();
    private final AtomicLong sentInTheClear = new AtomicLong();
    private final Map<String, String> samples = new ConcurrentHashMap<>();

    private final Object progress = new Object();
    private long acceptedCount;
    private long acceptedAndComplete;
    private final AtomicLong lastMeasuredCompletion = new AtomicLong();
    private final AtomicLong lastMeasuredAccept = new AtomicLong();

    private static final class Entry {
        final String text;
        final long sentAt;
        final boolean measured;
        final AtomicInteger receptions = new AtomicInteger();
        final AtomicLong lastArrival = new AtomicLong();
        final AtomicInteger state = new AtomicInteger();

        Entry(String text, long sentAt, boolean measured) {
            this.text = text;
            this.sentAt = sentAt;
            this.measured = measured;
        }
    }

    /** One message about to be sent. */
    public record Outgoing(long id, String text) {}

    /**
     * @param devices    how many devices must read each message
     * @param textLength the length of every message text (a counter, then filler)
     */
    public Ledger(int devices, int textLength) {
        this.devices = devices;
        this.filler = "x".repeat(Math.max(0, textLength - PREFIX.length() - 12));
    }

    /** Registers a message before it is sealed: its id, its text, and now as its send time. */
    public Outgoing sending(boolean measured) {
        long id = nextId.getAndIncrement();
        String text = textOf(id);
        entries.put(id, new Entry(text, System.nanoTime(), measured));
        return new Outgoing(id, text);
    }

    /** The text message {@code id} has (or would have): the same length for every message. */
    public String textOf(long id) {
        return PREFIX + String.format("%011d", id) + " " + filler;
    }

    /**
     * The gateway accepted {@code id}; {@code retries} is how many refusals E2eeSender recovered from
     * first. A message that went out in the clear counts as accepted, and then as missing at every
     * device, since none can read it end-to-end.
     */
    public void accepted(long id, int retries, boolean encrypted) {
        long now = System.nanoTime();
        Entry e = entries.get(id);
        if (retries > 0) {
            retriedSends.incrementAndGet();
        }
        if (!encrypted) {
            sentInTheClear.incrementAndGet();
        }
        if (e.measured) {
            acceptMicros.recordValue(Math.max(0, (now - e.sentAt) / 1000));
            lastMeasuredAccept.accumulateAndGet(now, Math::max);
        }
        synchronized (progress) {
            acceptedCount++;
        }
        mark(e, ACCEPTED);
    }

    /** The send of {@code id} failed: it is not counted as accepted (nor, when it shows up, as lost). */
    public void failed(long id, Exception error) {
        sendFailures.incrementAndGet();
        samples.putIfAbsent("sendFailure", String.valueOf(error));
    }

    /** Device {@code reader} decrypted a {@code message.created} frame that arrived at {@code arrival} (nanoTime). */
    public void read(String reader, Set<Long> seenByReader, DecryptedMessage m, long arrival) {
        if (!m.readable()) {
            undecryptable.incrementAndGet();
            samples.putIfAbsent("undecryptable", m.errorIfAny().orElse("?"));
            return;
        }
        if (!m.e2ee() || m.source() != DecryptedMessage.Source.DECRYPTED) {
            notEncrypted.incrementAndGet();
            samples.putIfAbsent("notEncrypted", m.source() + " " + m.id());
            return;
        }
        String text = m.text();
        Entry e = null;
        if (text != null && text.startsWith(PREFIX) && text.length() >= PREFIX.length() + 11) {
            try {
                e = entries.get(Long.parseLong(text.substring(PREFIX.length(), PREFIX.length() + 11)));
            } catch (NumberFormatException ignored) {
                // not one of ours: counted below
            }
        }
        if (e == null) {
            unknown.incrementAndGet();
            samples.putIfAbsent("unknown", String.valueOf(text));
            return;
        }
        if (!e.text.equals(text)) {
            wrongText.incrementAndGet();
            samples.putIfAbsent("wrongText", text);
            return;
        }
        if (!m.warnings().isEmpty()) {
            withWarnings.incrementAndGet();
            samples.putIfAbsent("warning", reader + ": " + m.warnings());
        }
        long id = Long.parseLong(text.substring(PREFIX.length(), PREFIX.length() + 11));
        if (!seenByReader.add(id)) {
            duplicates.incrementAndGet();
            return;
        }
        if (e.measured) {
            frameMicros.recordValue(Math.max(0, (arrival - e.sentAt) / 1000));
        }
        // The arrival is folded in before the count goes up, so the one that completes the count sees all of them.
        e.lastArrival.accumulateAndGet(arrival, Math::max);
        if (e.receptions.incrementAndGet() == devices) {
            long last = e.lastArrival.get();
            if (e.measured) {
                fanoutMicros.recordValue(Math.max(0, (last - e.sentAt) / 1000));
                lastMeasuredCompletion.accumulateAndGet(last, Math::max);
            }
            mark(e, COMPLETE);
        }
    }

    private void mark(Entry e, int bit) {
        int before = e.state.getAndUpdate(s -> s | bit);
        if (before != (ACCEPTED | COMPLETE) && (before | bit) == (ACCEPTED | COMPLETE)) {
            synchronized (progress) {
                acceptedAndComplete++;
                progress.notifyAll();
            }
        }
    }

    /**
     * Waits until every accepted message was read by every device, at most {@code timeoutNanos}.
     *
     * @return whether they all were
     */
    public boolean awaitAllRead(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (progress) {
            while (acceptedAndComplete < acceptedCount) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                progress.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Accepted messages in the measured phase. */
    public long acceptedMeasured() {
        return entries.values().stream().filter(e -> e.measured && (e.state.get() & ACCEPTED) != 0).count();
    }

    public long acceptedTotal() {
        synchronized (progress) {
            return acceptedCount;
        }
    }

    /** The instant (nanoTime) the last measured message reached its last device, or 0. */
    public long lastMeasuredCompletion() {
        return lastMeasuredCompletion.get();
    }

    /** The instant (nanoTime) the last measured POST was accepted, or 0. */
    public long lastMeasuredAccept() {
        return lastMeasuredAccept.get();
    }

    /** Device reads missing for accepted messages: a message decrypted wrongly or not at all is missing. */
    public long missingReads() {
        return entries.values().stream().filter(e -> (e.state.get() & ACCEPTED) != 0)
                .mapToLong(e -> devices - e.receptions.get()).sum();
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long deviceReads() {
        return entries.values().stream().mapToLong(e -> e.receptions.get()).sum();
    }

    public ConcurrentHistogram fanoutMicros() {
        return fanoutMicros;
    }

    public ConcurrentHistogram frameMicros() {
        return frameMicros;
    }

    public ConcurrentHistogram acceptMicros() {
        return acceptMicros;
    }

    /** The counters, for the result's details. */
    public JsonObject json() {
        long readButNotAccepted = entries.values().stream()
                .filter(e -> (e.state.get() & ACCEPTED) == 0 && e.receptions.get() > 0).count();
        JsonObject sampleJson = new JsonObject();
        samples.forEach(sampleJson::put);
        return new JsonObject()
                .put("accepted", acceptedTotal())
                .put("acceptedMeasured", acceptedMeasured())
                .put("sendFailures", sendFailures.get())
                .put("sendsRetriedAfterRefusal", retriedSends.get())
                .put("sentInTheClear", sentInTheClear.get())
                .put("deviceReads", deviceReads())
                .put("missingReads", missingReads())
                .put("duplicateReads", duplicates.get())
                .put("undecryptable", undecryptable.get())
                .put("wrongText", wrongText.get())
                .put("notEncrypted", notEncrypted.get())
                .put("unknownMessages", unknown.get())
                .put("readWithWarnings", withWarnings.get())
                .put("readButNotAccepted", readButNotAccepted)
                .put("samples", sampleJson)
                .put("devicesPerMessage", devices)
                .put("checks", new JsonArray().add("every accepted message decrypted to its text once by each device"));
    }
}
