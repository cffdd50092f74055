package dev.switchboard.gateway.http;

import dev.switchboard.inbox.InboxException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes replies and maps every failure to the JSON error shape with its HTTP status, in one place. */
public final class Replies {
    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    private Replies() {}

    public static io.vertx.core.Handler<RoutingContext> of(Function<RoutingContext, Future<Reply>> handler) {
        return ctx -> {
            Future<Reply> reply;
            try {
                reply = handler.apply(ctx);
            } catch (RuntimeException e) {
                reply = Future.failedFuture(e);
            }
            reply.onSuccess(r -> send(ctx, r)).onFailure(e -> fail(ctx, e));
        };
    }

    public static void send(RoutingContext ctx, Reply reply) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(reply.status());
        if (reply.body() == null) {
            ctx.response().end();
        } else {
            ctx.response().putHeader("Content-Type", "application/json").end(reply.body().encode());
        }
    }

    public static void fail(RoutingContext ctx, Throwable e) {
        if (e instanceof InboxException ie) {
            error(ctx, status(ie.kind()), ie.code(), ie.getMessage(), ie.details());
        } else if (e instanceof PgException pg && ("22021".equals(pg.getSqlState()) || "22P05".equals(pg.getSqlState()))) {
            error(ctx, 400, "invalid_field", "the request contains characters that cannot be stored");
        } else if (databaseUnavailable(e)) {
            LOG.warn("database unavailable while serving {} {}: {}", ctx.request().method(), ctx.request().path(), e.toString());
            error(ctx, 503, "database_unavailable", "the database is not answering; try again");
        } else {
            LOG.error("unexpected failure serving {} {}", ctx.request().method(), ctx.request().path(), e);
            error(ctx, 500, "internal_error", "unexpected server error");
        }
    }

    /**
     * Connection-level failures (refused, closed, pool wait timed out, server shutting down) are
     * worth a retry; a failing statement is a bug and stays a 500.
     */
    static boolean databaseUnavailable(Throwable e) {
        if (e instanceof PgException pg) {
            String state = pg.getSqlState();
            // Connection trouble, server shutting down, or a deadlock/serialization victim: all worth a retry.
            return state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("40P01") || state.equals("40001"));
        }
        return e instanceof java.net.ConnectException || e instanceof io.vertx.sqlclient.ClosedConnectionException;
    }

    public static void error(RoutingContext ctx, int status, String code, String message) {
        error(ctx, status, code, message, java.util.Map.of());
    }

    /** {@code details} are added beside error and message, e.g. {@code missingDevices}. */
    public static void error(RoutingContext ctx, int status, String code, String message, java.util.Map<String, Object> details) {
        if (ctx.response().ended()) {
            return;
        }
        JsonObject body = new JsonObject().put("error", code).put("message", message);
        details.forEach((k, v) -> body.put(k, v instanceof java.util.List<?> l ? new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(l)) : v));
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    static int status(InboxException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case GONE -> 410;
            case TOO_LARGE -> 413;
            case UNPROCESSABLE -> 422;
            case TOO_MANY_REQUESTS -> 429;
            case UNAVAILABLE -> 503;
        };
    }
}
