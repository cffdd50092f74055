package dev.switchboard.bench.initialsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The device's side of the API for the sync, over a plain {@link HttpClient} (HTTP/1.1, as
 * {@code SwitchboardClient} uses it), so every response body can be counted. Each GET is timed from
 * sending the request to the parsed JSON (Jackson, as the Java client parses) and recorded in the
 * histogram the caller names, in microseconds.
 */
final class MeteredApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI server;
    private final String token;
    private final AtomicLong bodyBytes = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    MeteredApi(URI server, String token) {
        this.server = server;
        this.token = token;
    }

    JsonNode get(String pathAndQuery, Histogram micros) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(server.resolve(pathAndQuery)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json").header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + pathAndQuery + " answered " + r.statusCode() + ": "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
        JsonNode body = JSON.readTree(r.body());
        micros.recordValue(Math.max(0, (System.nanoTime() - t0) / 1000));
        bodyBytes.addAndGet(r.body().length);
        requests.incrementAndGet();
        return body;
    }

    /** Response body bytes read so far (JSON, before any decompression: the gateway does not compress). */
    long bodyBytes() {
        return bodyBytes.get();
    }

    long requests() {
        return requests.get();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
