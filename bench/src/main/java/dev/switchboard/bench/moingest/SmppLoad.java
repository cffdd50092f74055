package dev.switchboard.bench.moingest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.SMPPSession;

/**
 * The carriers' side: {@code window} submitters per bind, each with one submit_sm in flight (jsmpp's
 * submit is synchronous), sending bench messages {@code PREFIX + id} to the numbers in turn.
 */
public final class SmppLoad implements AutoCloseable {
    public static final String PREFIX = "bench-";

    /** When and in which phase a message was sent: the frame handler charges its latency there. */
    public record Sent(long nanos, LoadPhase phase) {}

    private final List<SMPPSession> sessions;
    private final int window;
    private final List<String> numbers;
    private final ExecutorService submitters;
    private final AtomicLong nextId = new AtomicLong();
    private final Map<Long, Sent> sent = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<Long> acked = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public SmppLoad(List<SMPPSession> sessions, int window, List<String> numbers) {
        this.sessions = List.copyOf(sessions);
        this.window = window;
        this.numbers = List.copyOf(numbers);
        this.submitters = Executors.newFixedThreadPool(sessions.size() * window);
    }

    public Sent sent(long id) { return sent.get(id); }

    public Set<Long> acknowledged() { return acked; }

    public String numberOf(long id) { return numbers.get((int) (id % numbers.size())); }

    /** Runs the phase to its end (plus the answers still in flight) on every submitter. */
    public void run(LoadPhase phase) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(sessions.size() * window);
        AtomicLong tickets = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(phase.seconds());
        double interval = phase.closed() ? 0 : 1e9 / phase.offeredPerSecond();
        for (SMPPSession s : sessions) {
            for (int w = 0; w < window; w++) {
                submitters.execute(() -> {
                    try {
                        while (true) {
                            long t0;
                            if (phase.closed()) {
                                t0 = System.nanoTime();
                                if (t0 >= deadline) {
                                    break;
                                }
                            } else {
                                t0 = start + (long) (tickets.getAndIncrement() * interval);
                                if (t0 >= deadline) {
                                    break;
                                }
                                for (long wait = t0 - System.nanoTime(); wait > 0; wait = t0 - System.nanoTime()) {
                                    LockSupport.parkNanos(wait);
                                }
                            }
                            submit(s, phase, t0);
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
        }
        if (!done.await(phase.seconds() + 120L, TimeUnit.SECONDS)) {
            throw new IllegalStateException("submitters of phase " + phase.name() + " did not finish");
        }
        phase.elapsedSeconds = (System.nanoTime() - start) / 1e9;
    }

    private void submit(SMPPSession s, LoadPhase phase, long t0) {
        long id = nextId.getAndIncrement();
        String to = numberOf(id);
        sent.put(id, new Sent(t0, phase));
        try {
            s.submitShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN,
                    "4477009" + (10_000 + id % 1000), TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN,
                    to.substring(1), new ESMClass(), (byte) 0, (byte) 1, null, null, new RegisteredDelivery(0),
                    (byte) 0, new GeneralDataCoding(Alphabet.ALPHA_DEFAULT), (byte) 0,
                    (PREFIX + id).getBytes(StandardCharsets.US_ASCII));
            phase.ackMicros.recordValue(Math.max(0, (System.nanoTime() - t0) / 1000));
            phase.acknowledged.incrementAndGet();
            acked.add(id);
        } catch (Exception e) {
            phase.refused.incrementAndGet();
        }
    }

    @Override
    public void close() {
        submitters.shutdownNow();
    }
}
