package dev.switchboard.carrier.rcs;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HTTP plumbing both provider profiles share: bearer auth with one retry on a refused OAuth
 * token, the rate limit, a deadline per request, and the mapping of answers onto outcomes. Every
 * future it returns succeeds: failures become replies without a status.
 */
final class ProviderHttp {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final HttpClient client;
    private final BearerTokens tokens;
    private final RequestRateLimiter limiter;
    private final long timeoutMs;

    ProviderHttp(Vertx vertx, RcsProviderSettings settings, Clock clock) {
        Duration timeout = settings.requestTimeout() == null || settings.requestTimeout().isZero()
                ? DEFAULT_TIMEOUT : settings.requestTimeout();
        this.vertx = vertx;
        this.timeoutMs = Math.max(1, timeout.toMillis());
        // Enough connections that the rate limit, not the pool, is what bounds throughput.
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(Math.max(5, Math.min(settings.rateLimit(), 50)));
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs)), pool);
        this.tokens = BearerTokens.of(vertx, client, settings, timeout, clock);
        this.limiter = new RequestRateLimiter(vertx, settings.rateLimit());
    }

    /** One answer from a server, or {@code status} 0 with the reason there was none. */
    record Reply(int status, Buffer body, String detail) {
        static Reply failed(String detail) { return new Reply(0, Buffer.buffer(), detail); }

        boolean answered() { return status > 0; }

        boolean is2xx() { return status >= 200 && status < 300; }

        /** The body as a JSON object, or null when it is not one. */
        JsonObject json() {
            try {
                return body.length() == 0 ? null : body.toJsonObject();
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    Future<SendOutcome> send(HttpMethod method, String url, JsonObject body) {
        return exchange(method, url, body).map(ProviderHttp::sendOutcome);
    }

    Future<RevokeOutcome> revoke(HttpMethod method, String url, JsonObject body) {
        return exchange(method, url, body).map(ProviderHttp::revokeOutcome);
    }

    /** An authenticated, rate-limited request to the provider. */
    Future<Reply> exchange(HttpMethod method, String url, JsonObject body) {
        return attempt(method, url, body == null ? null : body.toBuffer(), true)
                .recover(t -> Future.succeededFuture(Reply.failed("internal error: " + t.getClass().getSimpleName())));
    }

    Future<Void> close() {
        return client.close();
    }

    private Future<Reply> attempt(HttpMethod method, String url, Buffer body, boolean mayRenewToken) {
        return tokens.current().transform(token -> {
            if (token.failed()) {
                Throwable t = token.cause();
                return Future.succeededFuture(Reply.failed(t instanceof BearerTokens.TokenUnavailable
                        ? t.getMessage() : "token endpoint: " + t.getClass().getSimpleName()));
            }
            MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                    .set(HttpHeaders.AUTHORIZATION, "Bearer " + token.result())
                    .set(HttpHeaders.ACCEPT, "application/json");
            if (body != null) {
                headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
            }
            return limiter.acquire()
                    .compose(v -> call(vertx, client, method, url, headers, body, timeoutMs))
                    .compose(reply -> {
                        // An OAuth token can be revoked or rotated before its stated expiry: renew once.
                        if (mayRenewToken && (reply.status() == 401 || reply.status() == 403) && tokens.refreshable()) {
                            tokens.invalidate(token.result());
                            return attempt(method, url, body, false);
                        }
                        return Future.succeededFuture(reply);
                    });
        });
    }

    /**
     * One plain HTTP request with a deadline over the whole exchange (connect, send, response
     * body); a late answer is dropped and the request reset.
     */
    static Future<Reply> call(Vertx vertx, HttpClient client, HttpMethod method, String url, MultiMap headers,
                              Buffer body, long timeoutMs) {
        RequestOptions options;
        try {
            options = requestOptions(method, url, headers, timeoutMs);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(Reply.failed("invalid URL"));
        }
        Promise<Reply> result = Promise.promise();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        long timer = vertx.setTimer(timeoutMs, id -> {
            if (result.tryComplete(Reply.failed("timeout after " + timeoutMs + " ms"))) {
                HttpClientRequest request = sent.get();
                if (request != null) {
                    request.reset();
                }
            }
        });
        client.request(options)
                .compose(request -> {
                    sent.set(request);
                    if (result.future().isComplete()) {
                        request.reset();
                        return Future.failedFuture("timed out before sending");
                    }
                    return body == null ? request.send() : request.send(body);
                })
                .compose(response -> response.body()
                        .map(content -> new Reply(response.statusCode(), content, "HTTP " + response.statusCode())))
                .onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    result.tryComplete(ar.succeeded() ? ar.result() : Reply.failed("connection failed: " + describe(ar.cause())));
                });
        return result.future();
    }

    private static RequestOptions requestOptions(HttpMethod method, String url, MultiMap headers, long timeoutMs) {
        URI uri = URI.create(url);
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw new IllegalArgumentException("not an absolute URL");
        }
        boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : ssl ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new RequestOptions()
                .setMethod(method)
                .setHost(uri.getHost())
                .setPort(port)
                .setSsl(ssl)
                .setURI(target)
                .setHeaders(headers)
                .setConnectTimeout(timeoutMs);
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    static SendOutcome sendOutcome(Reply reply) {
        int status = reply.status();
        SendOutcome.Kind kind;
        if (!reply.answered() || status == 429 || (status >= 500 && status < 600)) {
            kind = SendOutcome.Kind.RETRYABLE;
        } else if (reply.is2xx() || status == 409) {
            kind = SendOutcome.Kind.ACCEPTED;
        } else if (status == 404) {
            kind = SendOutcome.Kind.UNREACHABLE;
        } else if (status == 400) {
            kind = SendOutcome.Kind.UNSUPPORTED;
        } else {
            kind = SendOutcome.Kind.REJECTED;
        }
        return new SendOutcome(kind, status, reply.detail());
    }

    static RevokeOutcome revokeOutcome(Reply reply) {
        return new RevokeOutcome(reply.is2xx(), reply.status(), reply.detail());
    }

    /** Percent-encodes one path segment or query value; the '+' of an E.164 number becomes %2B. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The base URL without a trailing slash, so paths can be appended as "/...". */
    static String base(String baseUrl) {
        String trimmed = baseUrl.trim();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
