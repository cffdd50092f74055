package dev.switchboard.carrier.smpp.client;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bind to a carrier's SMSC, kept up for as long as the gateway runs: a dropped bind is
 * re-established on a Vert.x timer with exponential backoff and jitter (SMSCs often refuse a fast
 * rebind while they still hold the old one). Binding blocks, so it runs on a worker thread.
 */
final class SmppBind {
    private static final Logger LOG = LoggerFactory.getLogger(SmppBind.class);
    private static final long BACKOFF_START_MS = 250;
    private static final long BACKOFF_MAX_MS = 30_000;

    private final Vertx vertx;
    private final SmppCarrierSettings carrier;
    private final BindType type;
    private final MessageReceiverListener listener;
    private final Semaphore window;
    private final Random jitter = new Random();
    private volatile SMPPSession session;
    private volatile boolean stopped;
    private long backoffMs = BACKOFF_START_MS;

    SmppBind(Vertx vertx, SmppCarrierSettings carrier, BindType type, MessageReceiverListener listener) {
        this.vertx = vertx;
        this.carrier = carrier;
        this.type = type;
        this.listener = listener;
        this.window = new Semaphore(carrier.window());
    }

    /**
     * jsmpp threads that handle this bind's incoming PDUs. Each receipt holds one until its commit, and
     * jsmpp's default of 3 made every submit_sm_resp queue behind the receipts: one thread per window
     * slot for the responses, as many again for the SMSC's deliver_sm.
     */
    static int pduProcessorDegree(int window) {
        return Math.max(3, 2 * window);
    }

    void start() {
        connect();
    }

    boolean canSubmit() {
        SMPPSession s = session;
        return s != null && s.getSessionState().isBound() && type != BindType.BIND_RX;
    }

    boolean canReceive() {
        return type != BindType.BIND_TX;
    }

    /** The session to submit on, holding one slot of the window until {@link #release()}. */
    SMPPSession acquire(long timeoutMs) throws InterruptedException {
        if (!window.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS)) {
            return null;
        }
        SMPPSession s = session;
        if (s == null || !s.getSessionState().isBound()) {
            window.release();
            return null;
        }
        return s;
    }

    void release() {
        window.release();
    }

    private void connect() {
        if (stopped) {
            return;
        }
        vertx.<SMPPSession>executeBlocking(() -> {
            SMPPSession s = new SMPPSession();
            s.setEnquireLinkTimer(carrier.enquireLinkSeconds() * 1000);
            s.setTransactionTimer(10_000);
            s.setMessageReceiverListener(listener);
            s.setPduProcessorDegree(pduProcessorDegree(carrier.window()));
            s.connectAndBind(carrier.host(), carrier.port(), new BindParameter(type, carrier.systemId(), carrier.password(),
                    carrier.systemType(), TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), 10_000);
            return s;
        }, false).onSuccess(s -> {
            if (stopped) {
                s.unbindAndClose();
                return;
            }
            session = s;
            backoffMs = BACKOFF_START_MS;
            LOG.info("carrier {}: {} bound to {}:{}", carrier.id(), type, carrier.host(), carrier.port());
            s.addSessionStateListener((newState, oldState, source) -> {
                if (newState == SessionState.CLOSED && session == s) {
                    session = null;
                    LOG.warn("carrier {}: {} dropped; rebinding", carrier.id(), type);
                    scheduleReconnect();
                }
            });
            if (!s.getSessionState().isBound()) {
                session = null;
                scheduleReconnect();
            }
        }).onFailure(e -> {
            LOG.warn("carrier {}: {} to {}:{} failed: {}", carrier.id(), type, carrier.host(), carrier.port(),
                    e instanceof IOException ? e.getMessage() : e.toString());
            scheduleReconnect();
        });
    }

    private void scheduleReconnect() {
        if (stopped) {
            return;
        }
        long delay = backoffMs / 2 + (long) (jitter.nextDouble() * backoffMs / 2);
        backoffMs = Math.min(BACKOFF_MAX_MS, backoffMs * 2);
        vertx.setTimer(Math.max(1, delay), id -> connect());
    }

    void stop() {
        stopped = true;
        SMPPSession s = session;
        session = null;
        if (s != null) {
            s.unbindAndClose();
        }
    }
}
