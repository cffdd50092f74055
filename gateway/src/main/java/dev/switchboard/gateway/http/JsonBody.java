package dev.switchboard.gateway.http;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.json.StrictJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** Request bodies: a JSON object, with only the named fields. */
final class JsonBody {
    private JsonBody() {}

    static JsonObject object(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw new InboxException(InboxException.Kind.INVALID, "invalid_json", "a JSON object body is required");
        }
        Object parsed;
        try {
            parsed = io.vertx.core.json.Json.decodeValue(body);
        } catch (DecodeException e) {
            throw new InboxException(InboxException.Kind.INVALID, "invalid_json", "the body is not valid JSON");
        }
        if (!(parsed instanceof JsonObject obj)) {
            throw new InboxException(InboxException.Kind.INVALID, "invalid_json", "the body must be a JSON object");
        }
        return obj;
    }

    static StrictJson strict(RoutingContext ctx, Set<String> allowed) {
        return StrictJson.of(object(ctx), "", allowed);
    }
}
