package dev.switchboard.gateway.http;

import dev.switchboard.gateway.media.MediaFiles;
import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.media.MediaRepository;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.persistence.Ids;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** Upload and download of media; a download is allowed only to numbers the media was shared with. */
final class MediaRoutes {
    private final MediaRepository repository;
    private final MediaFiles files;
    private final Ids ids;
    private final long maxBytes;

    MediaRoutes(MediaRepository repository, MediaFiles files, Ids ids, long maxBytes) {
        this.repository = repository;
        this.files = files;
        this.ids = ids;
        this.maxBytes = maxBytes;
    }

    void mount(Router router, Authenticator auth) {
        // Authenticate before reading the body, so an anonymous client cannot make the server buffer megabytes.
        router.post("/v1/media").handler(auth::requireDevice);
        router.post("/v1/media").handler(BodyHandler.create(false).setBodyLimit(maxBytes)).handler(Replies.of(this::upload));
        router.get("/v1/media/:id").handler(auth::requireDevice).handler(this::download);
    }

    private Future<Reply> upload(RoutingContext ctx) {
        Device device = Authenticator.device(ctx);
        Buffer bytes = ctx.body().buffer();
        if (bytes == null || bytes.length() == 0) {
            throw new InboxException(InboxException.Kind.INVALID, "empty_body", "the media body is empty");
        }
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType == null || contentType.isBlank() || contentType.length() > 255) {
            contentType = "application/octet-stream";
        }
        String fileName = ctx.request().getHeader("X-File-Name");
        if (fileName != null && (fileName.length() > 255 || fileName.contains("/") || fileName.contains("\\"))) {
            throw InboxException.invalid("X-File-Name", "must be a plain file name of at most 255 characters");
        }
        String id = ids.next("med");
        String type = contentType;
        // Bytes first, row second: a crash in between leaves an orphan file, never a row without bytes.
        return files.write(id, bytes)
                .compose(sha -> repository.register(id, device.number(), type, bytes.length(), sha, fileName))
                .map(m -> Reply.created(new JsonObject().put("mediaId", m.id()).put("size", m.size())
                        .put("contentType", m.contentType()).put("sha256", m.sha256())));
    }

    private void download(RoutingContext ctx) {
        Device device = Authenticator.device(ctx);
        repository.readable(device.number(), ctx.pathParam("id"))
                .onSuccess(m -> {
                    ctx.response().putHeader("Content-Type", m.contentType());
                    if (m.fileName() != null) {
                        ctx.response().putHeader("Content-Disposition", "attachment; filename=\"" + m.fileName().replace("\"", "") + "\"");
                    }
                    ctx.response().sendFile(files.path(m.id()));
                })
                .onFailure(e -> Replies.fail(ctx, e));
    }
}
