package dev.switchboard.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CancellationException;

/**
 * The request/response plumbing under {@link SwitchboardClient}: builds URLs under the server's base,
 * adds the bearer token, and turns every non-2xx answer into a {@link SwitchboardApiException} in
 * this one place.
 */
final class ApiTransport {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Media may be megabytes over a slow uplink; a JSON call never needs this long. */
    private static final Duration MEDIA_TIMEOUT = Duration.ofMinutes(5);

    private final HttpClient http;
    private final URI server;
    private final String base;
    private final String token;

    ApiTransport(HttpClient http, URI server, String token) {
        this.http = http;
        this.server = server;
        String text = server.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.token = token;
    }

    ApiTransport withToken(String newToken) {
        return new ApiTransport(http, server, newToken);
    }

    HttpClient http() {
        return http;
    }

    URI server() {
        return server;
    }

    Optional<String> token() {
        return Optional.ofNullable(token);
    }

    JsonNode get(String path) {
        return json(send(request(path, REQUEST_TIMEOUT).GET()));
    }

    JsonNode post(String path, JsonNode body) {
        return post(path, body, Map.of());
    }

    JsonNode post(String path, JsonNode body, Map<String, String> headers) {
        HttpRequest.Builder request = request(path, REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(toBytes(body)));
        headers.forEach(request::header);
        return json(send(request));
    }

    JsonNode put(String path, JsonNode body) {
        return json(send(request(path, REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(toBytes(body)))));
    }

    void delete(String path) {
        send(request(path, REQUEST_TIMEOUT).DELETE());
    }

    void delete(String path, JsonNode body) {
        send(request(path, REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofByteArray(toBytes(body))));
    }

    JsonNode postBytes(String path, byte[] body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = request(path, MEDIA_TIMEOUT)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return json(send(request));
    }

    byte[] getBytes(String path) {
        return send(request(path, MEDIA_TIMEOUT).GET()).body();
    }

    /** One path segment; ids are opaque, so never trust them to be URL-safe. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query string from name/value pairs, leaving out null values; "" when nothing is left. */
    static String query(Object... namesAndValues) {
        StringJoiner joiner = new StringJoiner("&", "?", "");
        joiner.setEmptyValue("");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            if (value != null) {
                joiner.add(namesAndValues[i] + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
        }
        return joiner.toString();
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Accept", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the gateway at " + server + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the gateway");
        }
        if (response.statusCode() / 100 != 2) {
            throw error(response);
        }
        return response;
    }

    private static String describe(IOException e) {
        // HttpClient's ConnectException often has a null message; name the type instead.
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()
                + (e.getCause() != null && e.getCause().getMessage() != null ? " (" + e.getCause().getMessage() + ")" : "");
    }

    static SwitchboardApiException error(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String code = "http_" + status;
        String message = "HTTP " + status + " from " + response.request().method() + " " + response.uri().getPath();
        JsonNode details = null;
        try {
            JsonNode body = Json.MAPPER.readTree(response.body());
            if (body != null && body.hasNonNull("error")) {
                code = body.get("error").asText();
                message = body.path("message").asText(message);
                details = body;
            }
        } catch (IOException notJson) {
            // A proxy's HTML error page: the status alone has to do.
        }
        return new SwitchboardApiException(status, code, message, details);
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        byte[] body = response.body();
        if (body == null || body.length == 0) {
            return NullNode.getInstance();
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("gateway answered " + response.statusCode() + " with a body that is not JSON", e);
        }
    }

    private static byte[] toBytes(JsonNode body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize request body", e);
        }
    }
}
