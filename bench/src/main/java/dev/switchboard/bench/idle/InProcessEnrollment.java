package dev.switchboard.bench.idle;

import dev.switchboard.bench.support.BenchDatabase;
import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.crypto.ListedDevice;
import dev.switchboard.crypto.RawKeyPair;
import dev.switchboard.crypto.X25519;
import dev.switchboard.gateway.config.ConfigLoader;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.inbox.devices.DeviceKeySet;
import dev.switchboard.inbox.devices.DevicePolicy;
import dev.switchboard.inbox.devices.DeviceService;
import dev.switchboard.inbox.devices.LinkService;
import dev.switchboard.inbox.devices.NumberService;
import dev.switchboard.inbox.devices.SignedDeviceList;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.sync.InboxListener;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Enrolls devices through the same inbox services the HTTP API calls ({@link NumberService#serve},
 * {@link DeviceService#enrollPrimary}, {@link LinkService#create}, {@code approve}, {@code complete}),
 * with every check they make (signed encryption keys, account and device signatures, signed device
 * lists, the companion limit), on the bench database, but without HTTP and with the device side's
 * signatures made by BouncyCastle ({@code dev.switchboard.crypto}): through the API, the client's
 * JDK Ed25519 signing makes 20,000 devices take a quarter of an hour on this machine.
 * <p>Two things differ from a phone: the sealed provisioning a primary hands its companion is a
 * placeholder (the gateway only stores it; these companions never open it), and the sync events of
 * the enrollment are not published to the gateway's event bus (no stream is open yet to hear them).
 * Also reads the numbers' stream cursors ({@link SyncLog#lastSeq}). Its own Vert.x and pool are
 * closed before anything is measured.
 */
public final class InProcessEnrollment implements AutoCloseable {
    private static final String PROVISIONING_PLACEHOLDER = "bench-placeholder-provisioning";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    private final Vertx vertx;
    private final Pool pool;
    private final SyncLog syncLog;
    private final NumberService numbers;
    private final DeviceService devices;
    private final LinkService links;

    public InProcessEnrollment(BenchDatabase db, int poolSize) {
        this.vertx = Vertx.vertx();
        this.pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize).setMaxWaitQueueSize(10_000))
                .connectingTo(db.endpoint().connectOptions()).using(vertx).build();
        // The gateway's own defaults (companion limit, link and enrollment lifetimes).
        GatewayConfig.Devices d = new ConfigLoader(Map.of()).load(Path.of("does-not-exist.yaml"), false).devices();
        DevicePolicy policy = new DevicePolicy(d.maxCompanions(), Duration.ofDays(d.primaryCheckinDays()),
                Duration.ofSeconds(d.linkTtlSeconds()), Duration.ofHours(d.enrollmentTtlHours()));
        Clock clock = Clock.systemUTC();
        Ids ids = new Ids(new SecureRandom());
        this.syncLog = new SyncLog(pool);
        Transactor tx = new Transactor(pool, syncLog, clock, InboxListener.NONE);
        this.numbers = new NumberService(tx, ids, policy);
        this.devices = new DeviceService(tx, ids, clock);
        this.links = new LinkService(tx, ids, policy, clock);
    }

    /** Serves each number and enrolls its primary plus {@code companions.get(number)} companions; returns the tokens, primary first. */
    public Map<String, List<String>> enroll(Map<String, Integer> companions, int parallelism) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(parallelism);
        AtomicInteger done = new AtomicInteger();
        try {
            Map<String, java.util.concurrent.Future<List<String>>> futures = new LinkedHashMap<>();
            companions.forEach((number, n) -> futures.put(number, workers.submit(() -> {
                List<String> tokens = enrollOne(number, n);
                int d = done.incrementAndGet();
                if (d % 500 == 0) {
                    System.out.println("idle-devices: enrolled in-process " + d + "/" + companions.size() + " numbers");
                }
                return tokens;
            })));
            Map<String, List<String>> tokens = new LinkedHashMap<>();
            for (var e : futures.entrySet()) {
                tokens.put(e.getKey(), e.getValue().get(600, TimeUnit.SECONDS));
            }
            return tokens;
        } finally {
            workers.shutdownNow();
        }
    }

    /** The number's last sync event: a device connecting with this cursor has nothing to catch up on. */
    public long lastSeq(String number) throws Exception {
        return await(syncLog.lastSeq(number));
    }

    private List<String> enrollOne(String number, int companions) throws Exception {
        String code = await(numbers.serve(number, null)).enrollmentCode();
        Keys primary = Keys.generate();
        DeviceService.Enrolled enrolled = await(devices.enrollPrimary(number, code, "phone", primary.keySet()));
        List<String> tokens = new ArrayList<>();
        tokens.add(enrolled.token());
        List<SignedDeviceList.Entry> listed = new ArrayList<>();
        listed.add(primary.entry(enrolled.device().id(), "primary"));
        for (int c = 1; c <= companions; c++) {
            Keys companion = Keys.generate();
            LinkService.Created link = await(links.create("companion-" + c, companion.keySet(), b64(X25519.generate().publicKey())));
            // What the primary signs when it approves: the companion's keys, and the new list (version c: enrollment dropped the old lists).
            String accountSignature = b64(primary.sign(Canonical.accountSignatureStatement(number, link.deviceId(),
                    companion.identity.publicKey(), companion.encryption.publicKey())));
            listed.add(companion.entry(link.deviceId(), "companion"));
            long issuedAt = System.currentTimeMillis();
            List<ListedDevice> statement = listed.stream().map(e -> new ListedDevice(e.deviceId(), Base64.getUrlDecoder().decode(e.identityKey()),
                    Base64.getUrlDecoder().decode(e.encryptionKey()), e.kind())).toList();
            SignedDeviceList list = new SignedDeviceList(c, issuedAt, listed,
                    b64(primary.sign(Canonical.deviceList(number, c, issuedAt, statement))), false);
            await(links.approve(enrolled.device(), link.linkId(), accountSignature, list, PROVISIONING_PLACEHOLDER));
            // What the companion signs when it completes: the account key and its own keys.
            String deviceSignature = b64(companion.sign(Canonical.deviceSignatureStatement(primary.identity.publicKey(),
                    companion.identity.publicKey(), companion.encryption.publicKey())));
            tokens.add(await(links.complete(link.linkId(), link.secret(), deviceSignature)).token());
        }
        return tokens;
    }

    /** A device's key pairs, raw, signed with BouncyCastle. */
    private record Keys(RawKeyPair identity, RawKeyPair encryption) {
        static Keys generate() {
            return new Keys(Ed25519.generate(), X25519.generate());
        }

        byte[] sign(byte[] statement) {
            return Ed25519.sign(identity.privateKey(), statement);
        }

        DeviceKeySet keySet() {
            return new DeviceKeySet(b64(identity.publicKey()), b64(encryption.publicKey()), DeviceKeySet.FIRST_KEY_ID,
                    b64(sign(Canonical.encryptionKeyStatement(encryption.publicKey()))));
        }

        SignedDeviceList.Entry entry(String deviceId, String kind) {
            return new SignedDeviceList.Entry(deviceId, b64(identity.publicKey()), b64(encryption.publicKey()), kind);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        pool.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
