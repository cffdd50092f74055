package dev.switchboard.carrier.rcs;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * Typed reads of webhook JSON shared by the provider profiles. A wrong field throws
 * {@link InvalidField} naming the field's path only, never its value, so error answers and log
 * lines cannot echo what a caller sent.
 */
final class WebhookFields {
    private WebhookFields() {}

    /** Null when the bytes are not a JSON object. */
    static JsonObject parseObject(Buffer bytes) {
        if (bytes == null || bytes.length() == 0) {
            return null;
        }
        try {
            return Json.decodeValue(bytes) instanceof JsonObject object ? object : null;
        } catch (DecodeException e) {
            return null;
        }
    }

    /** Provider-chosen names go to the log cut short and without control characters, so they cannot forge log lines. */
    static String printable(String value) {
        String cut = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }

    static String requiredString(JsonObject o, String field, String path) {
        String value = optionalString(o, field, path);
        if (value == null) {
            throw new InvalidField(path + " is required");
        }
        return value;
    }

    static String optionalString(JsonObject o, String field, String path) {
        Object value = o.getValue(field);
        if (value != null && !(value instanceof String)) {
            throw new InvalidField(path + " must be a string");
        }
        return (String) value;
    }

    static JsonObject requiredObject(JsonObject o, String field, String path) {
        if (!(o.getValue(field) instanceof JsonObject value)) {
            throw new InvalidField(path + " must be an object");
        }
        return value;
    }

    static double requiredDouble(JsonObject o, String field, String path) {
        if (!(o.getValue(field) instanceof Number value) || !Double.isFinite(value.doubleValue())) {
            throw new InvalidField(path + " must be a number");
        }
        return value.doubleValue();
    }

    /** Proto3 JSON may write integers as strings, so both forms are read; absent is 0. */
    static long optionalLong(JsonObject o, String field, String path) {
        Object value = o.getValue(field);
        if (value == null) {
            return 0;
        }
        try {
            long size = value instanceof String s ? Long.parseLong(s)
                    : value instanceof Number n && n.doubleValue() == n.longValue() ? n.longValue() : -1;
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // falls through to the rejection below
        }
        throw new InvalidField(path + " must be a non-negative integer");
    }

    /** A field is missing or of the wrong type; the message names the field only. */
    static final class InvalidField extends RuntimeException {
        InvalidField(String message) {
            super(message, null, false, false);
        }
    }
}
