package dev.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IdempotencyTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();
    private static Device a;

    @BeforeAll
    static void start() throws Exception {
        a = gw.primary("+390622220001");
        gw.primary("+390622220002");
    }


    private HttpResult send(String key, String body) throws Exception {
        return gw.request("POST", "/v1/messages", a.token(), body, key == null ? Map.of() : Map.of("Idempotency-Key", key));
    }

    private long messageCount() throws Exception {
        return a.client().conversationWith("+390622220002").map(c -> (long) a.client().allMessages(c.get("id").asText()).size()).orElse(0L);
    }

    @Test
    void replayWithSameKeyAndBodyReturnsTheSameResultAndCreatesNothing() throws Exception {
        String body = "{\"to\":\"+390622220002\",\"text\":\"once only\"}";
        HttpResult first = send("key-1", body);
        assertEquals(202, first.status());
        long before = messageCount();
        long seqBefore = a.client().sync(0, 1000).next();
        HttpResult again = send("key-1", body);
        assertEquals(202, again.status());
        assertEquals(first.json().getString("id"), again.json().getString("id"));
        assertEquals(first.json().getLong("seq"), again.json().getLong("seq"));
        assertEquals(first.json().getString("conversationId"), again.json().getString("conversationId"));
        assertEquals(before, messageCount(), "no second message");
        assertEquals(seqBefore, a.client().sync(0, 1000).next(), "no new sync event");
    }

    @Test
    void sameKeyWithDifferentBodyIs422AndStoresNothing() throws Exception {
        assertEquals(202, send("key-2", "{\"to\":\"+390622220002\",\"text\":\"first\"}").status());
        long before = messageCount();
        HttpResult other = send("key-2", "{\"to\":\"+390622220002\",\"text\":\"second\"}");
        assertEquals(422, other.status());
        assertEquals("idempotency_key_reused", other.error());
        assertEquals(before, messageCount());
    }

    @Test
    void sameBodyWithKeysInAnotherOrderIsTheSameRequest() throws Exception {
        HttpResult first = send("key-order", "{\"to\":\"+390622220002\",\"text\":\"ordered\"}");
        HttpResult again = send("key-order", "{ \"text\": \"ordered\", \"to\": \"+390622220002\" }");
        assertEquals(202, again.status(), again.body());
        assertEquals(first.json().getString("id"), again.json().getString("id"));
    }

    @Test
    void missingKeyIs400() throws Exception {
        HttpResult r = send(null, "{\"to\":\"+390622220002\",\"text\":\"x\"}");
        assertEquals(400, r.status());
        assertEquals("idempotency_key_required", r.error());
    }

    @Test
    void concurrentRetriesWithOneKeyCreateOneMessage() throws Exception {
        String body = "{\"to\":\"+390622220002\",\"text\":\"raced\"}";
        long before = messageCount();
        var results = java.util.stream.IntStream.range(0, 8).parallel().mapToObj(i -> {
            try {
                return send("key-race", body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        results.forEach(r -> assertEquals(202, r.status(), r.body()));
        assertEquals(1, results.stream().map(r -> r.json().getString("id")).distinct().count());
        assertEquals(before + 1, messageCount());
    }
}
