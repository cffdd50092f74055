package dev.switchboard.bench.idle;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The physical baseline of an idle device: a Vert.x HTTP server (the gateway's WebSocket options)
 * that accepts any WebSocket and does nothing with it but remember it, so that one frame can be
 * pushed to all. Its own Vert.x instance, in the bench process, on one event loop like the gateway's API.
 */
public final class BareWebSocketServer implements AutoCloseable {
    private final Vertx vertx;
    private final Context context;
    private final HttpServer server;
    /** Touched only on {@link #context}. */
    private final List<ServerWebSocket> sockets;
    private final AtomicInteger open;

    private BareWebSocketServer(Vertx vertx, Context context, HttpServer server, List<ServerWebSocket> sockets, AtomicInteger open) {
        this.vertx = vertx;
        this.context = context;
        this.server = server;
        this.sockets = sockets;
        this.open = open;
    }

    public static BareWebSocketServer start() throws Exception {
        Vertx vertx = Vertx.vertx();
        Context context = vertx.getOrCreateContext();
        List<ServerWebSocket> sockets = new ArrayList<>();
        AtomicInteger open = new AtomicInteger();
        Promise<HttpServer> listening = Promise.promise();
        context.runOnContext(v -> vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                        .setMaxWebSocketFrameSize(1_048_576).setMaxWebSocketMessageSize(16 * 1_048_576))
                .webSocketHandler(ws -> {
                    sockets.add(ws);
                    open.incrementAndGet();
                    ws.closeHandler(x -> open.decrementAndGet());
                })
                .listen().onComplete(listening));
        HttpServer server = listening.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new BareWebSocketServer(vertx, context, server, sockets, open);
    }

    public int port() {
        return server.actualPort();
    }

    /** Sockets accepted and not closed yet. */
    public int open() {
        return open.get();
    }

    /** Writes {@code text} to every open socket, one after the other on the server's event loop. */
    public Future<Integer> pushToAll(String text) {
        Promise<Integer> done = Promise.promise();
        context.runOnContext(v -> {
            int written = 0;
            for (ServerWebSocket ws : sockets) {
                if (!ws.isClosed()) {
                    ws.writeTextMessage(text);
                    written++;
                }
            }
            done.complete(written);
        });
        return done.future();
    }

    @Override
    public void close() throws Exception {
        context.runOnContext(v -> sockets.clear());
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
