package dev.switchboard.bench.mtsend;

import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Every message of an mt-send run, by id (its text is {@code mt-<id>}): when it was posted, whether
 * the gateway accepted the POST, how often the SMSC got it, and which status frames its sender's
 * device saw. It also holds each number's window: one permit per message posted and not yet
 * {@code sent}, so the posters offer a bounded load and the latencies measure the gateway rather
 * than a queue that grows for as long as the run lasts.
 */
public final class SendLedger {
    public static final String PREFIX = "mt-";

    private static final class Entry {
        final String number;
        final long postedAt;
        boolean accepted;
        boolean released;
        boolean settled;
        int submits;
        int sentFrames;
        int deliveredFrames;
        int failedFrames;
        long submittedAt;
        long sentAt;
        long deliveredAt;

        Entry(String number, long postedAt) {
            this.number = number;
            this.postedAt = postedAt;
        }
    }

    /**
     * What the run came to; {@code *InWindow} count first events no later than the end of posting
     * ({@code sentInWindow}: the first frame showing sent or beyond). {@code sentSeen} counts messages
     * with a {@code sent} frame; {@code straightToDelivered} those whose receipt overtook the move to sent.
     */
    public record Tally(long posted, long accepted, long postFailures, long submitted, long submitDuplicates, long submittedNotAccepted,
                        long notSubmitted, long sentSeen, long sentDuplicates, long straightToDelivered, long delivered,
                        long deliveredDuplicates, long notDelivered, long failedStatus, long lost, long duplicated,
                        long submittedInWindow, long sentInWindow, long deliveredInWindow, long lastDeliveredAt) {
        /** The counts (not the clock reading {@code lastDeliveredAt}). */
        public JsonObject json() {
            return new JsonObject().put("posted", posted).put("accepted", accepted).put("postFailures", postFailures)
                    .put("submitted", submitted).put("submitDuplicates", submitDuplicates).put("submittedNotAccepted", submittedNotAccepted)
                    .put("notSubmitted", notSubmitted).put("sentSeen", sentSeen).put("sentDuplicates", sentDuplicates)
                    .put("straightToDelivered", straightToDelivered).put("delivered", delivered)
                    .put("deliveredDuplicates", deliveredDuplicates).put("notDelivered", notDelivered).put("failedStatus", failedStatus)
                    .put("submittedInWindow", submittedInWindow).put("sentInWindow", sentInWindow).put("deliveredInWindow", deliveredInWindow);
        }
    }

    private final String systemId;
    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> windows = new ConcurrentHashMap<>();
    private final AtomicLong postFailures = new AtomicLong();
    private final AtomicLong acceptedCount = new AtomicLong();
    private final AtomicLong settledAccepted = new AtomicLong();
    private final ConcurrentHistogram postMicros = new ConcurrentHistogram(3);
    private final ConcurrentHistogram toSubmitMicros = new ConcurrentHistogram(3);
    private final ConcurrentHistogram toSentMicros = new ConcurrentHistogram(3);
    private final ConcurrentHistogram toDeliveredMicros = new ConcurrentHistogram(3);
    private final ConcurrentHistogram submitToDeliveredMicros = new ConcurrentHistogram(3);

    /** {@code systemId}: the gateway's binds at the SMSC (other binds' submits are not this ledger's). */
    public SendLedger(String systemId, Collection<String> numbers, int inflightPerNumber) {
        this.systemId = systemId;
        numbers.forEach(n -> windows.put(n, new Semaphore(inflightPerNumber)));
    }

    /** A slot in {@code number}'s window, or false when none freed up in time. */
    public boolean acquire(String number, long timeoutNanos) throws InterruptedException {
        return windows.get(number).tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Called just before the POST of message {@code id} (holding a slot of the number's window). */
    public void posting(long id, String number) {
        entries.put(id, new Entry(number, System.nanoTime()));
    }

    /** The gateway answered 202 after {@code micros} (all attempts). */
    public void accepted(long id, long micros) {
        postMicros.recordValue(micros);
        Entry e = entries.get(id);
        boolean settledNow;
        synchronized (e) {
            e.accepted = true;
            settledNow = e.settled;
        }
        acceptedCount.incrementAndGet();
        if (settledNow) {
            settledOne();
        }
    }

    /** The POST failed for good: no message is expected (one that exists anyway shows as submittedNotAccepted). */
    public void postFailed(long id) {
        postFailures.incrementAndGet();
        release(entries.get(id));
    }

    /** A submit_sm acknowledged by the SMSC (its callback, on jsmpp's thread). */
    public void submitted(BenchSmsc.Submitted s) {
        Entry e = s.systemId().equals(systemId) ? entry(s.text()) : null;
        if (e == null) {
            return;
        }
        synchronized (e) {
            if (e.submits++ == 0) {
                e.submittedAt = s.nanos();
                toSubmitMicros.recordValue(micros(s.nanos() - e.postedAt));
            }
        }
    }

    /** A text frame that reached the stream of {@code number}'s device at {@code now}. */
    public void frame(String number, String text, long now) {
        JsonObject frame = new JsonObject(text);
        if (!"message.updated".equals(frame.getString("type"))) {
            return;
        }
        JsonObject data = frame.getJsonObject("data");
        Entry e = data == null || !"out".equals(data.getString("direction")) ? null : entry(data.getString("text"));
        if (e == null || !e.number.equals(number)) {
            return;
        }
        String status = data.getString("status");
        boolean release = false;
        boolean settledNow = false;
        synchronized (e) {
            switch (status == null ? "" : status) {
                case "sent" -> {
                    e.sentFrames++;
                    reachedSent(e, now);
                    release = true;
                }
                case "delivered" -> {
                    if (e.deliveredFrames++ == 0) {
                        e.deliveredAt = now;
                        toDeliveredMicros.recordValue(micros(now - e.postedAt));
                        if (e.submits > 0) {
                            submitToDeliveredMicros.recordValue(micros(now - e.submittedAt));
                        }
                    }
                    // A fast receipt can be applied before the move to sent commits; the status only moves
                    // forward, so sent is then skipped: delivered is where the message reached sent.
                    reachedSent(e, now);
                    release = true;
                }
                case "failed" -> {
                    e.failedFrames++;
                    release = true;
                }
                default -> {
                    return;
                }
            }
            if (!e.settled && (e.deliveredFrames > 0 || e.failedFrames > 0)) {
                e.settled = true;
                settledNow = e.accepted;
            }
        }
        if (release) {
            release(e);
        }
        if (settledNow) {
            settledOne();
        }
    }

    private void reachedSent(Entry e, long now) {
        if (e.sentAt == 0) {
            e.sentAt = now;
            toSentMicros.recordValue(micros(now - e.postedAt));
        }
    }

    /** Waits until every accepted message was delivered (or failed) at its device; false on timeout. */
    public synchronized boolean awaitSettled(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (settledAccepted.get() < acceptedCount.get()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    private synchronized void settledOne() {
        settledAccepted.incrementAndGet();
        notifyAll();
    }

    private void release(Entry e) {
        synchronized (e) {
            if (e.released) {
                return;
            }
            e.released = true;
        }
        windows.get(e.number).release();
    }

    private Entry entry(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return null;
        }
        try {
            return entries.get(Long.parseLong(text.substring(PREFIX.length())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long micros(long nanos) {
        return Math.max(0, nanos / 1000);
    }

    /** The POST's HTTP round trip, retries included. */
    public Histogram postMicros() {
        return postMicros;
    }

    /** POST sent to the submit_sm acknowledged at the SMSC. */
    public Histogram toSubmitMicros() {
        return toSubmitMicros;
    }

    /** POST sent to the first frame at the device showing the message sent or beyond (delivered when sent was skipped). */
    public Histogram toSentMicros() {
        return toSentMicros;
    }

    /** POST sent to the {@code delivered} frame at the device. */
    public Histogram toDeliveredMicros() {
        return toDeliveredMicros;
    }

    /** submit_sm acknowledged at the SMSC to the {@code delivered} frame at the device: the receipt's way through the gateway. */
    public Histogram submitToDeliveredMicros() {
        return submitToDeliveredMicros;
    }

    /** Counts everything; {@code windowEnd} (System.nanoTime) is when posting stopped. */
    public Tally tally(long windowEnd) {
        long posted = 0, accepted = 0, submitted = 0, submitDuplicates = 0, submittedNotAccepted = 0, notSubmitted = 0;
        long sentSeen = 0, sentDuplicates = 0, straight = 0, delivered = 0, deliveredDuplicates = 0, notDelivered = 0, failed = 0;
        long lost = 0, submittedInWindow = 0, sentInWindow = 0, deliveredInWindow = 0, lastDelivered = Long.MIN_VALUE;
        for (Entry e : entries.values()) {
            synchronized (e) {
                posted++;
                if (e.submits > 0) {
                    submitted++;
                    submitDuplicates += e.submits - 1;
                    submittedInWindow += e.submittedAt <= windowEnd ? 1 : 0;
                    submittedNotAccepted += e.accepted ? 0 : 1;
                }
                if (e.sentFrames > 0) {
                    sentSeen++;
                    sentDuplicates += e.sentFrames - 1;
                }
                if (e.sentAt != 0) {
                    sentInWindow += e.sentAt <= windowEnd ? 1 : 0;
                }
                if (e.deliveredFrames > 0) {
                    delivered++;
                    deliveredDuplicates += e.deliveredFrames - 1;
                    deliveredInWindow += e.deliveredAt <= windowEnd ? 1 : 0;
                    straight += e.sentFrames == 0 ? 1 : 0;
                    lastDelivered = Math.max(lastDelivered, e.deliveredAt);
                }
                failed += e.failedFrames > 0 ? 1 : 0;
                if (e.accepted) {
                    accepted++;
                    notSubmitted += e.submits == 0 ? 1 : 0;
                    notDelivered += e.deliveredFrames == 0 ? 1 : 0;
                    lost += e.submits == 0 || e.deliveredFrames == 0 ? 1 : 0;
                }
            }
        }
        return new Tally(posted, accepted, postFailures.get(), submitted, submitDuplicates, submittedNotAccepted, notSubmitted, sentSeen,
                sentDuplicates, straight, delivered, deliveredDuplicates, notDelivered, failed, lost,
                submitDuplicates + sentDuplicates + deliveredDuplicates, submittedInWindow, sentInWindow, deliveredInWindow, lastDelivered);
    }
}
