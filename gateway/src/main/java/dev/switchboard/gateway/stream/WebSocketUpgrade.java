package dev.switchboard.gateway.stream;

import dev.switchboard.gateway.http.Replies;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** The check both WebSocket endpoints make before anything else. */
final class WebSocketUpgrade {
    private WebSocketUpgrade() {}

    /** True for a WebSocket upgrade; otherwise answers 400 and returns false. */
    static boolean required(RoutingContext ctx) {
        String upgrade = ctx.request().getHeader(HttpHeaders.UPGRADE);
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
            return true;
        }
        Replies.error(ctx, 400, "websocket_required", "this endpoint speaks WebSocket only");
        return false;
    }
}
