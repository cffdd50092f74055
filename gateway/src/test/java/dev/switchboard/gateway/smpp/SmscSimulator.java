package dev.switchboard.gateway.smpp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
import org.jsmpp.bean.OptionalParameters;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.MessageId;

/**
 * A carrier's SMSC, written with jsmpp, for tests: accepts Switchboard's binds, records every
 * submit_sm, and can answer throttled or refuse, send delivery receipts (even before its own
 * submit_sm_resp), deliver mobile-originated SMS and drop every bind.
 */
public final class SmscSimulator implements AutoCloseable {
    public record Submitted(String messageId, String to, String from, byte esmClass, byte dataCoding, byte[] shortMessage, byte destTon) {
        /** The short message decoded by its data_coding: GSM 7-bit unpacked, UCS-2, else Latin-1. */
        public String text() {
            return switch (dataCoding) {
                case 0 -> dev.switchboard.carrier.sms.Gsm7Codec.decodeUnpacked(shortMessage);
                case 8 -> new String(shortMessage, StandardCharsets.UTF_16BE);
                default -> new String(shortMessage, StandardCharsets.ISO_8859_1);
            };
        }
    }

    private final SMPPServerSessionListener listener;
    private final Set<SMPPServerSession> sessions = ConcurrentHashMap.newKeySet();
    private final List<Submitted> submitted = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong(0xA000);
    private final AtomicInteger throttleNext = new AtomicInteger();
    private final AtomicInteger refuseNextWith = new AtomicInteger();
    private volatile boolean receiptBeforeResponse;
    private volatile boolean refuseBinds;
    /** Submits taken while holding: recorded, but answered only after {@link #dropAllAndRelease()}, on a closed bind. */
    private boolean holding;
    private int held;
    private int answerBeforeHolding;
    private final Set<String> heldIds = new java.util.HashSet<>();
    private final java.util.concurrent.ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "smsc-sim-retry");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "smsc-sim");
        t.setDaemon(true);
        return t;
    });

    private SmscSimulator(String systemId, String password, Duration responseTimeout, int pduThreads) throws IOException {
        // jsmpp reports the port it was given, not the one the OS chose, so pick a free one first.
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        listener = new SMPPServerSessionListener(port);
        listener.setPduProcessorDegree(pduThreads);
        listener.setMessageReceiverListener(new Receiver());
        workers.execute(() -> {
            while (true) {
                try {
                    SMPPServerSession session = listener.accept();
                    workers.execute(() -> {
                        try {
                            BindRequest bind = session.waitForBind(5_000);
                            if (refuseBinds) {
                                bind.reject(SMPPConstant.STAT_ESME_RBINDFAIL);
                            } else if (bind.getSystemId().equals(systemId) && bind.getPassword().equals(password)) {
                                session.setTransactionTimer(responseTimeout.toMillis());
                                bind.accept("smsc-sim", InterfaceVersion.IF_34);
                                sessions.add(session);
                            } else {
                                bind.reject(SMPPConstant.STAT_ESME_RINVPASWD);
                            }
                        } catch (Exception e) {
                            session.close();
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    public static SmscSimulator start(String systemId, String password) {
        // jsmpp's own defaults: a deliver_sm waits 2 s for Switchboard's deliver_sm_resp; 3 threads per bind
        // take the submit_sm, so at most 3 can be held unanswered on a bind.
        return start(systemId, password, Duration.ofSeconds(2), 3);
    }

    /**
     * An SMSC whose deliver_sm wait {@code responseTimeout} for Switchboard's answer before giving up,
     * and that handles up to {@code pduThreads} submit_sm of a bind at once (as many can be held).
     */
    public static SmscSimulator start(String systemId, String password, Duration responseTimeout, int pduThreads) {
        try {
            return new SmscSimulator(systemId, password, responseTimeout, pduThreads);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() { return listener.getPort(); }

    public synchronized List<Submitted> submitted() { return List.copyOf(submitted); }

    /** What was submitted to {@code e164} (written as TON 1 without the plus). */
    public synchronized List<Submitted> submittedTo(String e164) {
        return submitted.stream().filter(s -> s.to().equals(e164.substring(1))).toList();
    }

    public synchronized void awaitSubmitted(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (submitted.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the SMSC got " + submitted.size() + " submit_sm, expected " + count);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits until a bind that can take deliver_sm (receiver or transceiver) is up. */
    synchronized void awaitReceiverBound(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sessions.stream().noneMatch(s -> s.getSessionState().isBound() && s.getSessionState().isReceivable())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no receiver bind came up");
            }
            wait(20);
        }
    }

    /** Waits until {@code count} binds are up. */
    synchronized void awaitBinds(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sessions.stream().filter(s -> s.getSessionState().isBound()).count() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " binds came up");
            }
            wait(20);
        }
    }

    public synchronized void awaitBound(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sessions.stream().noneMatch(s -> s.getSessionState().isBound())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Switchboard never bound");
            }
            wait(20);
        }
    }

    void throttleNext(int n) { throttleNext.set(n); }

    void refuseNextWith(int status) { refuseNextWith.set(status); }

    void sendReceiptsBeforeResponses(boolean on) { receiptBeforeResponse = on; }

    /** A receipt in the common text form; {@code stat} DELIVRD, UNDELIV, ... */
    public void receipt(String smscId, String stat, String err) throws Exception {
        String text = "id:" + smscId + " sub:001 dlvrd:001 submit date:2611270930 done date:2611270931 stat:" + stat + " err:" + err
                + " text:hello";
        deliver("447700900999", "390600000000", new ESMClass(0x04), text.getBytes(StandardCharsets.ISO_8859_1), (byte) 0);
    }

    /** A mobile-originated SMS from a handset on this carrier's network. */
    public void mobileOriginated(String from, String to, byte[] payload, byte dataCoding) throws Exception {
        deliver(from, to, new ESMClass(), payload, dataCoding);
    }

    /**
     * A mobile-originated deliver_sm exactly as given: esm_class (0x40 when {@code shortMessage}
     * starts with a user data header), data_coding, the raw bytes and any TLVs (SAR,
     * message_payload). Returns when Switchboard answers ESME_ROK; a refusal throws
     * {@link org.jsmpp.extra.NegativeResponseException} with its command_status.
     */
    void deliverRaw(String from, String to, int esmClass, byte dataCoding, byte[] shortMessage, OptionalParameter... tlvs)
            throws Exception {
        deliver(from, to, new ESMClass(esmClass), shortMessage, dataCoding, tlvs);
    }

    /** One segment of a long mobile-originated SMS numbered with the SAR TLVs instead of a UDH. */
    public void mobileOriginatedSar(String from, String to, int reference, int total, int seqnum, byte[] payload, byte dataCoding)
            throws Exception {
        deliverRaw(from, to, 0, dataCoding, payload, OptionalParameters.newSarMsgRefNum(reference),
                OptionalParameters.newSarTotalSegments(total), OptionalParameters.newSarSegmentSeqnum(seqnum));
    }

    private void deliver(String from, String to, ESMClass esm, byte[] payload, byte dataCoding, OptionalParameter... tlvs)
            throws Exception {
        SMPPServerSession session = sessions.stream().filter(s -> s.getSessionState().isReceivable()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no receiver bind"));
        session.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, from,
                TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, to, esm, (byte) 0, (byte) 0, new RegisteredDelivery(0),
                DataCodings.newInstance(dataCoding), payload, tlvs);
    }

    /**
     * From now on every submit_sm is recorded as received but its submit_sm_resp is held back, as
     * an SMSC about to crash would; {@link #dropAllAndRelease()} ends it.
     */
    synchronized void holdResponses() { holdResponsesAfter(0); }

    /** Like {@link #holdResponses()}, after answering the next {@code answered} submit_sm as usual. */
    synchronized void holdResponsesAfter(int answered) {
        answerBeforeHolding = answered;
        holding = true;
    }

    /** Ends {@link #holdResponses()} on binds left up: every held submit_sm is answered as usual. */
    synchronized void releaseHeld() {
        holding = false;
        held = 0;
        heldIds.clear();
        notifyAll();
    }

    /** While on, every bind is refused (ESME_RBINDFAIL), as an SMSC in maintenance does. */
    void refuseBinds(boolean on) { refuseBinds = on; }

    /** The SMSC ids of every submit_sm whose response was held back (and so lost). */
    synchronized Set<String> heldIds() { return Set.copyOf(heldIds); }

    /** How many submit_sm are waiting for a response held back. */
    synchronized int held() { return held; }

    synchronized void awaitHeld(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (held < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the SMSC holds " + held + " submit_sm, expected " + count);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /**
     * Drops every bind with the held submit_sm unanswered, then lets their handlers return: the
     * responses go to closed sockets and are lost, the case where SMPP cannot avoid a resend.
     * Returns how many were held.
     */
    int dropAllAndRelease() {
        dropAll();
        synchronized (this) {
            holding = false;
            notifyAll();
            return held;
        }
    }

    /** One mobile-originated SMS the SMSC keeps trying: the command_status of every attempt so far, and the end. */
    record Retrying(List<Integer> statuses, java.util.concurrent.CompletableFuture<List<Integer>> done) {}

    /** The status recorded for an attempt whose deliver_sm_resp never came. */
    static final int NO_RESPONSE = -1;

    /**
     * A mobile-originated SMS delivered as a real SMSC does: an ESME_RX_T_APPN (0x64) refusal or a
     * missing response is retried after {@code pause}, up to {@code maxAttempts} attempts; any
     * other outcome is final. The statuses are in order; the last is 0 on success.
     */
    Retrying mobileOriginatedRetrying(String from, String to, byte[] payload, byte dataCoding, int maxAttempts, Duration pause) {
        java.util.concurrent.CompletableFuture<List<Integer>> done = new java.util.concurrent.CompletableFuture<>();
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        Runnable[] attempt = new Runnable[1];
        attempt[0] = () -> workers.execute(() -> {
            int status;
            try {
                deliver(from, to, new ESMClass(), payload, dataCoding);
                status = 0;
            } catch (org.jsmpp.extra.NegativeResponseException e) {
                status = e.getCommandStatus();
            } catch (Exception e) {
                status = NO_RESPONSE;
            }
            statuses.add(status);
            boolean retry = status == SMPPConstant.STAT_ESME_RX_T_APPN || status == NO_RESPONSE;
            if (retry && statuses.size() < maxAttempts) {
                retries.schedule(attempt[0], pause.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } else {
                done.complete(List.copyOf(statuses));
            }
        });
        attempt[0].run();
        return new Retrying(statuses, done);
    }

    /** Drops every bind as a crashing SMSC would; Switchboard must rebind by itself. */
    void dropAll() {
        sessions.forEach(SMPPServerSession::close);
        sessions.clear();
    }

    @Override
    public void close() {
        dropAll();
        try {
            listener.close();
        } catch (IOException ignored) {
            // Closing a closed listener: nothing left to release.
        }
        synchronized (this) {
            holding = false;
            notifyAll();
        }
        retries.shutdownNow();
        workers.shutdownNow();
    }

    private final class Receiver implements ServerMessageReceiverListener {
        @Override
        public SubmitSmResult onAcceptSubmitSm(SubmitSm submit, SMPPServerSession source) throws ProcessRequestException {
            if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new ProcessRequestException("throttled", SMPPConstant.STAT_ESME_RTHROTTLED);
            }
            int refuse = refuseNextWith.getAndSet(0);
            if (refuse != 0) {
                throw new ProcessRequestException("refused", refuse);
            }
            String id = Long.toHexString(ids.incrementAndGet());
            synchronized (SmscSimulator.this) {
                submitted.add(new Submitted(id, submit.getDestAddress(), submit.getSourceAddr(), submit.getEsmClass(),
                        submit.getDataCoding(), submit.getShortMessage(), submit.getDestAddrTon()));
                SmscSimulator.this.notifyAll();
                if (holding && answerBeforeHolding > 0) {
                    answerBeforeHolding--;
                } else if (holding) {
                    held++;
                    heldIds.add(id);
                    SmscSimulator.this.notifyAll();
                    while (holding) {
                        try {
                            SmscSimulator.this.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                }
            }
            if (receiptBeforeResponse) {
                try {
                    receipt(id, "DELIVRD", "000");
                } catch (Exception e) {
                    throw new ProcessRequestException("receipt failed", SMPPConstant.STAT_ESME_RSYSERR);
                }
            }
            try {
                return new SubmitSmResult(new MessageId(id), new OptionalParameter[0]);
            } catch (Exception e) {
                throw new ProcessRequestException("bad id", SMPPConstant.STAT_ESME_RSYSERR);
            }
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw new ProcessRequestException("no", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti s, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("no", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public QuerySmResult onAcceptQuerySm(QuerySm q, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("no", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public void onAcceptReplaceSm(ReplaceSm r, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("no", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public void onAcceptCancelSm(CancelSm c, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("no", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm b, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("no", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public void onAcceptCancelBroadcastSm(CancelBroadcastSm c, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("no", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm q, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("no", SMPPConstant.STAT_ESME_RINVCMDID);
        }
    }
}
