package dev.switchboard.gateway.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * WireMock playing a Google RBM agent's API for one test class, with helpers to script its answers
 * and to post signed webhooks to the gateway the way the provider does.
 */
public final class RbmProvider implements AutoCloseable {
    public static final String ID = "rbm1";
    public static final String AGENT = "switchboard-agent";
    public static final String TOKEN = "static-bearer-token-" + java.util.UUID.randomUUID();
    public static final String CLIENT_TOKEN = "webhook-client-token-" + java.util.UUID.randomUUID();
    public static final List<String> ALL_FEATURES = List.of("RICHCARD_STANDALONE", "RICHCARD_CAROUSEL", "ACTION_CREATE_CALENDAR_EVENT",
            "ACTION_DIAL", "ACTION_OPEN_URL", "ACTION_SHARE_LOCATION", "ACTION_VIEW_LOCATION", "REVOCATION");

    private final WireMockServer server;

    private RbmProvider() {
        server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
    }

    public static RbmProvider start() { return new RbmProvider(); }

    public WireMockServer wiremock() { return server; }

    public String baseUrl() { return "http://127.0.0.1:" + server.port(); }

    /** The provider entry for SWITCHBOARD_RCS_PROVIDERS; {@code extra} overrides or adds fields. */
    public String providersJson(List<String> numbers, Map<String, Object> extra) {
        JsonObject p = new JsonObject().put("id", ID).put("type", "rbm").put("baseUrl", baseUrl()).put("agentId", AGENT)
                .put("token", TOKEN).put("clientToken", CLIENT_TOKEN).put("numbers", new JsonArray(numbers))
                .put("requestTimeout", "1s").put("fallbackDeadline", "2m");
        extra.forEach(p::put);
        return new JsonArray().add(p).encode();
    }

    public static String enc(String e164) { return URLEncoder.encode(e164, StandardCharsets.UTF_8); }

    public static String phonePath(String e164) { return "/v1/phones/" + enc(e164); }

    public void reachable(String peer, List<String> features) {
        server.stubFor(get(urlPathEqualTo(phonePath(peer) + "/capabilities"))
                .willReturn(okJson(new JsonObject().put("features", new JsonArray(features)).encode())));
    }

    public void unreachable(String peer) {
        server.stubFor(get(urlPathEqualTo(phonePath(peer) + "/capabilities")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\"}}")));
    }

    /** Every agent message to the peer gets this answer (later stubs win over earlier ones). */
    public void onSend(String peer, ResponseDefinitionBuilder answer) {
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathMatching(phonePath(peer).replace("+", "\\+") + "/agentMessages")).willReturn(answer));
    }

    public void onSend(MappingBuilder mapping) {
        server.stubFor(mapping);
    }

    public void onRevoke(String peer, ResponseDefinitionBuilder answer) {
        server.stubFor(delete(urlPathMatching(phonePath(peer).replace("+", "\\+") + "/agentMessages/.*")).willReturn(answer));
    }

    public void onAgentEvent(String peer, ResponseDefinitionBuilder answer) {
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathMatching(phonePath(peer).replace("+", "\\+") + "/agentEvents")).willReturn(answer));
    }

    public List<LoggedRequest> requests(String method, String pathSuffix) {
        return server.findAll(anyRequestedFor(anyUrl())).stream()
                .filter(r -> r.getMethod().getName().equals(method) && r.getUrl().split("\\?")[0].endsWith(pathSuffix)).toList();
    }

    public List<LoggedRequest> sends(String peer) { return requests("POST", phonePath(peer) + "/agentMessages"); }

    public List<LoggedRequest> capabilityChecks(String peer) { return requests("GET", phonePath(peer) + "/capabilities"); }

    public List<LoggedRequest> agentEvents(String peer) { return requests("POST", phonePath(peer) + "/agentEvents"); }

    public List<LoggedRequest> revocations(String peer) {
        return server.findAll(anyRequestedFor(anyUrl())).stream()
                .filter(r -> r.getMethod().getName().equals("DELETE") && r.getUrl().contains(phonePath(peer) + "/agentMessages/")).toList();
    }

    public void reset() {
        server.resetAll();
    }

    // ---- Webhooks, as the provider posts them ----

    /** The Pub/Sub push envelope around {@code payload}, and its X-Goog-Signature. */
    public record Signed(String body, String signature) {}

    public static Signed sign(JsonObject payload) {
        byte[] data = payload.encode().getBytes(StandardCharsets.UTF_8);
        String envelope = new JsonObject().put("message", new JsonObject().put("data", Base64.getEncoder().encodeToString(data))
                        .put("messageId", "ps-" + java.util.UUID.randomUUID()).put("publishTime", "2026-11-27T10:00:00Z"))
                .put("subscription", "projects/rbm/subscriptions/switchboard").encode();
        return new Signed(envelope, signature(CLIENT_TOKEN, data));
    }

    public static String signature(String key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static HttpResult post(TestGateway gw, Signed signed) throws IOException, InterruptedException {
        return gw.request("POST", "/hooks/rcs/" + ID, null, signed.body(),
                Map.of("Content-Type", "application/json", "X-Goog-Signature", signed.signature()));
    }

    public static HttpResult deliver(TestGateway gw, JsonObject payload) throws IOException, InterruptedException {
        return post(gw, sign(payload));
    }

    public static JsonObject userText(String sender, String messageId, String text) {
        return userMessage(sender, messageId).put("text", text);
    }

    public static JsonObject userMessage(String sender, String messageId) {
        return new JsonObject().put("senderPhoneNumber", sender).put("messageId", messageId)
                .put("sendTime", "2026-11-27T10:00:00.000Z").put("agentId", AGENT);
    }

    public static JsonObject userEvent(String sender, String eventType, String eventId, String messageId) {
        JsonObject e = new JsonObject().put("senderPhoneNumber", sender).put("eventType", eventType).put("eventId", eventId)
                .put("sendTime", "2026-11-27T10:00:00.000Z").put("agentId", AGENT);
        return messageId == null ? e : e.put("messageId", messageId);
    }

    @Override
    public void close() {
        server.stop();
    }
}
