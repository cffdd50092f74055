package dev.switchboard.carrier.rcs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/** A Google RBM agent reached over its REST API ({@code /v1/phones/...}). */
public final class RbmProvider implements RcsProvider {
    private final String id;
    private final String base;
    private final String agentQuery;
    private final ProviderHttp http;

    public RbmProvider(Vertx vertx, RcsProviderSettings settings) {
        this(vertx, settings, Clock.systemUTC());
    }

    /** {@code clock} decides when a cached OAuth token is due for renewal. */
    public RbmProvider(Vertx vertx, RcsProviderSettings settings, Clock clock) {
        if (settings.type() != RcsProviderSettings.Type.RBM) {
            throw new IllegalArgumentException("provider " + settings.id() + " is " + settings.type() + ", not RBM");
        }
        this.id = settings.id();
        this.base = ProviderHttp.base(settings.baseUrl());
        this.agentQuery = "agentId=" + ProviderHttp.encode(Objects.requireNonNull(settings.agentId(), "agentId"));
        this.http = new ProviderHttp(vertx, settings, clock);
    }

    @Override
    public String id() { return id; }

    @Override
    public Future<RcsCapability> capabilities(String peer) {
        String url = phone(peer) + "/capabilities?requestId=" + UUID.randomUUID() + "&" + agentQuery;
        return http.exchange(HttpMethod.GET, url, null).map(RbmProvider::capability);
    }

    private static RcsCapability capability(ProviderHttp.Reply reply) {
        if (reply.status() == 404) {
            return RcsCapability.unreachable();
        }
        JsonObject json = reply.json();
        if (!reply.is2xx() || json == null) {
            return RcsCapability.unknown();
        }
        Set<String> features = new HashSet<>();
        if (json.getValue("features") instanceof JsonArray array) {
            array.forEach(f -> {
                if (f instanceof String name) {
                    features.add(name);
                }
            });
        }
        return RcsCapability.reachable(features);
    }

    @Override
    public Future<SendOutcome> send(String peer, String providerMessageId, RcsContent content, Duration ttl) {
        JsonObject body;
        try {
            body = RbmJson.message(content, ttl);
        } catch (RuntimeException e) {
            return Future.succeededFuture(new SendOutcome(SendOutcome.Kind.REJECTED, 0, "cannot render content: " + e.getClass().getSimpleName()));
        }
        String url = phone(peer) + "/agentMessages?messageId=" + ProviderHttp.encode(providerMessageId) + "&" + agentQuery;
        return http.send(HttpMethod.POST, url, body);
    }

    @Override
    public Future<RevokeOutcome> revoke(String peer, String providerMessageId) {
        String url = phone(peer) + "/agentMessages/" + ProviderHttp.encode(providerMessageId) + "?" + agentQuery;
        return http.revoke(HttpMethod.DELETE, url, null);
    }

    @Override
    public Future<SendOutcome> read(String peer, String providerMessageId, String eventId) {
        return http.send(HttpMethod.POST, agentEvents(peer, eventId),
                new JsonObject().put("eventType", "READ").put("messageId", providerMessageId));
    }

    @Override
    public Future<SendOutcome> typing(String peer, String eventId) {
        return http.send(HttpMethod.POST, agentEvents(peer, eventId), new JsonObject().put("eventType", "IS_TYPING"));
    }

    /** Releases the HTTP connections; the provider is unusable afterwards. */
    public Future<Void> close() {
        return http.close();
    }

    private String agentEvents(String peer, String eventId) {
        return phone(peer) + "/agentEvents?eventId=" + ProviderHttp.encode(eventId) + "&" + agentQuery;
    }

    private String phone(String peer) {
        return base + "/v1/phones/" + ProviderHttp.encode(peer);
    }

    @Override
    public String toString() { return "RbmProvider[" + id + "]"; }
}
