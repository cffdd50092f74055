package dev.switchboard.bench.support;

import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.LinkRequest;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.gateway.Gateway;
import dev.switchboard.gateway.config.ConfigLoader;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.gateway.database.DatabaseEndpoint;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The production {@link Gateway} graph on a {@link BenchDatabase}, configured the way an operator
 * would (environment variables through {@link ConfigLoader}), plus the set-up every scenario needs:
 * serving numbers and enrolling their devices through the real HTTP API.
 */
public final class BenchGateway implements AutoCloseable {
    /** One enrolled device: its number, credentials and keys (the keys sign, link and decrypt). */
    public record BenchDevice(String number, DeviceCredentials credentials, DeviceKeys keys, boolean primary) {
        public String token() {
            return credentials.token();
        }
    }

    private final Gateway gateway;
    private final String adminToken;
    private final URI uri;
    private final HttpClient http = HttpClient.newHttpClient();

    private BenchGateway(Gateway gateway, String adminToken) {
        this.gateway = gateway;
        this.adminToken = adminToken;
        this.uri = URI.create("http://127.0.0.1:" + gateway.httpPort());
    }

    /**
     * Starts the gateway on {@code db}. {@code env} adds or overrides environment settings (for
     * example {@code SWITCHBOARD_SMPP_SERVER_ACCOUNTS} or {@code SWITCHBOARD_SMPP_CARRIERS}); the
     * SMPP server listens on a free port only when {@code smppServer} is true.
     */
    public static BenchGateway start(BenchDatabase db, int poolSize, boolean smppServer, Map<String, String> env) throws Exception {
        String admin = UUID.randomUUID().toString();
        DatabaseEndpoint endpoint = db.endpoint();
        Map<String, String> all = new HashMap<>();
        all.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
        all.put("SWITCHBOARD_HTTP_PORT", "0");
        all.put("SWITCHBOARD_SMPP_SERVER_PORT", smppServer ? Integer.toString(freePort()) : "0");  // 0 disables the server
        all.put("SWITCHBOARD_ADMIN_TOKEN", admin);
        all.put("SWITCHBOARD_DATABASE_URL", endpoint.jdbcUrl());
        all.put("SWITCHBOARD_DATABASE_USER", endpoint.user());
        if (endpoint.password() != null) {
            all.put("SWITCHBOARD_DATABASE_PASSWORD", endpoint.password().value());
        }
        all.put("SWITCHBOARD_DATABASE_POOL_SIZE", Integer.toString(poolSize));
        all.put("SWITCHBOARD_DATABASE_EMBEDDED_DATA_DIR", db.dataDir().resolve("gateway").toString());
        all.putAll(env);
        GatewayConfig config = new ConfigLoader(all).load(Path.of("does-not-exist.yaml"), false);
        return new BenchGateway(Gateway.start(config, Clock.systemUTC()), admin);
    }

    public Gateway gateway() {
        return gateway;
    }

    public URI uri() {
        return uri;
    }

    public int httpPort() {
        return gateway.httpPort();
    }

    public int smppPort() {
        return gateway.smppPort().orElseThrow(() -> new IllegalStateException("the SMPP server is not enabled"));
    }

    public HttpClient http() {
        return http;
    }

    /** A client with no credentials, for this gateway. */
    public SwitchboardClient client() {
        return new SwitchboardClient(uri, http);
    }

    /** A client acting as {@code device}. */
    public SwitchboardClient client(BenchDevice device) {
        return new SwitchboardClient(uri, http).withCredentials(device.credentials()).withKeys(device.keys());
    }

    /**
     * Serves each number and enrolls its primary plus {@code companions} linked devices (QR linking
     * through the real API, at most 4), {@code parallelism} numbers at a time. Returns, per number,
     * the primary first.
     */
    public Map<String, List<BenchDevice>> enroll(List<String> numbers, int companions, int parallelism) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            Map<String, Future<List<BenchDevice>>> futures = new java.util.LinkedHashMap<>();
            for (String number : numbers) {
                futures.put(number, pool.submit(() -> enrollOne(number, companions)));
            }
            Map<String, List<BenchDevice>> all = new java.util.LinkedHashMap<>();
            for (var e : futures.entrySet()) {
                all.put(e.getKey(), e.getValue().get(600, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private List<BenchDevice> enrollOne(String number, int companions) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri.resolve("/v1/numbers"))
                        .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("number", number).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("serving " + number + ": " + r.statusCode() + " " + r.body());
        }
        String code = new JsonObject(r.body()).getString("enrollmentCode");
        DeviceKeys primaryKeys = DeviceKeys.generate();
        DeviceCredentials primary = client().enrollPrimary(number, code, "phone", primaryKeys);
        List<BenchDevice> devices = new ArrayList<>();
        devices.add(new BenchDevice(number, primary, primaryKeys, true));
        for (int i = 0; i < companions; i++) {
            DeviceKeys keys = DeviceKeys.generate();
            SwitchboardClient fresh = client();
            LinkRequest request = fresh.createLinkRequest("companion-" + (i + 1), keys);
            client().withCredentials(primary).withKeys(primaryKeys).approveLink(request.qr(), primaryKeys);
            devices.add(new BenchDevice(number, fresh.awaitApproval(request, Duration.ofSeconds(60)), keys, false));
        }
        return devices;
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        gateway.close();
    }
}
