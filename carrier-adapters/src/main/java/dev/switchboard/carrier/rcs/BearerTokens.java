package dev.switchboard.carrier.rcs;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Where the bearer token for a provider comes from: a fixed configured token, or an OAuth2
 * client-credentials grant whose token is cached until shortly before it expires.
 */
sealed interface BearerTokens {

    /** The token to send now; fails with {@link TokenUnavailable} when none could be had. */
    Future<String> current();

    /** Whether a fresh token might differ from {@code rejected}, i.e. a 401/403 is worth one retry. */
    boolean refreshable();

    /** The provider refused {@code rejected}: do not hand it out again. */
    void invalidate(String rejected);

    static BearerTokens of(Vertx vertx, HttpClient client, RcsProviderSettings settings, Duration timeout, Clock clock) {
        return settings.oauth() == null
                ? new Fixed(settings.token())
                : new ClientCredentials(vertx, client, settings.oauth(), timeout, clock);
    }

    /** Why no token could be had; the message is safe for an attempt record (no secrets, no bodies). */
    final class TokenUnavailable extends RuntimeException {
        TokenUnavailable(String detail) {
            super("token endpoint: " + detail, null, false, false);
        }
    }

    record Fixed(String token) implements BearerTokens {
        @Override
        public Future<String> current() {
            return token == null
                    ? Future.failedFuture(new TokenUnavailable("no token configured"))
                    : Future.succeededFuture(token);
        }

        @Override
        public boolean refreshable() { return false; }

        @Override
        public void invalidate(String rejected) {}

        @Override
        public String toString() { return "Fixed[token=[REDACTED]]"; }
    }

    final class ClientCredentials implements BearerTokens {
        /** Renew this long before the stated expiry so a token never lapses mid-request. */
        static final Duration EXPIRY_MARGIN = Duration.ofSeconds(60);

        private final Vertx vertx;
        private final HttpClient client;
        private final RcsProviderSettings.OAuth oauth;
        private final long timeoutMs;
        private final Clock clock;
        private String token;
        private Instant renewAt = Instant.MIN;
        private Future<Granted> inFlight;

        ClientCredentials(Vertx vertx, HttpClient client, RcsProviderSettings.OAuth oauth, Duration timeout, Clock clock) {
            this.vertx = vertx;
            this.client = client;
            this.oauth = oauth;
            this.timeoutMs = timeout.toMillis();
            this.clock = clock;
        }

        @Override
        public synchronized Future<String> current() {
            if (token != null && clock.instant().isBefore(renewAt)) {
                return Future.succeededFuture(token);
            }
            // Concurrent callers share one request so a burst does not hammer the token endpoint.
            if (inFlight == null) {
                Future<Granted> fetching = fetch();
                inFlight = fetching;
                fetching.onComplete(ar -> remember(fetching, ar.succeeded() ? ar.result() : null));
            }
            return inFlight.map(granted -> granted.token);
        }

        @Override
        public boolean refreshable() { return true; }

        @Override
        public synchronized void invalidate(String rejected) {
            // Another caller may already have replaced it with a good one.
            if (rejected != null && rejected.equals(token)) {
                token = null;
            }
        }

        private synchronized void remember(Future<Granted> fetched, Granted granted) {
            if (inFlight == fetched) {
                inFlight = null;
            }
            if (granted != null) {
                token = granted.token;
                renewAt = granted.renewAt;
            }
        }

        private Future<Granted> fetch() {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                    .set(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .set(HttpHeaders.ACCEPT, "application/json");
            Buffer form = Buffer.buffer("grant_type=client_credentials"
                    + "&client_id=" + formEncode(oauth.clientId())
                    + "&client_secret=" + formEncode(oauth.clientSecret()));
            return ProviderHttp.call(vertx, client, HttpMethod.POST, oauth.tokenUrl(), headers, form, timeoutMs)
                    .compose(this::granted);
        }

        private Future<Granted> granted(ProviderHttp.Reply reply) {
            if (!reply.is2xx()) {
                return Future.failedFuture(new TokenUnavailable(reply.detail()));
            }
            try {
                JsonObject json = reply.body().toJsonObject();
                Object accessToken = json.getValue("access_token");
                if (!(accessToken instanceof String) || ((String) accessToken).isEmpty()) {
                    return Future.failedFuture(new TokenUnavailable("no access_token in response"));
                }
                // Without expires_in the lifetime is unknown: use the token for the requests waiting on it only.
                long expiresIn = expiresIn(json.getValue("expires_in"));
                Instant renewAt = clock.instant().plusSeconds(expiresIn).minus(EXPIRY_MARGIN);
                return Future.succeededFuture(new Granted((String) accessToken, renewAt));
            } catch (DecodeException | ClassCastException | NumberFormatException e) {
                return Future.failedFuture(new TokenUnavailable("malformed response"));
            }
        }

        private static long expiresIn(Object value) {
            if (value instanceof Number n) {
                return n.longValue();
            }
            if (value instanceof String s) {
                return Long.parseLong(s.trim());
            }
            return 0;
        }

        private static String formEncode(String value) {
            return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() { return "ClientCredentials[" + oauth + "]"; }

        private record Granted(String token, Instant renewAt) {
            @Override
            public String toString() { return "Granted[token=[REDACTED], renewAt=" + renewAt + "]"; }
        }
    }
}
