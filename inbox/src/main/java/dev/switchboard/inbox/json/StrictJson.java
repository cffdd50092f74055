package dev.switchboard.inbox.json;

import dev.switchboard.inbox.InboxException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A JSON object read field by field against a fixed set of allowed names. Every failure names
 * the full path of the field ({@code parts[1].cards[0].title}) so a client can fix its request.
 */
public final class StrictJson {
    private final JsonObject object;
    private final String path;

    private StrictJson(JsonObject object, String path) {
        this.object = object;
        this.path = path;
    }

    /** Reads {@code object}, rejecting any field not in {@code allowed}. */
    public static StrictJson of(JsonObject object, String path, Set<String> allowed) {
        for (String name : object.fieldNames()) {
            if (!allowed.contains(name)) {
                throw new InboxException(InboxException.Kind.INVALID, "unknown_field",
                        join(path, name) + ": unknown field");
            }
        }
        return new StrictJson(object, path);
    }

    public static StrictJson of(Object value, String path, Set<String> allowed) {
        if (!(value instanceof JsonObject obj)) {
            throw wrongType(path, "an object");
        }
        return of(obj, path, allowed);
    }

    public String path(String field) { return join(path, field); }

    public boolean has(String field) { return object.getValue(field) != null; }

    public String requiredString(String field, int maxLength) {
        String value = optionalString(field, maxLength);
        if (value == null) {
            throw missing(field);
        }
        return value;
    }

    public String optionalString(String field, int maxLength) {
        Object value = object.getValue(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw wrongType(path(field), "a string");
        }
        if (s.length() > maxLength) {
            throw InboxException.invalid(path(field), "longer than " + maxLength + " characters");
        }
        if (s.indexOf('\u0000') >= 0) {
            throw InboxException.invalid(path(field), "must not contain NUL characters");
        }
        return s;
    }

    public boolean requiredBoolean(String field) {
        Object value = object.getValue(field);
        if (value == null) {
            throw missing(field);
        }
        if (!(value instanceof Boolean b)) {
            throw wrongType(path(field), "a boolean");
        }
        return b;
    }

    public double requiredDouble(String field, double min, double max) {
        Object value = object.getValue(field);
        if (value == null) {
            throw missing(field);
        }
        if (!(value instanceof Number n)) {
            throw wrongType(path(field), "a number");
        }
        double d = n.doubleValue();
        if (!(d >= min && d <= max)) {
            throw InboxException.invalid(path(field), "must be between " + min + " and " + max);
        }
        return d;
    }

    public Long optionalLong(String field, long min, long max) {
        Object value = object.getValue(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw wrongType(path(field), "an integer");
        }
        long l = n.longValue();
        if (l < min || l > max) {
            throw InboxException.invalid(path(field), "must be between " + min + " and " + max);
        }
        return l;
    }

    public Object raw(String field) { return object.getValue(field); }

    /** Maps each element of an optional array; an absent array is empty. */
    public <T> List<T> list(String field, int maxItems, BiFunction<Object, String, T> reader) {
        Object value = object.getValue(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw wrongType(path(field), "an array");
        }
        if (array.size() > maxItems) {
            throw InboxException.invalid(path(field), "at most " + maxItems + " items");
        }
        List<T> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(reader.apply(array.getValue(i), path(field) + "[" + i + "]"));
        }
        return out;
    }

    private InboxException missing(String field) {
        return new InboxException(InboxException.Kind.INVALID, "missing_field", path(field) + ": required");
    }

    public static InboxException wrongType(String path, String expected) {
        return InboxException.invalid(path, "must be " + expected);
    }

    private static String join(String path, String field) {
        return path == null || path.isEmpty() ? field : path + "." + field;
    }
}
