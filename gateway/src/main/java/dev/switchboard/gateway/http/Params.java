package dev.switchboard.gateway.http;

import dev.switchboard.inbox.InboxException;
import io.vertx.ext.web.RoutingContext;

/** Query parameters with range checks that name the parameter. */
final class Params {
    private Params() {}

    static long longParam(RoutingContext ctx, String name, long defaultValue, long min, long max) {
        String value = ctx.request().getParam(name);
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min || parsed > max) {
                throw InboxException.invalid(name, "must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw InboxException.invalid(name, "must be an integer");
        }
    }

    static String optional(RoutingContext ctx, String name) {
        String value = ctx.request().getParam(name);
        return value == null || value.isEmpty() ? null : value;
    }
}
