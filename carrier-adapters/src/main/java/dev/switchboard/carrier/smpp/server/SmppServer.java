package dev.switchboard.carrier.smpp.server;

import dev.switchboard.carrier.sms.DataCodingReader;
import dev.switchboard.carrier.smpp.SmppInbound;
import dev.switchboard.inbox.messages.AccountReceiptStore;
import java.util.List;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jsmpp.DefaultPDUSender;
import org.jsmpp.PDUSender;
import org.jsmpp.SMPPConstant;
import org.jsmpp.SynchronizedPDUSender;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.InterfaceVersion;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.connection.Connection;
import org.jsmpp.session.connection.socket.SocketConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMSC role: accepts binds from configured accounts and hands their PDUs to
 * {@link SubmitSmReceiver}. jsmpp's accept loop and bind handshakes block, so they run on threads
 * of their own, started here and stopped in {@link #close()}.
 *
 * <p>Connections are accepted here rather than by jsmpp's {@code SMPPServerSessionListener} so that
 * each session reads through a {@link GuardedPduReader}: jsmpp 3.0.2 neither survives a huge
 * command_length nor answers a submit_sm whose body is cut short or whose sm_length is wrong.
 */
public final class SmppServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmppServer.class);
    private static final long BIND_TIMEOUT_MS = 10_000;
    private static final AtomicInteger THREADS = new AtomicInteger();
    // jsmpp's SMPPServerSessionListener defaults, kept.
    private static final int INITIATION_TIMER_MS = 5_000;
    private static final int QUEUE_CAPACITY = 100;

    private final SmppServerSettings settings;
    private final Map<String, SmppAccount> accountsById;
    private final SubmitSmReceiver receiver;
    private final AccountSessions receivers;
    private final Set<SMPPServerSession> sessions = ConcurrentHashMap.newKeySet();
    private final ExecutorService binds = Executors.newCachedThreadPool(r -> daemon(r, "smpp-bind-"));
    private ServerSocket listener;
    private Thread acceptor;
    private volatile boolean running;

    public SmppServer(SmppServerSettings settings, SmppInbound inbound, DataCodingReader decoder, AccountSessions receivers,
                      AccountReceiptStore receipts) {
        this.settings = settings;
        this.accountsById = settings.accounts().stream().collect(Collectors.toMap(SmppAccount::systemId, Function.identity()));
        this.receiver = new SubmitSmReceiver(inbound, decoder, receipts);
        this.receivers = receivers;
    }

    /** Opens the port (blocking; call it off the event loop) and starts accepting. */
    public void start() throws IOException {
        listener = new ServerSocket(settings.port());
        running = true;
        acceptor = daemon(this::acceptLoop, "smpp-accept-");
        acceptor.start();
        LOG.info("SMPP server listening on port {} for {} accounts", listener.getLocalPort(), accountsById.size());
    }

    private void acceptLoop() {
        while (running) {
            try {
                SMPPServerSession session = session(listener.accept());
                binds.execute(() -> handshake(session));
            } catch (IOException e) {
                if (running) {
                    LOG.warn("SMPP accept failed: {}", e.toString());
                }
            }
        }
    }

    /** A session as jsmpp's listener builds it, but reading through a {@link GuardedPduReader}. */
    private SMPPServerSession session(Socket socket) throws IOException {
        try {
            Connection conn = new SocketConnection(socket);
            conn.setSoTimeout(INITIATION_TIMER_MS);
            PDUSender sender = new SynchronizedPDUSender(new DefaultPDUSender());
            return new SMPPServerSession(conn, null, receiver, null, settings.window(), Math.max(QUEUE_CAPACITY, 2 * settings.window()), sender,
                    new GuardedPduReader(sender, conn.getOutputStream()));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void handshake(SMPPServerSession session) {
        try {
            BindRequest bind = session.waitForBind(BIND_TIMEOUT_MS);
            Optional<Integer> refusal = check(bind);
            if (refusal.isPresent()) {
                LOG.info("SMPP bind refused for system_id '{}' from {} (status 0x{})", bind.getSystemId(),
                        session.getInetAddress(), Integer.toHexString(refusal.get()));
                bind.reject(refusal.get());
                return;
            }
            SmppAccount account = accountsById.get(bind.getSystemId());
            receiver.bound(session, account);
            sessions.add(session);
            boolean receives = bind.getBindType() == BindType.BIND_RX || bind.getBindType() == BindType.BIND_TRX;
            session.addSessionStateListener((newState, oldState, source) -> {
                if (newState == SessionState.CLOSED) {
                    receiver.unbound(source);
                    receivers.unbound(account.systemId(), session);
                    sessions.remove(session);
                }
            });
            bind.accept("switchboard", InterfaceVersion.IF_34);
            if (receives) {
                // Only once bound: deliver_sm to it may start as soon as it is registered.
                receivers.bound(account.systemId(), session);
            }
            LOG.info("SMPP {} bound: system_id '{}' from {}", bind.getBindType(), account.systemId(), session.getInetAddress());
        } catch (TimeoutException e) {
            LOG.info("no bind within {} ms from {}; closing", BIND_TIMEOUT_MS, session.getInetAddress());
            session.close();
        } catch (Exception e) {
            LOG.warn("SMPP bind from {} failed: {}", session.getInetAddress(), e.toString());
            session.close();
        }
    }

    private Optional<Integer> check(BindRequest bind) {
        SmppAccount account = accountsById.get(bind.getSystemId());
        if (account == null) {
            return Optional.of(SMPPConstant.STAT_ESME_RINVSYSID);
        }
        byte[] given = bind.getPassword() == null ? new byte[0] : bind.getPassword().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, account.password().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(SMPPConstant.STAT_ESME_RINVPASWD);
        }
        return Optional.empty();
    }

    public int port() { return listener.getLocalPort(); }

    /** A route per account, for replies to peers reached back through its binds. */
    public List<AccountRoute> routes() {
        return settings.accounts().stream().map(a -> new AccountRoute(a, receivers)).toList();
    }

    @Override
    public void close() {
        running = false;
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (IOException e) {
            LOG.debug("closing the SMPP listener: {}", e.toString());
        }
        sessions.forEach(s -> {
            try {
                s.unbindAndClose();
            } catch (RuntimeException e) {
                s.close();
            }
        });
        binds.shutdownNow();
    }

    private static Thread daemon(Runnable r, String prefix) {
        Thread t = new Thread(r, prefix + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    }
}
