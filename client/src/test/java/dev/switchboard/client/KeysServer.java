package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers {@code GET /v1/keys/{number}} with whatever answer the test set for the number (built with
 * {@link KeysAnswer} from real keys), 404 for any other number: enough for the client's own decisions
 * about keys. Everything the client does with a real gateway is tested in the gateway module.
 */
final class KeysServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, JsonNode> answers = new ConcurrentHashMap<>();
    final AtomicInteger fetches = new AtomicInteger();

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
        server.start();
    }

    void answer(String number, JsonNode answer) {
        answers.put(number, answer);
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
