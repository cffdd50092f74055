package dev.switchboard.bench.mtsend;

import dev.switchboard.carrier.sms.Gsm7Codec;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.InterfaceVersion;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.ServerResponseDeliveryAdapter;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.MessageId;

/**
 * A carrier SMSC for benchmarks, in the bench process, written with jsmpp: it accepts every bind,
 * answers each submit_sm at once with a fresh message id (hex, as the gateway's carriers default to),
 * and once that submit_sm_resp is on the wire sends a delivery receipt for it (deliver_sm, esm_class
 * 0x04, {@code id:... stat:DELIVRD} text), as a real SMSC does. Receipts go out on the bind the submit
 * came in on, at most {@code receiptWindow} unacknowledged per bind; a receipt the ESME refuses as
 * throttled or leaves unanswered is sent again shortly after, never dropped.
 */
public final class BenchSmsc implements AutoCloseable {
    /** One acknowledged submit_sm: the bind's system_id, the id given to it, its text, and when (System.nanoTime). */
    public record Submitted(String systemId, String smscId, String text, long nanos) {}

    private static final DateTimeFormatter RECEIPT_DATE = DateTimeFormatter.ofPattern("yyMMddHHmm");
    private static final int MAX_RECEIPT_ATTEMPTS = 10;
    private static final long RECEIPT_RETRY_MS = 20;

    private record Bind(String systemId, ExecutorService receipts) {}

    /** What a receipt needs, kept from the submit until its response is sent. */
    private record Owed(String handset, String esme, String text, SMPPServerSession session) {}

    private final SMPPServerSessionListener listener;
    private final int port;
    private final int receiptWindow;
    private final Consumer<Submitted> onSubmitted;
    private final Map<SMPPServerSession, Bind> binds = new ConcurrentHashMap<>();
    private final Map<String, Owed> owed = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(0x100000);
    private final AtomicLong receiptsAcknowledged = new AtomicLong();
    private final AtomicLong receiptRetries = new AtomicLong();
    private final AtomicLong receiptsFailed = new AtomicLong();
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService acceptor = Executors.newCachedThreadPool(r -> daemon(r, "bench-smsc-accept"));
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "bench-smsc-retry"));

    private BenchSmsc(int receiptWindow, Consumer<Submitted> onSubmitted) throws IOException {
        this.receiptWindow = receiptWindow;
        this.onSubmitted = onSubmitted;
        // jsmpp reports the port it was given, not the one the OS chose: pick a free one first.
        try (ServerSocket probe = new ServerSocket(0)) {
            this.port = probe.getLocalPort();
        }
        listener = new SMPPServerSessionListener(port);
        listener.setMessageReceiverListener(new Receiver());
        listener.setResponseDeliveryListener(new ServerResponseDeliveryAdapter() {
            @Override
            public void onSubmitSmRespSent(SubmitSmResult result, SMPPServerSession session) {
                Owed o = owed.remove(result.getMessageId());
                if (o != null) {
                    sendReceipt(result.getMessageId(), o, 1);
                }
            }

            @Override
            public void onSubmitSmRespError(SubmitSmResult result, Exception e, SMPPServerSession session) {
                owed.remove(result.getMessageId());
            }
        });
        acceptor.execute(this::acceptLoop);
    }

    /**
     * Listens on a free loopback port. {@code onSubmitted} runs on jsmpp's thread before the
     * submit_sm_resp is written: keep it short.
     */
    public static BenchSmsc start(int receiptWindow, Consumer<Submitted> onSubmitted) throws IOException {
        return new BenchSmsc(receiptWindow, onSubmitted);
    }

    public int port() {
        return port;
    }

    public long receiptsAcknowledged() {
        return receiptsAcknowledged.get();
    }

    public long receiptRetries() {
        return receiptRetries.get();
    }

    public long receiptsFailed() {
        return receiptsFailed.get();
    }

    /** Waits until {@code count} binds of {@code systemId} are up (the gateway binds on its own, after it starts). */
    public synchronized void awaitBound(String systemId, int count, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (bound(systemId) < count) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new IllegalStateException(bound(systemId) + " of " + count + " binds of " + systemId + " came up");
            }
            wait(left);
        }
    }

    private long bound(String systemId) {
        return binds.entrySet().stream()
                .filter(e -> e.getValue().systemId().equals(systemId) && e.getKey().getSessionState().isBound()).count();
    }

    private void acceptLoop() {
        while (true) {
            SMPPServerSession session;
            try {
                session = listener.accept();
            } catch (IOException closed) {
                return;
            }
            acceptor.execute(() -> bind(session));
        }
    }

    private void bind(SMPPServerSession session) {
        try {
            BindRequest request = session.waitForBind(10_000);
            String systemId = request.getSystemId();
            // Registered before the bind_resp goes out: the ESME may submit the moment it has it.
            binds.put(session, new Bind(systemId, Executors.newFixedThreadPool(receiptWindow,
                    r -> daemon(r, "bench-smsc-receipts-" + systemId + "-" + threads.incrementAndGet()))));
            session.addSessionStateListener((newState, oldState, source) -> {
                if (newState == SessionState.CLOSED) {
                    Bind gone = binds.remove(session);
                    if (gone != null) {
                        gone.receipts().shutdownNow();
                    }
                }
            });
            request.accept("bench-smsc", InterfaceVersion.IF_34);
            synchronized (this) {
                notifyAll();
            }
        } catch (Exception e) {
            Bind gone = binds.remove(session);
            if (gone != null) {
                gone.receipts().shutdownNow();
            }
            session.close();
        }
    }

    private void sendReceipt(String smscId, Owed o, int attempt) {
        Bind bind = binds.get(o.session());
        if (bind == null) {
            receiptsFailed.incrementAndGet();
            return;
        }
        try {
            bind.receipts().execute(() -> deliverReceipt(smscId, o, attempt));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            receiptsFailed.incrementAndGet();
        }
    }

    private void deliverReceipt(String smscId, Owed o, int attempt) {
        String date = LocalDateTime.now(ZoneOffset.UTC).format(RECEIPT_DATE);
        String excerpt = o.text().length() > 20 ? o.text().substring(0, 20) : o.text();
        String text = "id:" + smscId + " sub:001 dlvrd:001 submit date:" + date + " done date:" + date + " stat:DELIVRD err:000 text:"
                + excerpt;
        boolean retry;
        try {
            o.session().deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, o.handset(),
                    TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, o.esme(), new ESMClass(0x04), (byte) 0, (byte) 0,
                    new RegisteredDelivery(0), DataCodings.ZERO, text.getBytes(StandardCharsets.ISO_8859_1));
            receiptsAcknowledged.incrementAndGet();
            return;
        } catch (NegativeResponseException e) {
            int status = e.getCommandStatus();
            retry = status == SMPPConstant.STAT_ESME_RTHROTTLED || status == SMPPConstant.STAT_ESME_RX_T_APPN
                    || status == SMPPConstant.STAT_ESME_RMSGQFUL || status == SMPPConstant.STAT_ESME_RSYSERR;
        } catch (ResponseTimeoutException e) {
            retry = true;
        } catch (Exception e) {
            retry = o.session().getSessionState().isBound();
        }
        if (retry && attempt < MAX_RECEIPT_ATTEMPTS) {
            receiptRetries.incrementAndGet();
            retries.schedule(() -> sendReceipt(smscId, o, attempt + 1), RECEIPT_RETRY_MS, TimeUnit.MILLISECONDS);
        } else {
            receiptsFailed.incrementAndGet();
        }
    }

    /** The short message as text: GSM 7-bit unpacked for data_coding 0 (what the gateway sends by default), UCS-2, else Latin-1. */
    static String text(byte dataCoding, byte[] shortMessage) {
        byte[] b = shortMessage == null ? new byte[0] : shortMessage;
        return switch (dataCoding) {
            case 0 -> Gsm7Codec.decodeUnpacked(b);
            case 8 -> new String(b, StandardCharsets.UTF_16BE);
            default -> new String(b, StandardCharsets.ISO_8859_1);
        };
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // Already closed: nothing left to release.
        }
        for (SMPPServerSession s : List.copyOf(binds.keySet())) {
            s.close();
        }
        binds.values().forEach(b -> b.receipts().shutdownNow());
        retries.shutdownNow();
        acceptor.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private final class Receiver implements ServerMessageReceiverListener {
        @Override
        public SubmitSmResult onAcceptSubmitSm(SubmitSm submit, SMPPServerSession source) throws ProcessRequestException {
            Bind bind = binds.get(source);
            String id = Long.toHexString(ids.incrementAndGet());
            String text = text(submit.getDataCoding(), submit.getShortMessage());
            onSubmitted.accept(new Submitted(bind == null ? "?" : bind.systemId(), id, text, System.nanoTime()));
            if ((submit.getRegisteredDelivery() & 0x03) != 0) {
                owed.put(id, new Owed(submit.getDestAddress(), submit.getSourceAddr(), text, source));
            }
            try {
                return new SubmitSmResult(new MessageId(id), new OptionalParameter[0]);
            } catch (PDUStringException e) {
                owed.remove(id);
                throw new ProcessRequestException("bad message id", SMPPConstant.STAT_ESME_RSYSERR);
            }
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti s, SMPPServerSession source) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public QuerySmResult onAcceptQuerySm(QuerySm q, SMPPServerSession source) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public void onAcceptReplaceSm(ReplaceSm r, SMPPServerSession source) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public void onAcceptCancelSm(CancelSm c, SMPPServerSession source) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm b, SMPPServerSession source) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public void onAcceptCancelBroadcastSm(CancelBroadcastSm c, SMPPServerSession source) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm q, SMPPServerSession source)
                throws ProcessRequestException {
            throw unsupported();
        }

        private ProcessRequestException unsupported() {
            return new ProcessRequestException("not supported by the bench SMSC", SMPPConstant.STAT_ESME_RINVCMDID);
        }
    }
}
