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

/** A GSMA MaaP chatbot reached over the chatbot API ({@code /rcs/bot/v1/{botId}/...}). */
public final class MaapProvider implements RcsProvider {
    /** A MaaP answer that names no capabilities means a full RCS client (Universal Profile). */
    static final Set<String> UP_FEATURES = Set.of("RICHCARD_STANDALONE", "RICHCARD_CAROUSEL",
            "ACTION_CREATE_CALENDAR_EVENT", "ACTION_DIAL", "ACTION_OPEN_URL", "ACTION_SHARE_LOCATION",
            "ACTION_VIEW_LOCATION", "REVOCATION");

    private final String id;
    private final String root;
    private final Clock clock;
    private final ProviderHttp http;

    public MaapProvider(Vertx vertx, RcsProviderSettings settings) {
        this(vertx, settings, Clock.systemUTC());
    }

    /** {@code clock} dates message expiries and decides when a cached OAuth token is due for renewal. */
    public MaapProvider(Vertx vertx, RcsProviderSettings settings, Clock clock) {
        if (settings.type() != RcsProviderSettings.Type.MAAP) {
            throw new IllegalArgumentException("provider " + settings.id() + " is " + settings.type() + ", not MAAP");
        }
        this.id = settings.id();
        this.root = ProviderHttp.base(settings.baseUrl()) + "/rcs/bot/v1/"
                + ProviderHttp.encode(Objects.requireNonNull(settings.agentId(), "agentId (bot id)"));
        this.clock = clock;
        this.http = new ProviderHttp(vertx, settings, clock);
    }

    @Override
    public String id() { return id; }

    @Override
    public Future<RcsCapability> capabilities(String peer) {
        return http.exchange(HttpMethod.GET, root + "/contactCapabilities?userContact=" + ProviderHttp.encode(peer), null)
                .map(MaapProvider::capability);
    }

    private static RcsCapability capability(ProviderHttp.Reply reply) {
        if (reply.status() == 404) {
            return RcsCapability.unreachable();
        }
        if (!reply.is2xx()) {
            return RcsCapability.unknown();
        }
        JsonObject json = reply.json();
        if (json == null || !(json.getValue("capabilities") instanceof JsonArray array)) {
            return RcsCapability.reachable(UP_FEATURES);
        }
        Set<String> features = new HashSet<>();
        array.forEach(f -> {
            if (f instanceof String name) {
                features.add(name);
            }
        });
        return RcsCapability.reachable(features);
    }

    @Override
    public Future<SendOutcome> send(String peer, String providerMessageId, RcsContent content, Duration ttl) {
        JsonObject body;
        try {
            body = MaapJson.message(peer, providerMessageId, content, ttl, clock.instant());
        } catch (RuntimeException e) {
            return Future.succeededFuture(new SendOutcome(SendOutcome.Kind.REJECTED, 0, "cannot render content: " + e.getClass().getSimpleName()));
        }
        return http.send(HttpMethod.POST, root + "/messages", body);
    }

    @Override
    public Future<RevokeOutcome> revoke(String peer, String providerMessageId) {
        return http.revoke(HttpMethod.PUT, status(providerMessageId), MaapJson.status("cancelled"));
    }

    @Override
    public Future<SendOutcome> read(String peer, String providerMessageId, String eventId) {
        return http.send(HttpMethod.PUT, status(providerMessageId), MaapJson.status("displayed"));
    }

    @Override
    public Future<SendOutcome> typing(String peer, String eventId) {
        return http.send(HttpMethod.POST, root + "/messages", MaapJson.typing(peer));
    }

    /** Releases the HTTP connections; the provider is unusable afterwards. */
    public Future<Void> close() {
        return http.close();
    }

    private String status(String providerMessageId) {
        return root + "/messages/" + ProviderHttp.encode(providerMessageId) + "/status";
    }

    @Override
    public String toString() { return "MaapProvider[" + id + "]"; }
}
