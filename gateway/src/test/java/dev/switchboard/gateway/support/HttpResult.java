package dev.switchboard.gateway.support;

import io.vertx.core.json.JsonObject;

/** A raw HTTP answer, for tests that check status codes and error bodies exactly. */
public record HttpResult(int status, String body) {
    public JsonObject json() { return new JsonObject(body); }

    public String error() { return json().getString("error"); }
}
