package dev.switchboard.gateway.http;

import dev.switchboard.gateway.media.MediaFiles;
import dev.switchboard.gateway.media.SignedMediaLinks;
import dev.switchboard.inbox.media.MediaRepository;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /media/public/{id}}: media behind a signed, expiring link, for RCS providers and SMS recipients. */
final class PublicMediaRoutes {
    private final SignedMediaLinks links;
    private final MediaRepository repository;
    private final MediaFiles files;

    PublicMediaRoutes(SignedMediaLinks links, MediaRepository repository, MediaFiles files) {
        this.links = links;
        this.repository = repository;
        this.files = files;
    }

    void mount(Router router) {
        router.get(SignedMediaLinks.PATH + ":id").handler(this::download);
    }

    private void download(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        switch (links.check(id, ctx.request().getParam("expires"), ctx.request().getParam("signature"))) {
            case INVALID -> Replies.error(ctx, 403, "invalid_signature", "this media link is not valid");
            case EXPIRED -> Replies.error(ctx, 410, "link_expired", "this media link has expired");
            case VALID -> repository.find(id).onSuccess(m -> {
                // The type was given by whoever uploaded it: never let a browser sniff or render it as a page of ours.
                ctx.response().putHeader("Content-Type", m.contentType()).putHeader("Cache-Control", "private, max-age=300")
                        .putHeader("X-Content-Type-Options", "nosniff")
                        .putHeader("Content-Security-Policy", "default-src 'none'; sandbox");
                ctx.response().sendFile(files.path(m.id()));
            }).onFailure(e -> Replies.fail(ctx, e));
        }
    }
}
