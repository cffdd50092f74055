package dev.switchboard.gateway;

import dev.switchboard.carrier.MediaLinks;
import dev.switchboard.carrier.rcs.CapabilityRefresher;
import dev.switchboard.carrier.rcs.FileDownloader;
import dev.switchboard.carrier.rcs.InboundMedia;
import dev.switchboard.carrier.rcs.RcsChannelPolicy;
import dev.switchboard.carrier.rcs.RcsContentMapper;
import dev.switchboard.carrier.rcs.RcsInboundWorker;
import dev.switchboard.carrier.rcs.RcsOutboxWorker;
import dev.switchboard.carrier.rcs.RcsProviderSet;
import dev.switchboard.carrier.rcs.RcsProviders;
import dev.switchboard.carrier.rcs.RcsReadReceiptSender;
import dev.switchboard.carrier.rcs.RcsTypingRelay;
import dev.switchboard.carrier.rcs.TypingSink;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.inbox.messages.ChannelPolicy;
import dev.switchboard.inbox.messages.InboundService;
import dev.switchboard.inbox.messages.MessageService;
import dev.switchboard.inbox.messages.RcsCapabilityStore;
import dev.switchboard.inbox.messages.RcsOutboxStore;
import dev.switchboard.inbox.messages.RcsPeers;
import dev.switchboard.inbox.messages.RcsReadReceipts;
import dev.switchboard.inbox.messages.RcsWebhookQueue;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Transactor;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RCS side of the graph: the configured providers, the channel policy the message service
 * asks, and the workers that send the RCS outbox, apply webhook events, send READ receipts and
 * renew capabilities. Built in two steps because the message service needs the policy and the
 * webhook worker needs the message service.
 */
final class RcsWiring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RcsWiring.class);
    private static final Duration REFRESH_EVERY = Duration.ofMinutes(1);
    /** Providers retry a webhook for up to 7 days; applied events are kept that long to drop duplicates. */
    private static final Duration KEEP_APPLIED = Duration.ofDays(8);

    private final Vertx vertx;
    private final Transactor db;
    private final Ids ids;
    private final Clock clock;
    private final RcsProviderSet providers;
    private final RcsCapabilityStore capabilities;
    private final RcsWebhookQueue queue;
    private RcsOutboxWorker outbox;
    private RcsInboundWorker inbound;
    private RcsReadReceiptSender receipts;
    private long refreshTimer = -1;

    RcsWiring(GatewayConfig config, Vertx vertx, Transactor db, Ids ids, Clock clock) {
        this.vertx = vertx;
        this.db = db;
        this.ids = ids;
        this.clock = clock;
        this.providers = new RcsProviderSet(config.rcs().providers().stream()
                .map(s -> new RcsProviderSet.Entry(s, RcsProviders.create(vertx, s, clock))).toList());
        this.capabilities = new RcsCapabilityStore(db.pool(), clock);
        this.queue = new RcsWebhookQueue(db, clock);
    }

    ChannelPolicy channelPolicy() {
        return providers.isEmpty() ? ChannelPolicy.SMS_ONLY : new RcsChannelPolicy(providers, capabilities);
    }

    RcsProviderSet providers() { return providers; }

    RcsWebhookQueue webhookQueue() { return queue; }

    /** Applies newly committed webhook events now instead of at the next poll. */
    void webhookEventsCommitted() {
        if (inbound != null) {
            inbound.kick();
        }
    }

    RcsTypingRelay typingRelay() {
        return new RcsTypingRelay(providers, capabilities, clock);
    }

    /** The capability refresh; tests call it after moving the clock. */
    CapabilityRefresher refresher() {
        return new CapabilityRefresher(providers, capabilities, clock);
    }

    void start(MessageService messages, MediaLinks links, InboundMedia media, TypingSink typing, long maxMediaBytes) throws Exception {
        if (providers.isEmpty()) {
            return;
        }
        outbox = new RcsOutboxWorker(vertx, new RcsOutboxStore(db, clock), providers, capabilities, new RcsContentMapper(links), clock);
        outbox.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        inbound = new RcsInboundWorker(vertx, queue, providers, new RcsPeers(db, ids), new InboundService(db, ids), messages, media,
                new FileDownloader(vertx, maxMediaBytes, Duration.ofSeconds(60)), typing, capabilities);
        inbound.start();
        receipts = new RcsReadReceiptSender(vertx, new RcsReadReceipts(db, clock), providers);
        receipts.start();
        CapabilityRefresher refresher = refresher();
        refreshTimer = vertx.setPeriodic(REFRESH_EVERY.toMillis(), id -> refresher.refresh()
                .compose(n -> queue.prune(KEEP_APPLIED))
                .onFailure(e -> LOG.warn("RCS capability refresh failed: {}", e.toString())));
        LOG.info("RCS providers: {}", providers.all().stream().map(e -> e.id() + " (" + e.settings().type() + ")").toList());
    }

    @Override
    public void close() {
        if (refreshTimer >= 0) {
            vertx.cancelTimer(refreshTimer);
        }
        if (outbox != null) {
            outbox.close();
        }
        if (inbound != null) {
            inbound.close();
        }
        if (receipts != null) {
            receipts.close();
        }
    }
}
