package dev.switchboard.gateway.rcs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.client.SentMessage;
import dev.switchboard.gateway.smpp.SmscSimulator;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.RbmProvider;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Outbound messages from a number served by an RBM provider: RCS when the peer has it, with the body the provider expects. */
class RcsSendTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SERVED = "+390617180001";

    static final SmscSimulator smsc = SmscSimulator.start("switchboard", "pw");
    static final RbmProvider rbm = RbmProvider.start();

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(
            "SWITCHBOARD_SMPP_CARRIERS", "[{\"id\":\"acme\",\"host\":\"127.0.0.1\",\"port\":" + smsc.port()
                    + ",\"systemId\":\"switchboard\",\"password\":\"pw\",\"prefixes\":[\"+44\"]}]",
            "SWITCHBOARD_RCS_PROVIDERS", rbm.providersJson(List.of(SERVED), Map.of())));

    private static Device device;

    @BeforeAll
    static void enroll() throws Exception {
        device = gw.primary(SERVED);
        smsc.awaitBound(WAIT);
    }

    @AfterAll
    static void stop() {
        smsc.close();
        rbm.close();
    }

    private static JsonNode message(String conversationId, String id) {
        return device.client().allMessages(conversationId).stream().filter(m -> m.get("id").asText().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void textToAReachablePeerGoesOverRcsWithTheRbmBody() throws Exception {
        String peer = "+447700900601";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}"));

        SentMessage sent = device.client().send(peer, "Your table is ready", UUID.randomUUID().toString());
        assertEquals("rcs", sent.channel());
        Eventually.await("the provider got it", WAIT, () -> rbm.sends(peer).size() == 1);
        LoggedRequest req = rbm.sends(peer).get(0);
        assertEquals(sent.id(), req.queryParameter("messageId").firstValue());
        assertEquals(RbmProvider.AGENT, req.queryParameter("agentId").firstValue());
        assertEquals("Bearer " + RbmProvider.TOKEN, req.getHeader("Authorization"));
        JsonObject body = new JsonObject(req.getBodyAsString());
        assertEquals(new JsonObject().put("text", "Your table is ready"), body.getJsonObject("contentMessage"));
        assertTrue(body.getString("ttl").endsWith("s"), body.encode());

        Eventually.await("sent", WAIT, () -> message(sent.conversationId(), sent.id()).get("status").asText().equals("sent"));
        JsonNode m = message(sent.conversationId(), sent.id());
        assertEquals("rcs", m.get("channel").asText());
        JsonNode attempts = m.get("attempts");
        assertEquals(1, attempts.size(), m.toString());
        assertEquals("rcs", attempts.get(0).get("channel").asText());
        assertEquals(RbmProvider.ID, attempts.get(0).get("provider").asText());
        assertEquals("accepted", attempts.get(0).get("result").asText());
        assertEquals(0, smsc.submitted().stream().filter(s -> s.to().equals(peer.substring(1))).count(), "no SMS");

        // The handset reports delivery and reading.
        assertEquals(200, RbmProvider.deliver(gw, RbmProvider.userEvent(peer, "DELIVERED", "ev-" + UUID.randomUUID(), sent.id())).status());
        Eventually.await("delivered", WAIT, () -> message(sent.conversationId(), sent.id()).get("status").asText().equals("delivered"));
        assertEquals(200, RbmProvider.deliver(gw, RbmProvider.userEvent(peer, "READ", "ev-" + UUID.randomUUID(), sent.id())).status());
        Eventually.await("read", WAIT, () -> message(sent.conversationId(), sent.id()).get("status").asText().equals("read"));
    }

    @Test
    void unreachablePeerFallsBackToSmsOnce() throws Exception {
        String peer = "+447700900602";
        rbm.unreachable(peer);
        SentMessage sent = device.client().send(peer, "Fallback please", UUID.randomUUID().toString());
        Eventually.await("the SMS went out", WAIT, () -> smsc.submitted().stream().anyMatch(s -> s.to().equals(peer.substring(1))));
        Eventually.await("sent as SMS", WAIT, () -> message(sent.conversationId(), sent.id()).get("status").asText().equals("sent"));
        JsonNode m = message(sent.conversationId(), sent.id());
        assertEquals("sms", m.get("channel").asText(), m.toString());
        assertEquals(0, rbm.sends(peer).size(), "nothing was sent over RCS");
        assertEquals(1, smsc.submitted().stream().filter(s -> s.to().equals(peer.substring(1))).count());
        List<String> results = new java.util.ArrayList<>();
        m.get("attempts").forEach(a -> results.add(a.get("channel").asText() + ":" + a.get("result").asText()));
        assertEquals(List.of("rcs:unreachable", "rcs:fallback", "sms:accepted"), results, m.toString());
    }

    @Test
    void forcedRcsToAPeerKnownUnreachableIsRefused() throws Exception {
        String peer = "+447700900603";
        rbm.unreachable(peer);
        // The first message learns the capability; the forced one is then refused up front.
        SentMessage first = device.client().send(peer, "hello", UUID.randomUUID().toString());
        Eventually.await("fell back", WAIT, () -> message(first.conversationId(), first.id()).get("channel").asText().equals("sms"));
        HttpResult r = gw.request("POST", "/v1/messages", device.token(),
                new JsonObject().put("to", peer).put("text", "rcs only").put("channel", "rcs").encode(),
                Map.of("Idempotency-Key", UUID.randomUUID().toString(), "Content-Type", "application/json"));
        assertEquals(422, r.status(), r.body());
        assertEquals("peer_not_reachable_over_rcs", r.error());
    }
}
