package dev.switchboard.bench.mtsend;

import dev.switchboard.bench.support.Percentiles;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;

/**
 * The physical baseline of mt-send: plain jsmpp {@link SMPPSession}s on loopback, against the same
 * SMSC with the same binds × window (one thread per window slot, as jsmpp's window is its calling
 * threads), submitting as fast as acknowledged: the same PDU the gateway sends (registered delivery
 * on, so the SMSC sends the same receipts, which these binds take and acknowledge at once).
 */
public final class RawJsmppBaseline {
    public static final String SYSTEM_ID = "raw-jsmpp";

    /** Acknowledged submits per second over the run; details hold the counts and submit→resp percentiles. */
    public record Outcome(double rate, JsonObject details) {}

    private RawJsmppBaseline() {}

    public static Outcome run(int port, int binds, int window, int seconds) throws Exception {
        AtomicLong receipts = new AtomicLong();
        List<SMPPSession> sessions = new ArrayList<>();
        ExecutorService submitters = Executors.newFixedThreadPool(binds * window);
        try {
            for (int b = 0; b < binds; b++) {
                SMPPSession s = new SMPPSession();
                s.setTransactionTimer(30_000);
                s.setMessageReceiverListener(new ReceiptCounter(receipts));
                s.connectAndBind("127.0.0.1", port, new BindParameter(BindType.BIND_TRX, SYSTEM_ID, "bench", "",
                        TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null));
                sessions.add(s);
            }
            AtomicLong acked = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicLong next = new AtomicLong();
            ConcurrentHistogram micros = new ConcurrentHistogram(3);
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
            for (SMPPSession s : sessions) {
                for (int w = 0; w < window; w++) {
                    submitters.execute(() -> {
                        while (System.nanoTime() < deadline) {
                            long t0 = System.nanoTime();
                            try {
                                s.submitShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, "447700900000",
                                        TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, "4477009" + (10_000 + next.get() % 1000),
                                        new ESMClass(), (byte) 0, (byte) 0, null, null,
                                        new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE), (byte) 0, DataCodings.ZERO, (byte) 0,
                                        ("raw-" + next.getAndIncrement()).getBytes(StandardCharsets.US_ASCII));
                                micros.recordValue((System.nanoTime() - t0) / 1000);
                                acked.incrementAndGet();
                            } catch (Exception e) {
                                failed.incrementAndGet();
                            }
                        }
                    });
                }
            }
            submitters.shutdown();
            if (!submitters.awaitTermination(seconds + 120L, TimeUnit.SECONDS)) {
                throw new IllegalStateException("raw jsmpp submitters did not finish");
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            // The SMSC owes a receipt per acknowledged submit: let them arrive before unbinding, as the gateway run does.
            boolean allReceipts = ReceiptCounter.await(receipts, acked.get(), 30_000);
            JsonObject details = new JsonObject().put("binds", binds).put("window", window).put("concurrency", binds * window)
                    .put("acknowledged", acked.get()).put("failures", failed.get()).put("receipts", receipts.get())
                    .put("allReceiptsArrived", allReceipts).put("submitToRespMs", Percentiles.json(micros));
            return new Outcome(acked.get() / elapsed, details);
        } finally {
            submitters.shutdownNow();
            for (SMPPSession s : sessions) {
                try {
                    s.unbindAndClose();
                } catch (RuntimeException e) {
                    s.close();
                }
            }
        }
    }

    /** Takes every deliver_sm (the SMSC's receipts) and acknowledges it at once. */
    private static final class ReceiptCounter implements MessageReceiverListener {
        private final AtomicLong receipts;

        ReceiptCounter(AtomicLong receipts) {
            this.receipts = receipts;
        }

        @Override
        public void onAcceptDeliverSm(DeliverSm deliverSm) {
            receipts.incrementAndGet();
            synchronized (receipts) {
                receipts.notifyAll();
            }
        }

        @Override
        public void onAcceptAlertNotification(AlertNotification alertNotification) {
            // Not sent by the bench SMSC.
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw new ProcessRequestException("data_sm is not expected", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        static boolean await(AtomicLong receipts, long expected, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            synchronized (receipts) {
                while (receipts.get() < expected) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return false;
                    }
                    receipts.wait(left);
                }
            }
            return true;
        }
    }
}
