package dev.switchboard.gateway.http;

import dev.switchboard.gateway.stream.StreamRoute;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Function;

/** Serves the REST and WebSocket API on {@code http.host:http.port}. */
public final class HttpApiVerticle extends AbstractVerticle {
    private final Function<io.vertx.core.Vertx, Router> routerFactory;
    private final String host;
    private final int port;
    private HttpServer server;
    private Router router;

    public HttpApiVerticle(Function<io.vertx.core.Vertx, Router> routerFactory, String host, int port) {
        this.routerFactory = routerFactory;
        this.host = host;
        this.port = port;
    }

    @Override
    public void start(Promise<Void> started) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setMaxWebSocketFrameSize(1_048_576)
                .setMaxWebSocketMessageSize(16 * 1_048_576)
                .setWebSocketSubProtocols(List.of(StreamRoute.SUBPROTOCOL));
        router = routerFactory.apply(vertx);
        vertx.createHttpServer(options).requestHandler(router).listen()
                .onSuccess(s -> {
                    server = s;
                    started.complete();
                })
                .onFailure(started::fail);
    }

    public int actualPort() { return server.actualPort(); }

    /** Every routed operation as {@code METHOD path}, for diagnostics and the OpenAPI consistency test. */
    public List<String> operations() {
        return router.getRoutes().stream()
                .filter(r -> r.getPath() != null && r.methods() != null)
                .flatMap(r -> r.methods().stream().map(m -> m.name() + " " + r.getPath()))
                .distinct().sorted().toList();
    }

    @Override
    public void stop(Promise<Void> stopped) {
        if (server == null) {
            stopped.complete();
            return;
        }
        server.close().onComplete(ar -> stopped.complete());
    }
}
