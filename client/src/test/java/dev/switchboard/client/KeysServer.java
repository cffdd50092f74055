package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers {@code GET /v1/keys/{number}} with whatever answer the test set for the number (built with
 * {@link KeysAnswer} from real keys), 404 for any other number: enough for the client's own decisions
 * about keys. {@code POST /v1/messages} is recorded and answered by {@link #onSend}, so that a test can
 * play a hostile gateway (refuse an attempt and change the keys it serves before the retry). Everything
 * the client does with a real gateway is tested in the gateway module.
 */
final class KeysServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, JsonNode> answers = new ConcurrentHashMap<>();
    final AtomicInteger fetches = new AtomicInteger();
    /** Every body POSTed to /v1/messages, in order. */
    final List<JsonNode> sent = new CopyOnWriteArrayList<>();
    /** Answers the n-th (from 1) POST /v1/messages; by default accepts it. */
    volatile BiFunction<Integer, JsonNode, Reply> onSend = (n, body) -> Reply.accepted(n);

    /** An HTTP status and JSON body. */
    record Reply(int status, JsonNode body) {

        static Reply accepted(int n) {
            return new Reply(202, Json.MAPPER.createObjectNode().put("id", "msg_" + n).put("conversationId", "cnv_1")
                    .put("status", "accepted").put("channel", "onnet").put("seq", n));
        }

        static Reply error(int status, String code) {
            return new Reply(status, Json.MAPPER.createObjectNode().put("error", code).put("message", code));
        }
    }

    KeysServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/keys/", exchange -> {
            try (exchange) {
                fetches.incrementAndGet();
                String number = URLDecoder.decode(exchange.getRequestURI().getRawPath().substring("/v1/keys/".length()),
                        StandardCharsets.UTF_8);
                JsonNode answer = answers.get(number);
                int status = answer == null ? 404 : 200;
                byte[] out = (answer == null ? "{\"error\":\"not_found\",\"message\":\"not served\"}" : answer.toString())
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, out.length);
                exchange.getResponseBody().write(out);
            }
        });
        server.createContext("/v1/messages", exchange -> {
            try (exchange) {
                JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
                sent.add(body);
                Reply reply = onSend.apply(sent.size(), body);
                byte[] out = reply.body().toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(reply.status(), out.length);
                exchange.getResponseBody().write(out);
            }
        });
        server.start();
    }

    void answer(String number, JsonNode answer) {
        answers.put(number, answer);
    }

    /** From now on, 404 for {@code number}. */
    void notServed(String number) {
        answers.remove(number);
    }

    SwitchboardClient client(DeviceCredentials credentials) {
        return new SwitchboardClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .withCredentials(credentials);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
