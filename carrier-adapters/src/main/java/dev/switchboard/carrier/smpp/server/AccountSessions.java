package dev.switchboard.carrier.smpp.server;

import dev.switchboard.carrier.smpp.client.SubmitFailure;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.SMPPServerSession;

/**
 * The receiver and transceiver binds of each account, and the one way to write a deliver_sm to
 * them: round robin over the account's bound sessions, on a small pool of our own because jsmpp
 * blocks until deliver_sm_resp. Failures are {@link SubmitFailure}s: no bind, a timeout or an I/O
 * error are transient; a negative deliver_sm_resp is mapped by {@link SubmitFailure#fromDeliverStatus}.
 */
public final class AccountSessions implements AutoCloseable {
    /** One deliver_sm as it goes on the wire; addresses in E.164 go as TON 1 / NPI 1 without '+'. */
    public record Deliver(String from, String to, int esmClass, byte dataCoding, byte[] shortMessage, List<OptionalParameter> tlvs) {}

    private static final int THREADS = 4;
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final Map<String, List<SMPPServerSession>> receivers = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "smpp-deliver-" + THREAD_IDS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** Registers a bind the account receives on (bind_receiver or bind_transceiver). */
    void bound(String systemId, SMPPServerSession session) {
        receivers.computeIfAbsent(systemId, id -> new CopyOnWriteArrayList<>()).add(session);
    }

    void unbound(String systemId, SMPPServerSession session) {
        List<SMPPServerSession> sessions = receivers.get(systemId);
        if (sessions != null) {
            sessions.remove(session);
        }
    }

    /** Whether the account has a receiver or transceiver bind up now. */
    public boolean ready(String systemId) {
        return receivers.getOrDefault(systemId, List.of()).stream().anyMatch(s -> s.getSessionState().isBound());
    }

    public Future<Void> deliver(String systemId, Deliver pdu) {
        return Future.fromCompletionStage(CompletableFuture.runAsync(() -> {
            try {
                deliverBlocking(systemId, pdu);
            } catch (SubmitFailure f) {
                throw new CompletionException(f);
            }
        }, pool)).recover(e -> Future.failedFuture(e instanceof CompletionException ce ? ce.getCause() : e));
    }

    private void deliverBlocking(String systemId, Deliver pdu) throws SubmitFailure {
        List<SMPPServerSession> sessions = receivers.getOrDefault(systemId, List.of());
        SMPPServerSession session = null;
        for (int i = 0; i < sessions.size() && session == null; i++) {
            SMPPServerSession candidate = sessions.get(Math.floorMod(next.getAndIncrement(), sessions.size()));
            if (candidate.getSessionState().isBound()) {
                session = candidate;
            }
        }
        if (session == null) {
            throw SubmitFailure.io("no receiver bind of account " + systemId);
        }
        try {
            session.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, digits(pdu.from()),
                    TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, digits(pdu.to()), new ESMClass(pdu.esmClass()), (byte) 0,
                    (byte) 0, new RegisteredDelivery(0), DataCodings.newInstance(pdu.dataCoding()), pdu.shortMessage(),
                    pdu.tlvs().toArray(new OptionalParameter[0]));
        } catch (NegativeResponseException e) {
            throw SubmitFailure.fromDeliverStatus(e.getCommandStatus());
        } catch (ResponseTimeoutException e) {
            throw SubmitFailure.io("deliver_sm_resp timed out");
        } catch (Exception e) {
            throw SubmitFailure.io("deliver_sm failed: " + e.getClass().getSimpleName());
        }
    }

    private static String digits(String e164) {
        return e164.startsWith("+") ? e164.substring(1) : e164;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
