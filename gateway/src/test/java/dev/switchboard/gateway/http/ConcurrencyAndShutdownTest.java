package dev.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Races between writers, and shutdown in the middle of a commit, on the real database. */
class ConcurrencyAndShutdownTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static long waitingOnLocks(Connection c) throws Exception {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static CompletableFuture<HttpResponse<String>> async(TestGateway gw, String method, String path, String token, String body,
                                                                 String idempotencyKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri().resolve(path)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return HttpClient.newHttpClient().sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sendingWhileTheSameDeviceIsUnlinkedNeverDeadlocks() throws Exception {
        try (TestGateway gw = TestGateway.start(); Connection holder = gw.jdbc(); Connection observer = gw.jdbc()) {
            Device primary = gw.primary("+390615150001");
            Device laptop = gw.link(primary, "laptop");
            gw.primary("+390615150002");
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("SELECT 1 FROM numbers WHERE number = '+390615150001' FOR UPDATE");
            }
            // The primary unlinks with the new signed list (itself alone), as it must once the link stored one.
            long issuedAt = 1_800_000_000_000L;
            byte[] signature = primary.keys().sign(dev.switchboard.crypto.Canonical.deviceList(primary.number(), 2, issuedAt,
                    java.util.List.of(new dev.switchboard.crypto.ListedDevice(primary.id(), primary.keys().rawIdentityKey(),
                            primary.keys().rawEncryptionKey(), "primary"))));
            String list = new io.vertx.core.json.JsonObject().put("deviceList", new io.vertx.core.json.JsonObject().put("version", 2)
                    .put("issuedAt", issuedAt).put("signature", dev.switchboard.gateway.support.SignedKeys.b64(signature))
                    .put("devices", new io.vertx.core.json.JsonArray().add(new io.vertx.core.json.JsonObject().put("deviceId", primary.id())
                            .put("identityKey", primary.keys().identityKeyB64()).put("encryptionKey", primary.keys().encryptionKeyB64())
                            .put("kind", "primary")))).encode();
            var unlink = async(gw, "DELETE", "/v1/devices/" + laptop.id(), primary.token(), list, null);
            var send = async(gw, "POST", "/v1/messages", laptop.token(), "{\"to\":\"+390615150002\",\"text\":\"racing\"}", "race-1");
            Eventually.await("both requests to queue behind the number's lock", WAIT, () -> {
                try {
                    return waitingOnLocks(observer) >= 2;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            holder.commit();
            assertEquals(204, unlink.get().statusCode(), unlink.get().body());
            int sent = send.get().statusCode();
            assertTrue(sent == 202, "the send either went first or right after, never a deadlock: " + send.get().body());
        }
    }

    @Test
    void shutdownLetsAnInFlightCommitFinish() throws Exception {
        TestGateway gw = TestGateway.start();
        try (Connection holder = gw.jdbc(); Connection observer = gw.jdbc()) {
            Device a = gw.primary("+390615150003");
            gw.primary("+390615150004");
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("SELECT 1 FROM numbers WHERE number = '+390615150003' FOR UPDATE");
            }
            async(gw, "POST", "/v1/messages", a.token(), "{\"to\":\"+390615150004\",\"text\":\"committed during shutdown\"}", "k");
            Eventually.await("the send to wait for the lock", WAIT, () -> {
                try {
                    return waitingOnLocks(observer) >= 1;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
                try {
                    gw.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            URI health = gw.uri().resolve("/health/live");
            Eventually.await("the gateway to stop accepting", WAIT, () -> {
                try {
                    HttpClient.newHttpClient().send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding());
                    return false;
                } catch (Exception refused) {
                    return true;
                }
            });
            holder.commit();
            closing.get();
            try (Statement s = observer.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*) FROM messages WHERE content::text LIKE '%committed during shutdown%'")) {
                r.next();
                assertEquals(2, r.getLong(1), "both inboxes' copies were committed although the socket had closed");
            }
        } finally {
            gw.close();
        }
    }
}
