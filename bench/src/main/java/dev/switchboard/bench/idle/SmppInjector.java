package dev.switchboard.bench.idle;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;

/**
 * The push: one inbound SMS to every number, submitted by an ESME over several binds of the
 * gateway's SMPP server as fast as they are acknowledged; the text {@code idle-push-<index>} tells
 * each device which event is its own. Remembers when each submit went out (wall clock, us).
 */
public final class SmppInjector implements AutoCloseable {
    private final List<SMPPSession> sessions = new ArrayList<>();

    /** What the injection did: per number, when its submit went out (0 if it never did), and the acknowledgements. */
    public record Injection(AtomicLongArray submittedMicros, long startMicros, long endMicros, int acknowledged, int refused,
                            ConcurrentHistogram ackMicros) {}

    public SmppInjector(int smppPort, String systemId, String password, int binds) throws Exception {
        for (int b = 0; b < binds; b++) {
            SMPPSession s = new SMPPSession();
            s.setTransactionTimer(30_000);
            s.connectAndBind("127.0.0.1", smppPort, new BindParameter(BindType.BIND_TRX, systemId, password, "",
                    TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null));
            sessions.add(s);
        }
    }

    public Injection pushOnePerNumber(List<String> numbers, int window) throws InterruptedException {
        AtomicLongArray submitted = new AtomicLongArray(numbers.size());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ConcurrentHistogram ackMicros = new ConcurrentHistogram(3);
        ExecutorService submitters = Executors.newFixedThreadPool(sessions.size() * window);
        long start = IdleClients.micros(Instant.now());
        for (SMPPSession s : sessions) {
            for (int w = 0; w < window; w++) {
                submitters.execute(() -> {
                    for (int i = next.getAndIncrement(); i < numbers.size(); i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        submitted.set(i, IdleClients.micros(Instant.now()));
                        try {
                            s.submitShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, "447700900" + (100 + i % 800),
                                    TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, numbers.get(i).substring(1), new ESMClass(), (byte) 0,
                                    (byte) 1, null, null, new RegisteredDelivery(0), (byte) 0, new GeneralDataCoding(Alphabet.ALPHA_DEFAULT),
                                    (byte) 0, (IdleClients.MARKER + i).getBytes(StandardCharsets.US_ASCII));
                            ackMicros.recordValue((System.nanoTime() - t0) / 1000);
                            acked.incrementAndGet();
                        } catch (Exception e) {
                            refused.incrementAndGet();
                        }
                    }
                });
            }
        }
        submitters.shutdown();
        if (!submitters.awaitTermination(300, TimeUnit.SECONDS)) {
            submitters.shutdownNow();
            throw new IllegalStateException("the SMPP submits did not finish");
        }
        return new Injection(submitted, start, IdleClients.micros(Instant.now()), acked.get(), refused.get(), ackMicros);
    }

    @Override
    public void close() {
        for (SMPPSession s : sessions) {
            try {
                s.unbindAndClose();
            } catch (RuntimeException e) {
                s.close();
            }
        }
    }
}
