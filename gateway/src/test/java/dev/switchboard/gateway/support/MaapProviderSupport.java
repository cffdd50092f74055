package dev.switchboard.gateway.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * WireMock playing a GSMA MaaP chatbot platform ({@code /rcs/bot/v1/{botId}/...}) for one test
 * class, with helpers to script its answers and to post its (unsigned) webhooks to the gateway.
 */
public final class MaapProviderSupport implements AutoCloseable {
    public static final String ID = "maap1";
    public static final String BOT = "switchboard-bot";
    public static final String TOKEN = "maap-bearer-token-" + UUID.randomUUID();
    public static final String ROOT = "/rcs/bot/v1/" + BOT;

    private final WireMockServer server;

    private MaapProviderSupport() {
        server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
    }

    public static MaapProviderSupport start() { return new MaapProviderSupport(); }

    public WireMockServer wiremock() { return server; }

    public String baseUrl() { return "http://127.0.0.1:" + server.port(); }

    /** The provider entry for SWITCHBOARD_RCS_PROVIDERS; {@code extra} overrides or adds fields. */
    public String providersJson(List<String> numbers, List<String> allowedSources, Map<String, Object> extra) {
        JsonObject p = new JsonObject().put("id", ID).put("type", "maap").put("baseUrl", baseUrl()).put("botId", BOT)
                .put("token", TOKEN).put("allowedSources", new JsonArray(allowedSources)).put("numbers", new JsonArray(numbers))
                .put("requestTimeout", "1s").put("fallbackDeadline", "2m");
        extra.forEach(p::put);
        return new JsonArray().add(p).encode();
    }

    // ---- Scripting the platform's answers ----

    /** The peer has a full (Universal Profile) RCS client: a capability answer that lists no features. */
    public void reachable(String peer) {
        server.stubFor(get(urlPathEqualTo(ROOT + "/contactCapabilities")).withQueryParam("userContact", equalTo(peer))
                .willReturn(okJson("{}")));
    }

    public void reachable(String peer, List<String> capabilities) {
        server.stubFor(get(urlPathEqualTo(ROOT + "/contactCapabilities")).withQueryParam("userContact", equalTo(peer))
                .willReturn(okJson(new JsonObject().put("capabilities", new JsonArray(capabilities)).encode())));
    }

    public void unreachable(String peer) {
        server.stubFor(get(urlPathEqualTo(ROOT + "/contactCapabilities")).withQueryParam("userContact", equalTo(peer))
                .willReturn(aResponse().withStatus(404)));
    }

    /** Every {@code POST .../messages} (messages and isTyping) gets this answer; the platform's usual one is 202. */
    public void onMessages(ResponseDefinitionBuilder answer) {
        server.stubFor(post(urlPathEqualTo(ROOT + "/messages")).willReturn(answer));
    }

    public void acceptMessages() {
        onMessages(aResponse().withStatus(202));
    }

    /** Every {@code PUT .../messages/{id}/status} (read receipts, revocations) gets this answer. */
    public void onStatus(ResponseDefinitionBuilder answer) {
        server.stubFor(put(urlPathMatching(ROOT + "/messages/[^/]+/status")).willReturn(answer));
    }

    public List<LoggedRequest> requests(String method, String path) {
        return server.findAll(anyRequestedFor(anyUrl())).stream()
                .filter(r -> r.getMethod().getName().equals(method) && r.getUrl().split("\\?")[0].equals(path)).toList();
    }

    /** What we posted to {@code .../messages} for the peer, isTyping notices included. */
    public List<LoggedRequest> posts(String peer) {
        return requests("POST", ROOT + "/messages").stream().filter(r -> peer.equals(userContact(r))).toList();
    }

    /** Our messages to the peer (not the isTyping notices). */
    public List<LoggedRequest> sends(String peer) {
        return posts(peer).stream().filter(r -> !rcsMessage(r).containsKey("isTyping")).toList();
    }

    public List<LoggedRequest> typingNotices(String peer) {
        return posts(peer).stream().filter(r -> rcsMessage(r).containsKey("isTyping")).toList();
    }

    public List<LoggedRequest> statusUpdates(String msgId) {
        return requests("PUT", ROOT + "/messages/" + URLEncoder.encode(msgId, StandardCharsets.UTF_8) + "/status");
    }

    public List<LoggedRequest> capabilityChecks(String peer) {
        return requests("GET", ROOT + "/contactCapabilities").stream()
                .filter(r -> r.queryParameter("userContact").isPresent() && peer.equals(r.queryParameter("userContact").firstValue()))
                .toList();
    }

    private static JsonObject body(LoggedRequest r) {
        try {
            return new JsonObject(r.getBodyAsString());
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }

    private static String userContact(LoggedRequest r) {
        JsonObject contact = body(r).getJsonObject("messageContact");
        return contact == null ? null : contact.getString("userContact");
    }

    private static JsonObject rcsMessage(LoggedRequest r) {
        JsonObject m = body(r).getJsonObject("RCSMessage");
        return m == null ? new JsonObject() : m;
    }

    public void reset() {
        server.resetAll();
    }

    // ---- Webhooks, as the platform posts them (no signature: the gateway checks the source address) ----

    public static JsonObject webhook(String event, String peer, JsonObject rcsMessage) {
        return new JsonObject().put("event", event).put("RCSMessage", rcsMessage)
                .put("messageContact", new JsonObject().put("userContact", peer));
    }

    public static JsonObject text(String peer, String msgId, String text) {
        return webhook("message", peer, new JsonObject().put("msgId", msgId).put("textMessage", text)
                .put("timestamp", "2026-11-27T10:00:00.000Z"));
    }

    /** The peer tapped a suggested reply chip. */
    public static JsonObject replyTapped(String peer, String msgId, String displayText, String postbackData) {
        return webhook("response", peer, new JsonObject().put("msgId", msgId).put("timestamp", "2026-11-27T10:00:00.000Z")
                .put("suggestedResponse", new JsonObject().put("response", new JsonObject().put("reply", new JsonObject()
                        .put("displayText", displayText).put("postback", new JsonObject().put("data", postbackData))))));
    }

    /** {@code delivered} or {@code displayed} for one of our messages. */
    public static JsonObject status(String peer, String msgId, String status) {
        return webhook("messageStatus", peer, new JsonObject().put("msgId", msgId).put("status", status)
                .put("timestamp", "2026-11-27T10:00:00.000Z"));
    }

    /** {@code active} or {@code idle}. */
    public static JsonObject typing(String peer, String state) {
        return webhook("isTyping", peer, new JsonObject().put("isTyping", state).put("timestamp", "2026-11-27T10:00:00.000Z"));
    }

    public static HttpResult deliver(TestGateway gw, JsonObject body) throws IOException, InterruptedException {
        return deliver(gw, body.encode());
    }

    public static HttpResult deliver(TestGateway gw, String body) throws IOException, InterruptedException {
        return gw.request("POST", "/hooks/rcs/" + ID, null, body, Map.of("Content-Type", "application/json"));
    }

    @Override
    public void close() {
        server.stop();
    }
}
