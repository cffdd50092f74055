package dev.switchboard.gateway.http;

import dev.switchboard.gateway.media.MediaFiles;
import dev.switchboard.gateway.stream.LinkWaitRoute;
import dev.switchboard.gateway.stream.StreamRoute;
import dev.switchboard.gateway.stream.TypingNotices;
import dev.switchboard.inbox.devices.DeviceService;
import dev.switchboard.inbox.devices.LinkService;
import dev.switchboard.inbox.devices.NumberService;
import dev.switchboard.inbox.media.MediaRepository;
import dev.switchboard.inbox.messages.ConversationQueries;
import dev.switchboard.inbox.messages.EncryptedPayloads;
import dev.switchboard.inbox.messages.MessageService;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;

/** Builds the whole HTTP surface from the services; tests build the same router. */
public final class ApiRouter {

    /** What the routes need, gathered so the router can be built in one call. */
    public record Services(Pool pool, NumberService numbers, DeviceService devices, LinkService links, MessageService messages,
                           ConversationQueries queries, SyncLog syncLog, MediaRepository media, MediaFiles mediaFiles,
                           TypingNotices typing, Authenticator auth, Ids ids, Buffer openApi,
                           java.time.Duration linkTtl, dev.switchboard.carrier.smpp.client.DirectSms directSms,
                           dev.switchboard.gateway.media.SignedMediaLinks publicMedia,
                           dev.switchboard.carrier.rcs.RcsProviderSet rcsProviders, dev.switchboard.inbox.messages.RcsWebhookQueue rcsWebhooks,
                           Runnable rcsEventsCommitted, dev.switchboard.inbox.devices.DeviceLists deviceLists) {}

    private ApiRouter() {}

    public static Router build(Vertx vertx, Services s, int maxBodyBytes, long maxMediaBytes) {
        Router router = Router.router(vertx);
        // Every reader of messages fills in the reading device's own view of encrypted ones.
        EncryptedPayloads payloads = new EncryptedPayloads(s.pool());
        // PostgreSQL cannot store NUL in text; refuse it in paths and queries before it reaches a statement.
        router.route().handler(ctx -> {
            if (ctx.request().uri().toLowerCase(java.util.Locale.ROOT).contains("%00")) {
                Replies.error(ctx, 400, "invalid_field", "the request line must not contain NUL characters");
            } else {
                ctx.next();
            }
        });
        new HealthRoutes(s.pool(), s.openApi()).mount(router);
        new StreamRoute(vertx, s.auth(), s.syncLog(), s.devices(), payloads).mount(router);
        new LinkWaitRoute(vertx, s.links(), s.linkTtl()).mount(router);
        // Media carries its own, larger body limit, so it is routed before the JSON body handler.
        new MediaRoutes(s.media(), s.mediaFiles(), s.ids(), maxMediaBytes).mount(router, s.auth());
        new PublicMediaRoutes(s.publicMedia(), s.media(), s.mediaFiles()).mount(router);
        new RcsWebhookRoutes(s.rcsProviders(), s.rcsWebhooks(), s.rcsEventsCommitted(), maxBodyBytes).mount(router);
        router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));
        new NumberRoutes(s.numbers()).mount(router, s.auth());
        new VerificationRoutes(s.numbers(), s.directSms(), s.ids()).mount(router);
        new DeviceRoutes(s.devices(), s.deviceLists()).mount(router, s.auth());
        new KeysRoutes(s.deviceLists()).mount(router, s.auth());
        new LinkRoutes(s.links(), linkId -> LinkWaitRoute.approved(vertx, linkId)).mount(router, s.auth());
        new PreviewRoutes(s.numbers()).mount(router, s.auth());
        new MessageRoutes(s.messages(), s.queries(), payloads).mount(router, s.auth());
        new ConversationRoutes(s.queries(), s.messages(), s.typing(), payloads).mount(router, s.auth());
        new SyncRoutes(s.syncLog(), payloads).mount(router, s.auth());
        // Last: the page's static files answer only what no API route claimed.
        new dev.switchboard.gateway.web.WebInboxRoutes().mount(router);

        router.errorHandler(400, ctx -> Replies.error(ctx, 400, "bad_request", "the request is malformed"));
        router.errorHandler(404, ctx -> Replies.error(ctx, 404, "not_found", "no such endpoint"));
        router.errorHandler(405, ctx -> Replies.error(ctx, 405, "method_not_allowed", "this endpoint does not take that method"));
        router.errorHandler(413, ctx -> Replies.error(ctx, 413, "payload_too_large", "the request body is too large"));
        router.errorHandler(500, ctx -> {
            if (ctx.failure() != null) {
                Replies.fail(ctx, ctx.failure());
            } else {
                Replies.error(ctx, 500, "internal_error", "unexpected server error");
            }
        });
        return router;
    }
}
