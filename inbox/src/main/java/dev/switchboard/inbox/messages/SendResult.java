package dev.switchboard.inbox.messages;

import io.vertx.core.json.JsonObject;

/** The accepted send as the API returns it: {@code id, conversationId, status, channel, seq}. */
public record SendResult(JsonObject accepted, boolean replayed) {}
