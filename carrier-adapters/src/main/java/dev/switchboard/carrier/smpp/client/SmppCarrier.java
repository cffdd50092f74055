package dev.switchboard.carrier.smpp.client;

import dev.switchboard.carrier.receipt.ReceiptIds;
import dev.switchboard.carrier.smpp.SegmentPdu;
import dev.switchboard.carrier.smpp.SmppInbound;
import dev.switchboard.carrier.smpp.SmsRoute;
import dev.switchboard.carrier.sms.Segmenter;
import dev.switchboard.inbox.messages.DeliveryTracker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.SMPPSession;

/**
 * One carrier: its binds, its window (concurrent submit_sm per bind) and its throughput. jsmpp's
 * submit blocks until submit_sm_resp, so each submit runs on this carrier's own thread pool, sized
 * to the total window, and hands the SMSC id back as a future.
 */
public final class SmppCarrier implements SmsRoute, AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final SmppCarrierSettings settings;
    private final List<SmppBind> binds = new ArrayList<>();
    private final ExecutorService submitters;
    private final Segmenter segmenter;
    private final Pacer pacer;
    private final AtomicInteger next = new AtomicInteger();

    public SmppCarrier(Vertx vertx, SmppCarrierSettings settings, DeliveryTracker tracker, SmppInbound inbound) {
        this.settings = settings;
        this.segmenter = new Segmenter(settings.concatMode());
        this.pacer = new Pacer(settings.throughput());
        CarrierDeliverListener listener = new CarrierDeliverListener(settings, tracker, inbound);
        for (int i = 0; i < settings.binds(); i++) {
            if (settings.bindMode() == SmppCarrierSettings.BindMode.TRANSCEIVER) {
                binds.add(new SmppBind(vertx, settings, BindType.BIND_TRX, listener));
            } else {
                binds.add(new SmppBind(vertx, settings, BindType.BIND_TX, listener));
                binds.add(new SmppBind(vertx, settings, BindType.BIND_RX, listener));
            }
        }
        this.submitters = Executors.newFixedThreadPool(settings.binds() * settings.window(), r -> {
            Thread t = new Thread(r, "smpp-submit-" + settings.id() + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public SmppCarrierSettings settings() { return settings; }

    @Override
    public String id() { return settings.id(); }

    @Override
    public List<String> prefixes() { return settings.prefixes(); }

    @Override
    public Segmenter segmenter() { return segmenter; }

    @Override
    public Future<String> send(SubmitRequest request) { return submit(request); }

    public void start() {
        binds.forEach(SmppBind::start);
    }

    /** Whether any bind can take a submit now; while none can, messages wait in the outbox. */
    @Override
    public boolean ready() {
        return binds.stream().anyMatch(SmppBind::canSubmit);
    }

    /** Submits one segment; completes with the SMSC's message id, or fails with a {@link SubmitFailure}. */
    public Future<String> submit(SubmitRequest request) {
        return Future.fromCompletionStage(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return submitBlocking(request);
            } catch (SubmitFailure f) {
                throw new java.util.concurrent.CompletionException(f);
            }
        }, submitters)).recover(e -> Future.failedFuture(e instanceof java.util.concurrent.CompletionException ce ? ce.getCause() : e));
    }

    private String submitBlocking(SubmitRequest request) throws SubmitFailure {
        pacer.await();
        SmppBind bind = null;
        SMPPSession session = null;
        for (int i = 0; i < binds.size() && session == null; i++) {
            SmppBind candidate = binds.get(Math.floorMod(next.getAndIncrement(), binds.size()));
            if (!candidate.canSubmit()) {
                continue;
            }
            try {
                session = candidate.acquire(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SubmitFailure.io("interrupted");
            }
            bind = candidate;
        }
        if (session == null) {
            throw SubmitFailure.io("no bind up");
        }
        try {
            SegmentPdu pdu = SegmentPdu.of(request.segment());
            byte[] shortMessage = pdu.shortMessage();
            List<OptionalParameter> tlvs = new ArrayList<>(pdu.tlvs());
            if (settings.concatMode() == dev.switchboard.carrier.sms.ConcatMode.PAYLOAD) {
                tlvs.add(new OptionalParameter.Message_payload(shortMessage));
                shortMessage = new byte[0];
            }
            boolean international = request.from().startsWith("+");
            // An alphanumeric sender (a system message) goes as TON 5 / NPI 0, exactly as written.
            AddressFormat format = settings.addressFormat();
            return session.submitShortMessage("", international ? format.ton() : TypeOfNumber.ALPHANUMERIC,
                    international ? format.npi() : NumberingPlanIndicator.UNKNOWN,
                    international ? format.write(request.from()) : request.from(),
                    format.ton(), format.npi(), format.write(request.to()),
                    new ESMClass(pdu.esmClass()), (byte) 0, (byte) 0, null, null,
                    new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE), (byte) 0, DataCodings.newInstance(request.dataCoding()),
                    (byte) 0, shortMessage, tlvs.toArray(new OptionalParameter[0])).getMessageId();
        } catch (NegativeResponseException e) {
            throw SubmitFailure.fromStatus(e.getCommandStatus());
        } catch (ResponseTimeoutException e) {
            throw SubmitFailure.io("submit_sm_resp timed out");
        } catch (Exception e) {
            throw SubmitFailure.io("submit failed: " + e.getClass().getSimpleName());
        } finally {
            bind.release();
        }
    }

    /** SMSC ids as this carrier's receipts will name them. */
    @Override
    public String normalise(String smscId) {
        return ReceiptIds.normalise(smscId, settings.receiptIdBase());
    }

    @Override
    public void close() {
        binds.forEach(SmppBind::stop);
        submitters.shutdownNow();
    }

    /** Spaces submits to the carrier's messages-per-second; blocking is fine on the submit threads. */
    private static final class Pacer {
        private final long intervalNanos;
        private long nextSlot = System.nanoTime();

        Pacer(int perSecond) { this.intervalNanos = 1_000_000_000L / perSecond; }

        void await() {
            long slot;
            synchronized (this) {
                long now = System.nanoTime();
                slot = Math.max(now, nextSlot);
                nextSlot = slot + intervalNanos;
            }
            long wait = slot - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }
}
