package dev.switchboard.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.gateway.config.ConfigLoader;
import dev.switchboard.gateway.config.GatewayConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default install: embedded PostgreSQL in a data folder that survives a restart. */
class RestartTest {
    @Test
    void everythingIsStillThereAfterAStopAndStartOnTheSameDataFolder() throws Exception {
        Path dataDir = Files.createTempDirectory("switchboard-restart");
        GatewayConfig config = embeddedDefaults(dataDir);

        DeviceCredentials a;
        String conversationId;
        long lastSeq;
        String adminToken;
        try (Gateway first = Gateway.start(config, Clock.systemUTC())) {
            URI uri = URI.create("http://127.0.0.1:" + first.httpPort());
            assertEquals(first.httpPort(), Integer.parseInt(Files.readString(dataDir.resolve("http.port")).trim()));
            adminToken = Files.readString(dataDir.resolve("admin.token")).trim();
            a = enroll(uri, adminToken, "+390699990001");
            enroll(uri, adminToken, "+390699990002");
            SwitchboardClient client = new SwitchboardClient(uri).withCredentials(a);
            for (int i = 0; i < 20; i++) {
                client.send("+390699990002", "before restart " + i);
            }
            conversationId = client.conversationWith("+390699990002").orElseThrow().get("id").asText();
            lastSeq = client.sync(0, 1000).next();
        }

        try (Gateway second = Gateway.start(config, Clock.systemUTC())) {
            URI uri = URI.create("http://127.0.0.1:" + second.httpPort());
            assertEquals(adminToken, Files.readString(dataDir.resolve("admin.token")).trim(), "the generated admin token is kept");
            SwitchboardClient client = new SwitchboardClient(uri).withCredentials(a);
            assertEquals(20, client.allMessages(conversationId).size(), "every message survived");
            assertEquals(lastSeq, client.sync(0, 1000).next(), "the sync log survived");
            var next = client.send("+390699990002", "after restart");
            assertEquals(lastSeq + 1, next.seq(), "seq continues without a gap");
            assertTrue(client.devices().size() == 1, "the device and its token survived");
        }
    }

    @Test
    void aSecondGatewayOnTheSameDataFolderIsRefusedAndTheFirstKeepsItsDatabase() throws Exception {
        Path dataDir = Files.createTempDirectory("switchboard-shared");
        GatewayConfig config = embeddedDefaults(dataDir);
        try (Gateway first = Gateway.start(config, Clock.systemUTC())) {
            Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> Gateway.start(config, Clock.systemUTC()));
            assertTrue(String.valueOf(refused.getMessage()).contains("another gateway"), String.valueOf(refused));
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + first.httpPort() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), "the first gateway's database was left alone");
        }
    }

    /** The default install (embedded database) in the given folder, on free ports. */
    private static GatewayConfig embeddedDefaults(Path dataDir) {
        return new ConfigLoader(Map.of(
                "SWITCHBOARD_HTTP_HOST", "127.0.0.1",
                "SWITCHBOARD_HTTP_PORT", "0",
                "SWITCHBOARD_SMPP_SERVER_PORT", "0",
                "SWITCHBOARD_DATABASE_EMBEDDED_DATA_DIR", dataDir.toString())).load(Path.of("absent.yaml"), false);
    }

    private static DeviceCredentials enroll(URI uri, String adminToken, String number) throws Exception {
        HttpResponse<String> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri.resolve("/v1/numbers"))
                .header("Authorization", "Bearer " + adminToken)
                .POST(HttpRequest.BodyPublishers.ofString("{\"number\":\"" + number + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, served.statusCode(), served.body());
        String code = new io.vertx.core.json.JsonObject(served.body()).getString("enrollmentCode");
        return new SwitchboardClient(uri).enrollPrimary(number, code, "phone", DeviceKeys.generate());
    }
}
