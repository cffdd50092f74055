package dev.switchboard.gateway;

import dev.switchboard.carrier.MediaLinks;
import dev.switchboard.carrier.smpp.SegmentJoiner;
import dev.switchboard.carrier.smpp.SmppInbound;
import dev.switchboard.carrier.smpp.SmsRouter;
import dev.switchboard.carrier.smpp.server.AccountReceiptSender;
import dev.switchboard.carrier.smpp.server.AccountRoute;
import dev.switchboard.carrier.smpp.server.AccountSessions;
import dev.switchboard.carrier.smpp.client.DirectSms;
import dev.switchboard.carrier.smpp.client.SmppCarrier;
import dev.switchboard.carrier.smpp.client.SmppOutboxWorker;
import dev.switchboard.carrier.smpp.server.SmppServer;
import dev.switchboard.carrier.sms.DataCoding0;
import dev.switchboard.carrier.sms.DataCodingReader;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.inbox.messages.AccountReceiptStore;
import dev.switchboard.inbox.messages.DeliveryTracker;
import dev.switchboard.inbox.messages.FragmentStore;
import dev.switchboard.inbox.messages.InboundBatcher;
import dev.switchboard.inbox.messages.InboundService;
import dev.switchboard.inbox.messages.OutboxStore;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Transactor;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMPP side of the graph: the server carriers bind to (with the routes back through its
 * accounts and the receipts owed to them), the carriers we bind to, the outbox worker over both,
 * and the store that reassembles long inbound SMS with its timeout sweep.
 */
final class SmppWiring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmppWiring.class);
    /** The sweep looks for overdue sets this often, or every timeout when that is shorter. */
    private static final Duration MAX_SWEEP_INTERVAL = Duration.ofMinutes(1);
    /** Outbox messages in flight to server accounts: what one claim took before claims ran continuously. */
    private static final int ACCOUNT_IN_FLIGHT = 64;

    private final Vertx vertx;
    private final SmppServer server;
    private final List<SmppCarrier> carriers;
    private final SmppOutboxWorker worker;
    private final FragmentStore fragments;
    private final long sweepTimer;
    private final AccountSessions receivers;
    private final AccountReceiptSender receipts;
    private final SmsRouter router;

    private SmppWiring(Vertx vertx, SmppServer server, List<SmppCarrier> carriers, SmppOutboxWorker worker,
                       FragmentStore fragments, long sweepTimer, AccountSessions receivers, AccountReceiptSender receipts,
                       SmsRouter router) {
        this.vertx = vertx;
        this.server = server;
        this.carriers = carriers;
        this.worker = worker;
        this.fragments = fragments;
        this.sweepTimer = sweepTimer;
        this.receivers = receivers;
        this.receipts = receipts;
        this.router = router;
    }

    /** {@code mediaLinks} are the public links to media that outbound SMS render into their text. */
    static SmppWiring start(GatewayConfig config, Vertx vertx, Transactor db, Ids ids, Clock clock, MediaLinks mediaLinks)
            throws Exception {
        // What SMPP peers send is group-committed: each PDU is still answered only after its own commit.
        // Each batch in flight holds a pooled connection: at most a quarter of the pool, so the API keeps the rest.
        int batchesInFlight = Math.max(1, Math.min(InboundBatcher.MAX_IN_FLIGHT, config.database().poolSize() / 4));
        InboundService inbound = new InboundService(db, ids,
                new InboundBatcher(vertx, db, InboundBatcher.MAX_BATCH, InboundBatcher.MAX_WAIT, batchesInFlight));
        DeliveryTracker tracker = new DeliveryTracker(db);
        FragmentStore fragments = new FragmentStore(db, inbound, clock, config.smpp().reassemblyTimeout(), new SegmentJoiner());
        SmppInbound smppInbound = new SmppInbound(inbound, fragments);
        // Runs whether or not SMPP is configured now: sets kept before a restart are delivered all the same.
        long sweepTimer = vertx.setPeriodic(sweepInterval(fragments.timeout()).toMillis(), sweeper(fragments));
        SmppServer server = null;
        List<SmppCarrier> carriers = List.of();
        List<AccountRoute> accounts = List.of();
        SmppOutboxWorker worker = null;
        AccountSessions receivers = new AccountSessions();
        AccountReceiptSender receipts = null;
        SmsRouter router = new SmsRouter(List.of(), List.of());
        try {
            if (config.smppServer().enabled()) {
                AccountReceiptStore receiptStore = new AccountReceiptStore(db);
                server = new SmppServer(config.smppServer(), smppInbound, new DataCodingReader(DataCoding0.GSM7), receivers,
                        receiptStore);
                server.start();
                accounts = server.routes();
                receipts = new AccountReceiptSender(vertx, receiptStore, receivers, accounts.stream().map(AccountRoute::id).toList());
                receipts.start();
            }
            carriers = config.smppCarriers().stream().map(c -> new SmppCarrier(vertx, c, tracker, smppInbound)).toList();
            carriers.forEach(SmppCarrier::start);
            router = new SmsRouter(carriers, accounts);
            if (!carriers.isEmpty() || !accounts.isEmpty()) {
                worker = new SmppOutboxWorker(vertx, new OutboxStore(db, clock), tracker, router, mediaLinks,
                        outboxInFlight(carriers, accounts));
                worker.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            new SmppWiring(vertx, server, carriers, worker, fragments, sweepTimer, receivers, receipts, router).close();
            throw e;
        }
        return new SmppWiring(vertx, server, carriers, worker, fragments, sweepTimer, receivers, receipts, router);
    }

    /**
     * How many outbox messages may be in flight at once: the carriers' binds × window, so every
     * window can be kept full, plus a batch for the server accounts, whose deliver_sm share one pool.
     */
    static int outboxInFlight(List<SmppCarrier> carriers, List<AccountRoute> accounts) {
        return SmppOutboxWorker.windowOf(carriers) + (accounts.isEmpty() ? 0 : ACCOUNT_IN_FLIGHT);
    }

    static Duration sweepInterval(Duration timeout) {
        return timeout.compareTo(MAX_SWEEP_INTERVAL) < 0 ? timeout : MAX_SWEEP_INTERVAL;
    }

    /** One sweep at a time: a slow one (a database that hangs) is not piled on by the next tick. */
    private static Handler<Long> sweeper(FragmentStore fragments) {
        AtomicBoolean running = new AtomicBoolean();
        return id -> {
            if (!running.compareAndSet(false, true)) {
                return;
            }
            fragments.sweep()
                    .onSuccess(delivered -> {
                        if (!delivered.isEmpty()) {
                            LOG.info("delivered {} incomplete long SMS after the reassembly timeout, with gap markers",
                                    delivered.size());
                        }
                    })
                    .onFailure(e -> LOG.warn("reassembly timeout sweep failed; retrying on the next tick: {}", e.toString()))
                    .onComplete(ar -> running.set(false));
        };
    }

    /** System SMS (enrollment codes) through the same carrier routes as conversation messages. */
    DirectSms directSms() {
        return new DirectSms(router);
    }

    /** The store of inbound segments; tests call its {@code sweep()} after moving the clock. */
    FragmentStore fragments() {
        return fragments;
    }

    OptionalInt serverPort() {
        return server == null ? OptionalInt.empty() : OptionalInt.of(server.port());
    }

    /** Stops taking new work: the sweep and the outbox worker first, then the binds and the server. */
    @Override
    public void close() {
        vertx.cancelTimer(sweepTimer);
        if (worker != null) {
            worker.close();
        }
        if (receipts != null) {
            receipts.close();
        }
        carriers.forEach(SmppCarrier::close);
        if (server != null) {
            server.close();
        }
        receivers.close();
    }
}
