package dev.switchboard.gateway.support;

import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.LinkRequest;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.gateway.Gateway;
import dev.switchboard.gateway.config.ConfigLoader;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.inbox.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real gateway for a test class: the production {@link Gateway} graph on a fresh database in the
 * test JVM's PostgreSQL, a free port, and a clock the test can move.
 */
public final class TestGateway implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    public final MutableClock clock = new MutableClock();
    public final String adminToken = UUID.randomUUID().toString();
    private final Map<String, String> overrides;
    private final HttpClient http = HttpClient.newHttpClient();
    private Gateway gateway;
    private URI uri;
    private String jdbcUrl;

    private TestGateway(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    /** For {@code @RegisterExtension static}: one gateway for the test class, started before its {@code @BeforeAll}. */
    public static TestGateway perClass() { return new TestGateway(Map.of()); }

    public static TestGateway perClass(Map<String, String> env) { return new TestGateway(env); }

    /** Starts a gateway now, for a test that closes it itself. */
    public static TestGateway start() throws Exception { return start(Map.of()); }

    public static TestGateway start(Map<String, String> env) throws Exception {
        TestGateway gw = new TestGateway(env);
        gw.launch();
        return gw;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception { launch(); }

    @Override
    public void afterAll(ExtensionContext context) throws Exception { close(); }

    private void launch() throws Exception {
        Path dataDir = Files.createTempDirectory("switchboard-test");
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
        env.put("SWITCHBOARD_HTTP_PORT", "0");
        env.put("SWITCHBOARD_SMPP_SERVER_PORT", "0");
        env.put("SWITCHBOARD_ADMIN_TOKEN", adminToken);
        jdbcUrl = TestDatabase.freshDatabaseUrl();
        env.put("SWITCHBOARD_DATABASE_URL", jdbcUrl);
        env.put("SWITCHBOARD_DATABASE_USER", "postgres");
        env.put("SWITCHBOARD_DATABASE_EMBEDDED_DATA_DIR", dataDir.toString());
        env.putAll(overrides);
        GatewayConfig config = new ConfigLoader(env).load(Path.of("does-not-exist.yaml"), false);
        gateway = Gateway.start(config, clock);
        uri = URI.create("http://127.0.0.1:" + gateway.httpPort());
    }

    public Gateway gateway() { return gateway; }

    public URI uri() { return uri; }

    /** Another database on the same server (e.g. {@code postgres}), for tests that administer the gateway's one. */
    public String jdbcUrlOf(String database) {
        return jdbcUrl.substring(0, jdbcUrl.lastIndexOf('/') + 1) + database;
    }

    /** The gateway's own database, for tests that hold locks or inspect rows directly. */
    public java.sql.Connection jdbc() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "");
    }

    public SwitchboardClient anonymous() { return new SwitchboardClient(uri); }

    /** Serves the number and returns a fresh enrollment code for it. */
    public String serve(String number) throws Exception {
        HttpResult r = request("POST", "/v1/numbers", adminToken, new JsonObject().put("number", number).encode(), Map.of());
        if (r.status() != 201 && r.status() != 200) {
            throw new IllegalStateException("serving " + number + " failed: " + r);
        }
        return r.json().getString("enrollmentCode");
    }

    /** Serves the number and enrolls a primary device for it. */
    public Device primary(String number) throws Exception {
        String code = serve(number);
        DeviceKeys keys = DeviceKeys.generate();
        DeviceCredentials creds = anonymous().enrollPrimary(number, code, "phone", keys);
        return new Device(keys, creds, anonymous().withCredentials(creds).withKeys(keys));
    }

    /**
     * Links a companion the way a person does: the new device shows a QR code (with its linking
     * secret), the primary checks it, signs the new device list and seals the provisioning, and the
     * new device opens it, signs back and completes the link.
     */
    public Device link(Device primary, String name) {
        DeviceKeys keys = DeviceKeys.generate();
        SwitchboardClient fresh = anonymous();
        LinkRequest request = fresh.createLinkRequest(name, keys);
        primary.client().approveLink(request.qr(), primary.keys());
        DeviceCredentials creds = fresh.awaitApproval(request, Duration.ofSeconds(10));
        return new Device(keys, creds, fresh.withCredentials(creds).withKeys(keys));
    }

    /**
     * Waits for a condition that depends on scheduled retries. Retries run on this gateway's clock,
     * which tests hold still, so each look moves it on two seconds and a backed-off task becomes due
     * without the test sleeping.
     */
    public void awaitWhileTimePasses(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        Eventually.await(what, timeout, () -> {
            clock.advance(Duration.ofSeconds(2));
            return condition.getAsBoolean();
        });
    }

    public HttpResult request(String method, String path, String token, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new HttpResult(response.statusCode(), response.body());
    }

    public HttpResult get(String path, String token) throws IOException, InterruptedException {
        return request("GET", path, token, null, Map.of());
    }

    public HttpResult post(String path, String token, String body) throws IOException, InterruptedException {
        return request("POST", path, token, body, Map.of());
    }

    @Override
    public void close() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }
}
