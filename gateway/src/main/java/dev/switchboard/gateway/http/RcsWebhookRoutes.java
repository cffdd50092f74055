package dev.switchboard.gateway.http;

import dev.switchboard.carrier.rcs.MaapWebhook;
import dev.switchboard.carrier.rcs.RbmWebhook;
import dev.switchboard.carrier.rcs.RcsInboundJson;
import dev.switchboard.carrier.rcs.RcsProviderSet;
import dev.switchboard.carrier.rcs.RcsProviderSettings;
import dev.switchboard.carrier.rcs.SourceAllowList;
import dev.switchboard.carrier.rcs.WebhookResult;
import dev.switchboard.inbox.messages.RcsWebhookQueue;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /hooks/rcs/{providerId}}: provider webhooks. A request is verified (RBM signature or
 * MaaP source address), its events are committed to the queue, and only then does the provider get
 * its 200; they are applied afterwards, so a slow download never makes the provider retry.
 */
final class RcsWebhookRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(RcsWebhookRoutes.class);
    static final String SIGNATURE_HEADER = "X-Goog-Signature";

    private interface Reader {
        WebhookResult read(RoutingContext ctx, Buffer body);
    }

    private final Map<String, Reader> readers = new HashMap<>();
    private final RcsWebhookQueue queue;
    private final Runnable applied;
    private final int maxBodyBytes;

    /** @param enqueued told when new events are committed, so they are applied at once */
    RcsWebhookRoutes(RcsProviderSet providers, RcsWebhookQueue queue, Runnable enqueued, int maxBodyBytes) {
        this.queue = queue;
        this.applied = enqueued;
        this.maxBodyBytes = maxBodyBytes;
        for (RcsProviderSet.Entry e : providers.all()) {
            RcsProviderSettings s = e.settings();
            if (s.type() == RcsProviderSettings.Type.RBM) {
                RbmWebhook rbm = new RbmWebhook(s.id(), s.clientToken(), s.agentId());
                SourceAllowList sources = new SourceAllowList(s.allowedSources());
                readers.put(s.id(), (ctx, body) -> sources.allows(ctx.request().remoteAddress().hostAddress())
                        ? rbm.read(ctx.request().getHeader(SIGNATURE_HEADER), body)
                        : new WebhookResult.Rejected(403, "source_not_allowed", "the request's source address is not allowed"));
            } else {
                MaapWebhook maap = new MaapWebhook(s.id(), s.allowedSources());
                readers.put(s.id(), (ctx, body) -> maap.read(ctx.request().remoteAddress().hostAddress(), body));
            }
        }
    }

    void mount(Router router) {
        router.post("/hooks/rcs/:providerId").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)).handler(this::hook);
    }

    private void hook(RoutingContext ctx) {
        String providerId = ctx.pathParam("providerId");
        Reader reader = readers.get(providerId);
        if (reader == null) {
            Replies.error(ctx, 404, "unknown_provider", "no RCS provider is configured with this id");
            return;
        }
        Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
        WebhookResult result;
        try {
            result = reader.read(ctx, body);
        } catch (RuntimeException e) {
            // A reader bug must not become a 500 that makes the provider retry for a week; it is a bad request.
            LOG.warn("webhook for provider {} could not be read: {}", providerId, e.getClass().getSimpleName());
            Replies.error(ctx, 400, "invalid_event", "the webhook body could not be read");
            return;
        }
        if (result instanceof WebhookResult.Handshake h) {
            ctx.response().setStatusCode(200).putHeader("Content-Type", "text/plain; charset=utf-8").end(h.secret());
        } else if (result instanceof WebhookResult.Rejected r) {
            Replies.error(ctx, r.status(), r.error(), r.message());
        } else {
            WebhookResult.Events events = (WebhookResult.Events) result;
            queue.enqueue(providerId, events.events().stream()
                            .map(e -> new RcsWebhookQueue.Incoming(e.dedupeKey(), RcsInboundJson.toJson(e))).toList())
                    .onSuccess(fresh -> {
                        ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end("{}");
                        if (fresh > 0) {
                            applied.run();
                        }
                    })
                    .onFailure(e -> Replies.fail(ctx, e));
        }
    }
}
