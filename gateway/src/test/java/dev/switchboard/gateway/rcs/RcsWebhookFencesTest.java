package dev.switchboard.gateway.rcs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.RbmProvider;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a webhook may not make the gateway do: apply another agent's events, accept a post from an
 * address outside the provider's fence, fetch a file from anywhere it is told, or refuse a valid
 * event because of a character the database cannot store.
 */
class RcsWebhookFencesTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SERVED = "+390617200001";
    private static final String FENCED_NUMBER = "+390617200002";
    private static final String FENCED_CLIENT_TOKEN = "fenced-client-token-" + UUID.randomUUID();

    static final RbmProvider rbm = RbmProvider.start();

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of("SWITCHBOARD_RCS_PROVIDERS", new JsonArray()
            .add(new JsonArray(rbm.providersJson(List.of(SERVED), Map.of("allowedSources", new JsonArray().add("127.0.0.1")))).getJsonObject(0))
            .add(new JsonObject().put("id", "fenced").put("type", "rbm").put("baseUrl", rbm.baseUrl()).put("agentId", "fenced-agent")
                    .put("token", "t").put("clientToken", FENCED_CLIENT_TOKEN).put("numbers", new JsonArray().add(FENCED_NUMBER))
                    .put("allowedSources", new JsonArray().add("10.9.9.9")))
            .encode()));

    private static Device device;

    @BeforeAll
    static void enroll() throws Exception {
        device = gw.primary(SERVED);
    }

    @AfterAll
    static void stop() {
        rbm.close();
    }

    private static List<JsonNode> from(String peer) {
        return device.client().conversationWith(peer).map(c -> device.client().allMessages(c.get("id").asText())).orElse(List.of());
    }

    @Test
    void aSignedEventCarryingANulCharacterIsStoredWithAReplacementCharacter() throws Exception {
        String peer = "+447700901001";
        HttpResult r = RbmProvider.deliver(gw, RbmProvider.userText(peer, "m-" + UUID.randomUUID(), "hi\u0000there"));
        assertEquals(200, r.status(), r.body());
        Eventually.await("the message", WAIT, () -> from(peer).size() == 1);
        assertEquals("hi\uFFFDthere", from(peer).get(0).get("text").asText());
    }

    @Test
    void anEventForAnotherAgentOfThePartnerIsIgnored() throws Exception {
        String peer = "+447700901002";
        JsonObject foreign = RbmProvider.userText(peer, "m-" + UUID.randomUUID(), "for someone else").put("agentId", "another-agent");
        assertEquals(200, RbmProvider.deliver(gw, foreign).status());
        assertEquals(200, RbmProvider.deliver(gw, RbmProvider.userText(peer, "m-" + UUID.randomUUID(), "for us")).status());
        Eventually.await("our message", WAIT, () -> from(peer).size() == 1);
        assertEquals("for us", from(peer).get(0).get("text").asText(), "only the event for our agent was applied");
    }

    @Test
    void aProviderFencedBySourceAddressRefusesAPostFromElsewhereBeforeReadingIt() throws Exception {
        JsonObject payload = RbmProvider.userText("+447700901003", "m-" + UUID.randomUUID(), "hello").put("agentId", "fenced-agent");
        byte[] data = payload.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String envelope = new JsonObject().put("message", new JsonObject()
                .put("data", java.util.Base64.getEncoder().encodeToString(data))).encode();
        HttpResult r = gw.request("POST", "/hooks/rcs/fenced", null, envelope,
                Map.of("X-Goog-Signature", RbmProvider.signature(FENCED_CLIENT_TOKEN, data)));
        assertEquals(403, r.status(), r.body());
        assertEquals("source_not_allowed", r.error());
        try (var c = gw.jdbc(); var s = c.prepareStatement("SELECT count(*) FROM rcs_webhook_events WHERE provider = 'fenced'");
             var rows = s.executeQuery()) {
            rows.next();
            assertEquals(0, rows.getInt(1), "nothing was queued");
        }
    }

    @Test
    void aFileOnAnotherHostOverPlainHttpIsNeverFetchedAndThePeersMessageStillLands() throws Exception {
        String peer = "+447700901004";
        // The same WireMock, reached by another name than the provider's host: not the provider, not https.
        rbm.wiremock().stubFor(get(urlPathEqualTo("/internal/secret")).willReturn(aResponse().withStatus(200).withBody("secret")));
        String uri = "http://localhost:" + rbm.wiremock().port() + "/internal/secret";
        JsonObject file = RbmProvider.userMessage(peer, "m-" + UUID.randomUUID()).put("userFile", new JsonObject()
                .put("category", "FILE").put("payload", new JsonObject().put("mimeType", "text/plain").put("fileSizeBytes", 6)
                        .put("fileName", "secret.txt").put("fileUri", uri)));
        assertEquals(200, RbmProvider.deliver(gw, file).status());

        gw.awaitWhileTimePasses("the placeholder after the last try", WAIT, () -> from(peer).size() == 1);
        JsonNode m = from(peer).get(0);
        assertEquals("[file could not be retrieved: secret.txt, text/plain, 6 bytes]", m.get("text").asText(), m.toString());
        assertEquals("rcs", m.get("channel").asText());
        assertTrue(rbm.wiremock().findAll(anyRequestedFor(urlPathEqualTo("/internal/secret"))).isEmpty(), "never fetched");
    }
}
