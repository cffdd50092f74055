package dev.switchboard.gateway.http;

import io.vertx.core.json.JsonObject;

/** A JSON answer: status and body (null for 204). */
public record Reply(int status, JsonObject body) {
    public static Reply ok(JsonObject body) { return new Reply(200, body); }

    public static Reply created(JsonObject body) { return new Reply(201, body); }

    public static Reply accepted(JsonObject body) { return new Reply(202, body); }

    public static Reply noContent() { return new Reply(204, null); }
}
