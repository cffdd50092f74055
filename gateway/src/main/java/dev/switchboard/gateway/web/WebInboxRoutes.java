package dev.switchboard.gateway.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Serves the web inbox: plain HTML, CSS and JavaScript modules from the classpath folder
 * {@value #WEBROOT}, no build step. Mounted after every API route, so it only answers paths the
 * API does not own; anything it does not find falls through to the JSON 404.
 *
 * <p>The page holds a device's private keys (in IndexedDB) and its token, so it allows scripts
 * from this origin only, no framing and no referrer: an injected script or a framing site is
 * the way such keys leak.
 */
public final class WebInboxRoutes {
    public static final String WEBROOT = "webroot";
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' blob: data:",
            "media-src 'self' blob:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    public void mount(Router router) {
        StaticHandler files = StaticHandler.create(WEBROOT)
                .setIndexPage("index.html")
                // Revalidated on every load: a stale module next to a fresh one would break the page.
                .setCachingEnabled(false)
                .setDirectoryListing(false)
                .setIncludeHidden(false);
        router.route("/*").handler(ctx -> {
            ctx.response()
                    .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("Cache-Control", "no-cache");
            ctx.next();
        }).handler(files);
    }
}
