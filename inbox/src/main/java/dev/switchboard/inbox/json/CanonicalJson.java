package dev.switchboard.inbox.json;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.TreeSet;

/**
 * JSON with object keys sorted at every level, so two requests that differ only in key order or
 * whitespace are recognised as the same (idempotent retries from different client libraries).
 */
public final class CanonicalJson {
    private CanonicalJson() {}

    public static String encode(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value instanceof JsonObject obj) {
            out.append('{');
            boolean first = true;
            for (String key : new TreeSet<>(obj.fieldNames())) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(io.vertx.core.json.Json.encode(key)).append(':');
                write(obj.getValue(key), out);
            }
            out.append('}');
        } else if (value instanceof JsonArray array) {
            out.append('[');
            for (int i = 0; i < array.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(array.getValue(i), out);
            }
            out.append(']');
        } else {
            out.append(io.vertx.core.json.Json.encode(value));
        }
    }
}
