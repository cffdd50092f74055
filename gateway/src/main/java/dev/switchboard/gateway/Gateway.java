package dev.switchboard.gateway;

import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.gateway.config.Secret;
import dev.switchboard.gateway.database.DatabaseEndpoint;
import dev.switchboard.gateway.database.EmbeddedDatabase;
import dev.switchboard.gateway.http.ApiRouter;
import dev.switchboard.gateway.http.Authenticator;
import dev.switchboard.gateway.http.HttpApiVerticle;
import dev.switchboard.gateway.media.MediaFiles;
import dev.switchboard.gateway.media.SignedMediaLinks;
import dev.switchboard.gateway.media.StoredInboundMedia;
import dev.switchboard.gateway.stream.EventFanout;
import dev.switchboard.gateway.stream.PeerTyping;
import dev.switchboard.gateway.stream.TypingNotices;
import dev.switchboard.inbox.devices.DeviceLists;
import dev.switchboard.inbox.devices.DevicePolicy;
import dev.switchboard.inbox.devices.DeviceService;
import dev.switchboard.inbox.devices.LinkService;
import dev.switchboard.inbox.devices.NumberService;
import dev.switchboard.inbox.devices.PrimaryCheckinSweeper;
import dev.switchboard.inbox.media.MediaRepository;
import dev.switchboard.inbox.messages.ConversationQueries;
import dev.switchboard.inbox.messages.MessageService;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.SchemaMigrator;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the whole object graph with {@code new}, starts it, and stops it
 * in the reverse order. Start and stop block and run on the caller's thread, never an event loop.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

    private final EmbeddedDatabase embedded;
    private final Vertx vertx;
    private final Pool pool;
    private final Transactor db;
    private final PrimaryCheckinSweeper sweeper;
    private final LinkService links;
    private final String deploymentId;
    private final HttpApiVerticle http;
    private final int port;
    private final SmppWiring smpp;
    private final RcsWiring rcs;
    private boolean stopped;

    private Gateway(EmbeddedDatabase embedded, Vertx vertx, Pool pool, Transactor db,
                    PrimaryCheckinSweeper sweeper, LinkService links, String deploymentId, HttpApiVerticle http, int port, SmppWiring smpp,
                    RcsWiring rcs) {
        this.embedded = embedded;
        this.vertx = vertx;
        this.pool = pool;
        this.db = db;
        this.sweeper = sweeper;
        this.links = links;
        this.deploymentId = deploymentId;
        this.http = http;
        this.port = port;
        this.smpp = smpp;
        this.rcs = rcs;
    }

    public static Gateway start(GatewayConfig config, Clock clock) throws Exception {
        Path dataDir = config.dataDir();
        Files.createDirectories(dataDir);
        Ids ids = new Ids(new SecureRandom());
        Secret adminToken = AdminToken.resolve(config.admin().token(), dataDir, ids);

        EmbeddedDatabase embedded = null;
        DatabaseEndpoint endpoint;
        if (config.database().url().isPresent()) {
            endpoint = new DatabaseEndpoint(config.database().url().get(), config.database().user(),
                    config.database().password().orElse(null));
        } else {
            embedded = EmbeddedDatabase.start(dataDir, config.database().embedded().port());
            endpoint = embedded.endpoint();
        }
        Vertx vertx = null;
        SmppWiring smpp = null;
        RcsWiring rcs = null;
        try {
            int migrations = SchemaMigrator.migrate(endpoint.jdbcUrl(), endpoint.user(),
                    endpoint.password() == null ? null : endpoint.password().value());
            LOG.info("database schema up to date ({} migrations applied now)", migrations);

            vertx = Vertx.vertx();
            Pool pool = PgBuilder.pool()
                    .with(new PoolOptions().setMaxSize(config.database().poolSize()).setMaxWaitQueueSize(10_000))
                    .connectingTo(endpoint.connectOptions())
                    .using(vertx)
                    .build();

            DevicePolicy policy = new DevicePolicy(config.devices().maxCompanions(),
                    Duration.ofDays(config.devices().primaryCheckinDays()),
                    Duration.ofSeconds(config.devices().linkTtlSeconds()),
                    Duration.ofHours(config.devices().enrollmentTtlHours()));
            SyncLog syncLog = new SyncLog(pool);
            Transactor db = new Transactor(pool, syncLog, clock, new EventFanout(vertx.eventBus()));
            DeviceService devices = new DeviceService(db, ids, clock);
            PrimaryCheckinSweeper sweeper = new PrimaryCheckinSweeper(db, clock, policy);
            LinkService links = new LinkService(db, ids, policy, clock);
            MediaFiles mediaFiles = new MediaFiles(vertx, config.media().dir());
            await(mediaFiles.init());
            MediaRepository mediaRepository = new MediaRepository(db);
            // The port is known only once the HTTP server listens; links are made later than that.
            AtomicReference<String> publicUrl = new AtomicReference<>(config.http().publicUrl().isEmpty() && config.http().port() != 0
                    ? localUrl(config.http().host(), config.http().port()) : config.http().publicUrl());
            if (config.http().publicUrl().isEmpty() && !config.rcs().providers().isEmpty()) {
                LOG.warn("http.publicUrl is not set: media links for RCS providers and SMS recipients point at this host's"
                        + " local address, which they cannot reach");
            }
            SignedMediaLinks mediaLinks = new SignedMediaLinks(LocalKeys.mediaLinkKey(dataDir, ids), publicUrl::get,
                    Duration.ofHours(config.media().publicLinkTtlHours()), clock);
            smpp = SmppWiring.start(config, vertx, db, ids, clock, mediaLinks);
            rcs = new RcsWiring(config, vertx, db, ids, clock);
            MessageService messages = new MessageService(db, ids, rcs.channelPolicy());
            TypingNotices typing = new TypingNotices(vertx.eventBus(), rcs.typingRelay()::typing);
            rcs.start(messages, mediaLinks, new StoredInboundMedia(mediaFiles, mediaRepository, ids), new PeerTyping(pool, typing),
                    config.media().maxBytes());
            RcsWiring rcsWiring = rcs;
            ApiRouter.Services services = new ApiRouter.Services(pool, new NumberService(db, ids, policy), devices,
                    links, messages, new ConversationQueries(pool), syncLog,
                    mediaRepository, mediaFiles, typing,
                    new Authenticator(devices, adminToken), ids, openApi(), policy.linkTtl(), smpp.directSms(), mediaLinks,
                    rcs.providers(), rcs.webhookQueue(), rcsWiring::webhookEventsCommitted, new DeviceLists(db));

            HttpApiVerticle http = new HttpApiVerticle(v -> ApiRouter.build(v, services, config.http().maxBodyBytes(),
                    config.media().maxBytes()), config.http().host(), config.http().port());
            String deploymentId = await(vertx.deployVerticle(http));
            int port = http.actualPort();
            if (publicUrl.get().isEmpty()) {
                publicUrl.set(localUrl(config.http().host(), port));
            }
            Files.writeString(dataDir.resolve("http.port"), port + "\n");
            LOG.info("Switchboard listening on http://{}:{}", config.http().host(), port);

            long sweepMs = Duration.ofMinutes(config.devices().checkinSweepMinutes()).toMillis();
            vertx.setPeriodic(sweepMs, id -> sweeper.sweep()
                    .onSuccess(list -> {
                        if (!list.isEmpty()) {
                            LOG.info("unlinked {} companions whose primary stopped checking in", list.size());
                        }
                    })
                    .onFailure(e -> LOG.warn("primary check-in sweep failed: {}", e.toString())));
            vertx.setPeriodic(policy.linkTtl().toMillis(), id -> links.expireUncollected()
                    .onFailure(e -> LOG.warn("expiring uncollected links failed: {}", e.toString())));
            return new Gateway(embedded, vertx, pool, db, sweeper, links, deploymentId, http, port, smpp, rcs);
        } catch (Exception e) {
            if (rcs != null) {
                rcs.close();
            }
            if (smpp != null) {
                smpp.close();
            }
            if (vertx != null) {
                vertx.close();
            }
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /** Where this gateway answers locally: the default for links when no public URL is configured. */
    private static String localUrl(String host, int port) {
        return "http://" + (host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host) + ":" + port;
    }

    private static Buffer openApi() throws IOException {
        try (InputStream in = Gateway.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IOException("openapi.yaml is missing from the gateway jar");
            }
            return Buffer.buffer(in.readAllBytes());
        }
    }

    public int httpPort() { return port; }

    public PrimaryCheckinSweeper checkinSweeper() { return sweeper; }

    public LinkService links() { return links; }

    public java.util.List<String> operations() { return http.operations(); }

    /** The store that reassembles long inbound SMS; its {@code sweep()} is what the periodic timer runs. */
    public dev.switchboard.inbox.messages.FragmentStore smsFragments() {
        return smpp.fragments();
    }

    /** One pass of the background RCS capability refresh, as the periodic timer runs it. */
    public io.vertx.core.Future<Integer> refreshRcsCapabilities() {
        return rcs.refresher().refresh();
    }

    /** The SMPP server's port, when it runs. */
    public java.util.OptionalInt smppPort() {
        return smpp.serverPort();
    }

    /** Stops accepting, lets in-flight requests commit, then closes the pool, Vert.x and the embedded database. */
    @Override
    public synchronized void close() throws Exception {
        if (stopped) {
            return;
        }
        stopped = true;
        LOG.info("shutting down: no new requests");
        await(vertx.undeploy(deploymentId));
        rcs.close();
        if (smpp != null) {
            smpp.close();
        }
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        // Requests whose connection just closed still run their transactions to the end: let them commit.
        while (db.activeTransactions() > 0 && System.nanoTime() < deadline) {
            // Plain waiting on the shutdown thread: the event loops are still running the requests.
            TimeUnit.MILLISECONDS.sleep(20);
        }
        await(pool.close());
        await(vertx.close());
        if (embedded != null) {
            embedded.close();
        }
        LOG.info("shut down cleanly");
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
