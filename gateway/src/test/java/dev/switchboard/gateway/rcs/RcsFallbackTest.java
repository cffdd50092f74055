package dev.switchboard.gateway.rcs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.client.SentMessage;
import dev.switchboard.gateway.smpp.SmscSimulator;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.MessageRecords;
import dev.switchboard.gateway.support.RbmProvider;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The RCS fallback state machine seen from outside: what the provider received, what the SMSC
 * received and what the message record says. Every case takes exactly one delivery path to its
 * own peer: RCS or SMS, never both and never none.
 */
class RcsFallbackTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SERVED = "+390617190001";
    private static final Duration CAPABILITY_TTL = Duration.ofHours(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final SmscSimulator smsc = SmscSimulator.start("switchboard", "pw");
    static final RbmProvider rbm = RbmProvider.start();

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(
            "SWITCHBOARD_SMPP_CARRIERS", "[{\"id\":\"acme\",\"host\":\"127.0.0.1\",\"port\":" + smsc.port()
                    + ",\"systemId\":\"switchboard\",\"password\":\"pw\",\"prefixes\":[\"+44\"]}]",
            // requestTimeout 1s and fallbackDeadline 2m come from RbmProvider.providersJson.
            "SWITCHBOARD_RCS_PROVIDERS", rbm.providersJson(List.of(SERVED), Map.of("capabilityTtl", "1h"))));

    private static final AtomicInteger sentinels = new AtomicInteger();
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

    // ---- feature degradation ----

    @Test
    void carouselRefusedWith400IsResentAsStandaloneCardsOverRcs() throws Exception {
        String peer = "+447700900701";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        refuseCarousels(peer);
        rbm.onSend(peer, ok());

        SentMessage sent = send(carousel(peer));
        assertEquals("rcs", sent.channel());
        awaitStatus(sent, "sent");

        List<LoggedRequest> sends = rbm.sends(peer);
        assertEquals(3, sends.size(), "the carousel, then its two cards");
        assertEquals(carouselContent(), contentMessage(sends.get(0)));
        assertEquals(sent.id(), messageIdOf(sends.get(0)));
        assertEquals(standaloneCard(margherita()), contentMessage(sends.get(1)));
        assertFalse(contentMessage(sends.get(1)).getJsonObject("richCard").containsKey("carouselCard"));
        // The message's own suggestions ride on the last card.
        assertEquals(standaloneCard(marinara()).put("suggestions", new JsonArray().add(menuReply())), contentMessage(sends.get(2)));
        // Degraded content is new content: new provider ids, one per card, never the carousel's.
        assertEquals(List.of(sent.id() + "-d-1", sent.id() + "-d-2"), List.of(messageIdOf(sends.get(1)), messageIdOf(sends.get(2))));

        JsonNode m = message(sent);
        assertEquals("rcs", m.get("channel").asText(), m.toString());
        assertEquals(List.of("rcs:unsupported", "rcs:accepted"), attempts(m));
        assertEquals(RbmProvider.ID, m.get("attempts").get(0).get("provider").asText());
        quiesce();
        assertEquals(0, smsTo(peer).size(), "no SMS");
        assertEquals(3, rbm.sends(peer).size());
    }

    @Test
    void contentRefusedWith400AfterTheOneDegradationFallsBackToSmsRenderingTheCards() throws Exception {
        String peer = "+447700900702";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, badRequest());

        SentMessage sent = send(carousel(peer));
        assertEquals("rcs", sent.channel());
        Eventually.await("the SMS went out", WAIT, () -> smsTo(peer).size() == 1);
        awaitStatus(sent, "sent");

        List<LoggedRequest> sends = rbm.sends(peer);
        assertEquals(2, sends.size(), "the carousel, then the first card; the second card is not tried");
        assertEquals(carouselContent(), contentMessage(sends.get(0)));
        assertEquals(standaloneCard(margherita()), contentMessage(sends.get(1)));

        assertEquals("""
                Margherita
                Tomato, mozzarella, basil

                Marinara
                Tomato, garlic, oregano

                1. Order Marinara
                2. Menu
                Reply with a number.""", text(smsTo(peer).get(0)));
        JsonNode m = message(sent);
        assertEquals("sms", m.get("channel").asText(), m.toString());
        assertEquals(List.of("rcs:unsupported", "rcs:unsupported", "rcs:fallback", "sms:accepted"), attempts(m));
        quiesce();
        assertEquals(1, smsTo(peer).size(), "exactly one SMS");
        assertEquals(2, rbm.sends(peer).size(), "no RCS send after the fallback");
    }

    @Test
    void forcedRcsRefusedWith400TwiceFailsWithoutSms() throws Exception {
        String peer = "+447700900703";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, badRequest());

        ObjectNode body = carousel(peer);
        body.put("channel", "rcs");
        SentMessage sent = send(body);
        assertEquals("rcs", sent.channel());
        awaitStatus(sent, "failed");

        JsonNode m = message(sent);
        assertEquals("rcs", m.get("channel").asText(), m.toString());
        assertEquals(List.of("rcs:unsupported", "rcs:unsupported"), attempts(m));
        assertTrue(m.get("statusReason").asText().startsWith("not sent over RCS"), m.toString());
        assertEquals(2, rbm.sends(peer).size());
        quiesce();
        assertEquals(0, smsTo(peer).size(), "forced RCS never falls back");
    }

    // ---- the deadline: revoke, and fall back only on a confirmed revocation ----

    @Test
    void serverErrorsUntilTheDeadlineThenConfirmedRevocationSendsExactlyOneSms() throws Exception {
        deadlineWithConfirmedRevocation("+447700900711", aResponse().withStatus(500).withBody("{}"), "HTTP 500");
    }

    @Test
    void timeoutsUntilTheDeadlineThenConfirmedRevocationSendsExactlyOneSms() throws Exception {
        // Each answer comes after the 1 s request timeout: the provider may have taken the message.
        deadlineWithConfirmedRevocation("+447700900712", ok().withFixedDelay(3_000), "timeout after 1000 ms");
    }

    private void deadlineWithConfirmedRevocation(String peer, ResponseDefinitionBuilder sendAnswer, String retryReason) throws Exception {
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, sendAnswer);
        rbm.onRevoke(peer, ok());

        SentMessage sent = send(text(peer, "Deadline " + peer));
        assertEquals("rcs", sent.channel());
        awaitFirstRetry(sent);
        gw.awaitWhileTimePasses("the SMS after the deadline", WAIT, () -> smsTo(peer).size() == 1);
        awaitStatus(sent, "sent");

        JsonNode m = message(sent);
        assertEquals("sms", m.get("channel").asText(), m.toString());
        List<String> results = attempts(m);
        int retries = results.size() - 3;
        assertTrue(retries >= 1, "retried before the deadline: " + results);
        assertEquals(java.util.Collections.nCopies(retries, "rcs:retry"), results.subList(0, retries), m.toString());
        assertEquals(List.of("rcs:revoked", "rcs:fallback", "sms:accepted"), results.subList(retries, results.size()), m.toString());
        assertEquals(retryReason, m.get("attempts").get(0).get("reason").asText());

        // Every send used our message id, and the revocation named it. Past the deadline nothing is sent again: the
        // last send is the one whose failure found the deadline passed, if it did not find it already before sending.
        int sends = sendsAfterRetries(peer, retries);
        rbm.sends(peer).forEach(r -> assertEquals(sent.id(), messageIdOf(r), r.getUrl()));
        List<LoggedRequest> revocations = rbm.revocations(peer);
        assertEquals(1, revocations.size());
        assertEquals(RbmProvider.phonePath(peer) + "/agentMessages/" + sent.id(), revocations.get(0).getUrl().split("\\?")[0]);
        assertEquals(RbmProvider.AGENT, revocations.get(0).queryParameter("agentId").firstValue());
        assertEquals("Bearer " + RbmProvider.TOKEN, revocations.get(0).getHeader("Authorization"));

        assertEquals("Deadline " + peer, text(smsTo(peer).get(0)));
        quiesce();
        assertEquals(1, smsTo(peer).size(), "exactly one SMS");
        assertEquals(sends, rbm.sends(peer).size(), "no RCS send after the fallback");
    }

    @Test
    void serverErrorsUntilTheDeadlineAndRevocationNotFoundNeverSendsSms() throws Exception {
        deadlineWithFailedRevocation("+447700900721", aResponse().withStatus(500).withBody("{}"),
                aResponse().withStatus(404).withBody("{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\"}}"), "HTTP 404", false);
    }

    @Test
    void timeoutsUntilTheDeadlineAndRevocationServerErrorNeverSendsSms() throws Exception {
        deadlineWithFailedRevocation("+447700900722", ok().withFixedDelay(3_000), aResponse().withStatus(500).withBody("{}"), "HTTP 500", true);
    }

    /** @param passing the revocation's failure is one worth retrying (5xx): it is, until the fallback deadline passes again */
    private void deadlineWithFailedRevocation(String peer, ResponseDefinitionBuilder sendAnswer, ResponseDefinitionBuilder revokeAnswer,
                                              String revokeReason, boolean passing) throws Exception {
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, sendAnswer);
        rbm.onRevoke(peer, revokeAnswer);

        SentMessage sent = send(text(peer, "Maybe delivered"));
        assertEquals("rcs", sent.channel());
        awaitFirstRetry(sent);
        // Until the message leaves the RCS queue one way or the other; which way is asserted below.
        gw.awaitWhileTimePasses("the deadline outcome", WAIT, () -> attempts(message(sent)).stream()
                .anyMatch(a -> a.equals("rcs:revocation_failed") || a.equals("rcs:fallback") || a.equals("rcs:revoked")));

        JsonNode m = message(sent);
        assertEquals("sent", m.get("status").asText(), m.toString());
        assertEquals("rcs", m.get("channel").asText(), m.toString());
        assertTrue(m.get("statusReason").asText().contains("not sent as SMS"), m.toString());
        List<String> results = attempts(m);
        int retries = (int) results.stream().filter("rcs:retry"::equals).count();
        int revocationRetries = (int) results.stream().filter("rcs:revocation_retry"::equals).count();
        assertTrue(retries >= 1, "retried before the deadline: " + results);
        assertEquals(java.util.Collections.nCopies(retries, "rcs:retry"), results.subList(0, retries), m.toString());
        assertEquals(java.util.Collections.nCopies(revocationRetries, "rcs:revocation_retry"),
                results.subList(retries, retries + revocationRetries), m.toString());
        assertEquals(passing, revocationRetries > 0, "a passing failure is retried, a definite one is not: " + results);
        assertEquals(List.of("rcs:revocation_failed"), results.subList(retries + revocationRetries, results.size()), m.toString());
        assertEquals(revokeReason, m.get("attempts").get(results.size() - 1).get("reason").asText());
        assertEquals(revocationRetries + 1, rbm.revocations(peer).size());
        for (LoggedRequest revocation : rbm.revocations(peer)) {
            assertEquals(RbmProvider.phonePath(peer) + "/agentMessages/" + sent.id(), revocation.getUrl().split("\\?")[0]);
        }

        // Well past the deadline, with the SMS worker having drained since: still no SMS, no more RCS.
        gw.clock.advance(Duration.ofHours(2));
        quiesce();
        int sends = sendsAfterRetries(peer, retries);
        int revocations = rbm.revocations(peer).size();
        assertEquals(0, smsTo(peer).size(), "no SMS: the peer may still get the RCS message");
        JsonNode later = message(sent);
        assertEquals(results, attempts(later));
        assertEquals("sent", later.get("status").asText());
        assertEquals(sends, rbm.sends(peer).size());
        assertEquals(revocations, rbm.revocations(peer).size(), "no more revocations once given up");
    }

    @Test
    void aRevocationThatFailsForAPassingReasonIsRetriedAndOnceConfirmedTheSmsGoesOut() throws Exception {
        String peer = "+447700900794";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, aResponse().withStatus(500).withBody("{}"));
        SentMessage sent = send(text(peer, "Revoke me, eventually"));
        String path = RbmProvider.phonePath(peer) + "/agentMessages/" + sent.id();
        rbm.wiremock().stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(path))
                .inScenario("revoke " + peer).whenScenarioStateIs(STARTED).willSetStateTo("up")
                .willReturn(aResponse().withStatus(503).withBody("{}")));
        rbm.wiremock().stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(path))
                .inScenario("revoke " + peer).whenScenarioStateIs("up")
                .willReturn(ok()));
        awaitFirstRetry(sent);
        gw.awaitWhileTimePasses("the SMS", WAIT, () -> smsTo(peer).size() == 1);
        awaitStatus(sent, "sent");
        JsonNode m = message(sent);
        List<String> results = attempts(m);
        int retries = (int) results.stream().filter("rcs:retry"::equals).count();
        assertEquals(List.of("rcs:revocation_retry", "rcs:revoked", "rcs:fallback", "sms:accepted"),
                results.subList(retries, results.size()), m.toString());
        assertEquals(2, rbm.revocations(peer).size());
        assertEquals("sms", m.get("channel").asText());
        quiesce();
        assertEquals(1, smsTo(peer).size());
    }

    // ---- a message in several parts ----

    @Test
    void aMultiPartMessageWhoseLaterPartIsRefusedIsWithdrawnBeforeItFallsBack() throws Exception {
        String peer = "+447700900791";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        refuseCarousels(peer);
        rbm.onSend(peer, ok());
        rbm.onRevoke(peer, ok());

        SentMessage sent = send(textAndCarousel(peer));
        Eventually.await("the SMS", WAIT, () -> smsTo(peer).size() == 1);
        awaitStatus(sent, "sent");
        List<LoggedRequest> sends = rbm.sends(peer);
        assertEquals(List.of(sent.id() + "-1", sent.id() + "-2"), sends.stream().map(RcsFallbackTest::messageIdOf).toList(),
                "the text, then the refused carousel; nothing resent degraded once part of it was out");
        assertEquals(1, rbm.revocations(peer).size());
        assertEquals(RbmProvider.phonePath(peer) + "/agentMessages/" + sent.id() + "-1", rbm.revocations(peer).get(0).getUrl().split("\\?")[0]);
        JsonNode m = message(sent);
        assertEquals(List.of("rcs:revoked", "rcs:fallback", "sms:accepted"), attempts(m), m.toString());
        assertTrue(text(smsTo(peer).get(0)).startsWith("Today's menu\nMargherita"), text(smsTo(peer).get(0)));
        quiesce();
        assertEquals(1, smsTo(peer).size());
        assertEquals(2, rbm.sends(peer).size());
    }

    @Test
    void aMultiPartMessageWhosePartCannotBeWithdrawnStaysWithTheProviderAndNoSmsGoesOut() throws Exception {
        String peer = "+447700900792";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        refuseCarousels(peer);
        rbm.onSend(peer, ok());
        rbm.onRevoke(peer, aResponse().withStatus(404).withBody("{}"));

        SentMessage sent = send(textAndCarousel(peer));
        Eventually.await("given up", WAIT, () -> attempts(message(sent)).contains("rcs:revocation_failed"));
        JsonNode m = message(sent);
        assertEquals(List.of("rcs:revocation_failed"), attempts(m), m.toString());
        assertEquals("sent", m.get("status").asText());
        quiesce();
        assertEquals(0, smsTo(peer).size());
        assertEquals(2, rbm.sends(peer).size());
    }

    @Test
    void aSendThatTimedOutIsWithdrawnWhenTheRetryFindsThePeerUnreachable() throws Exception {
        String peer = "+447700900793";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.wiremock().stubFor(post(urlPathEqualTo(RbmProvider.phonePath(peer) + "/agentMessages"))
                .inScenario("gone " + peer).whenScenarioStateIs(STARTED).willSetStateTo("gone")
                .willReturn(ok().withFixedDelay(3_000)));
        rbm.wiremock().stubFor(post(urlPathEqualTo(RbmProvider.phonePath(peer) + "/agentMessages"))
                .inScenario("gone " + peer).whenScenarioStateIs("gone")
                .willReturn(aResponse().withStatus(404).withBody("{}")));
        rbm.onRevoke(peer, ok());

        SentMessage sent = send(text(peer, "Did you get this?"));
        awaitFirstRetry(sent);
        gw.awaitWhileTimePasses("the SMS", WAIT, () -> smsTo(peer).size() == 1);
        awaitStatus(sent, "sent");
        JsonNode m = message(sent);
        assertEquals(List.of("rcs:retry", "rcs:revoked", "rcs:fallback", "sms:accepted"), attempts(m), m.toString());
        assertEquals(1, rbm.revocations(peer).size(), "the timed-out send was withdrawn before the SMS");
        quiesce();
        assertEquals(1, smsTo(peer).size());
    }

    /**
     * Each retry recorded one send; the send after them either failed past the deadline (one more
     * send) or was never made because its turn came after the deadline.
     */
    private static int sendsAfterRetries(String peer, int retries) {
        Eventually.await("every send logged", WAIT, () -> rbm.sends(peer).size() >= retries);
        int sends = rbm.sends(peer).size();
        assertTrue(sends == retries || sends == retries + 1, sends + " sends for " + retries + " retries");
        return sends;
    }

    private static ObjectNode textAndCarousel(String peer) throws Exception {
        ObjectNode body = carousel(peer);
        com.fasterxml.jackson.databind.node.ArrayNode parts = (com.fasterxml.jackson.databind.node.ArrayNode) body.get("parts");
        parts.insert(0, JSON.createObjectNode().put("type", "text").put("text", "Today's menu"));
        return body;
    }

    // ---- retryable refusals and unreachable peers ----

    @Test
    void tooManyRequestsIsRetriedAfterTheBackoffAndThenAcceptedOverRcsOnly() throws Exception {
        String peer = "+447700900731";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        String scenario = "429 " + peer;
        rbm.onSend(post(urlPathEqualTo(RbmProvider.phonePath(peer) + "/agentMessages")).inScenario(scenario)
                .whenScenarioStateIs(STARTED).willSetStateTo("throttled")
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\"}}")));
        rbm.onSend(post(urlPathEqualTo(RbmProvider.phonePath(peer) + "/agentMessages")).inScenario(scenario)
                .whenScenarioStateIs("throttled").willReturn(ok()));

        SentMessage sent = send(text(peer, "Busy line"));
        Eventually.await("the 429 recorded", WAIT, () -> attempts(message(sent)).equals(List.of("rcs:retry")));
        // The clock stands still: the backoff (1 s after the first attempt) is not over, so nothing is resent even
        // after the worker has taken and sent a later message.
        String later = "+447700900795";
        rbm.reachable(later, RbmProvider.ALL_FEATURES);
        rbm.onSend(later, ok());
        awaitStatus(send(text(later, "after the busy one")), "sent");
        assertEquals(1, rbm.sends(peer).size(), "no resend before the backoff");

        gw.clock.advance(Duration.ofSeconds(1));
        awaitStatus(sent, "sent");
        JsonNode m = message(sent);
        assertEquals("rcs", m.get("channel").asText(), m.toString());
        assertEquals(List.of("rcs:retry", "rcs:accepted"), attempts(m));
        assertEquals("HTTP 429", m.get("attempts").get(0).get("reason").asText());
        List<LoggedRequest> sends = rbm.sends(peer);
        assertEquals(2, sends.size());
        assertEquals(List.of(sent.id(), sent.id()), List.of(messageIdOf(sends.get(0)), messageIdOf(sends.get(1))));
        assertEquals(new JsonObject(sends.get(0).getBodyAsString()), new JsonObject(sends.get(1).getBodyAsString()));
        assertEquals(0, rbm.revocations(peer).size());
        quiesce();
        assertEquals(0, smsTo(peer).size(), "no SMS");
    }

    @Test
    void notFoundAtSendTimeFallsBackAtOnceAndMarksThePeerUnreachable() throws Exception {
        String peer = "+447700900741";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\"}}"));

        SentMessage first = send(text(peer, "First try"));
        assertEquals("rcs", first.channel(), "the capability check has not happened yet");
        Eventually.await("the SMS", WAIT, () -> smsTo(peer).size() == 1);
        awaitStatus(first, "sent");
        JsonNode m = message(first);
        assertEquals("sms", m.get("channel").asText(), m.toString());
        assertEquals(List.of("rcs:unreachable", "rcs:fallback", "sms:accepted"), attempts(m));
        assertEquals(1, rbm.sends(peer).size());
        assertEquals(1, rbm.capabilityChecks(peer).size());

        // The cache now says unreachable: the next automatic message is SMS from the start.
        SentMessage second = send(text(peer, "Second try"));
        assertEquals("sms", second.channel());
        assertEquals(first.conversationId(), second.conversationId());
        awaitStatus(second, "sent");
        assertEquals(List.of("sms:accepted"), attempts(message(second)));
        assertEquals(List.of("First try", "Second try"), smsTo(peer).stream().map(RcsFallbackTest::text).toList());
        assertEquals(1, rbm.sends(peer).size(), "no RCS send for the second message");
        assertEquals(1, rbm.capabilityChecks(peer).size(), "no capability check for the second message");
    }

    // ---- the capability cache ----

    @Test
    void capabilityIsCheckedOncePerTimeToLiveAndAfterExpiryTheNewAnswerIsUsed() throws Exception {
        String peer = "+447700900751";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, ok());

        SentMessage first = send(text(peer, "one"));
        awaitStatus(first, "sent");
        assertEquals(1, rbm.capabilityChecks(peer).size());
        LoggedRequest check = rbm.capabilityChecks(peer).get(0);
        assertEquals(RbmProvider.AGENT, check.queryParameter("agentId").firstValue());
        assertTrue(check.queryParameter("requestId").isPresent(), check.getUrl());

        gw.clock.advance(CAPABILITY_TTL.minusMinutes(10));
        SentMessage second = send(text(peer, "two"));
        assertEquals("rcs", second.channel(), "chosen from the cache");
        awaitStatus(second, "sent");
        assertEquals(1, rbm.capabilityChecks(peer).size(), "within the time to live: no new check");
        assertEquals(List.of("rcs:accepted"), attempts(message(second)));

        // Past the time to live the peer has lost RCS; the next message asks again and believes the answer.
        rbm.unreachable(peer);
        gw.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        SentMessage third = send(text(peer, "three"));
        Eventually.await("the SMS", WAIT, () -> smsTo(peer).size() == 1);
        awaitStatus(third, "sent");
        assertEquals(2, rbm.capabilityChecks(peer).size());
        JsonNode m = message(third);
        assertEquals("sms", m.get("channel").asText(), m.toString());
        assertEquals(List.of("rcs:unreachable", "rcs:fallback", "sms:accepted"), attempts(m));
        assertEquals(2, rbm.sends(peer).size(), "only the first two went over RCS");
        assertEquals("three", text(smsTo(peer).get(0)));
    }

    @Test
    void backgroundRefreshRenewsAnEntryAboutToExpire() throws Exception {
        // Every entry cached by earlier tests expires, so the refresh below sees this test's entry alone.
        gw.clock.advance(CAPABILITY_TTL.multipliedBy(2));
        String peer = "+447700900752";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, ok());
        SentMessage first = send(text(peer, "cache me"));
        awaitStatus(first, "sent");
        assertEquals(1, rbm.capabilityChecks(peer).size());
        Instant expiresAt = capabilityExpiry(peer);

        gw.clock.advance(CAPABILITY_TTL.minusMinutes(2));
        int renewed = gw.gateway().refreshRcsCapabilities().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(1, renewed);
        assertEquals(2, rbm.capabilityChecks(peer).size(), "the refresh asked the provider");
        assertEquals(gw.clock.instant().plus(CAPABILITY_TTL).getEpochSecond(), capabilityExpiry(peer).getEpochSecond());

        // Past the old expiry a send still finds the renewed entry: no check of its own.
        gw.clock.advance(Duration.ofMinutes(5));
        assertTrue(gw.clock.instant().isAfter(expiresAt));
        SentMessage second = send(text(peer, "still cached"));
        assertEquals("rcs", second.channel());
        awaitStatus(second, "sent");
        assertEquals(2, rbm.capabilityChecks(peer).size());
        assertEquals(2, rbm.sends(peer).size());
        assertEquals(0, smsTo(peer).size());
    }

    @Test
    void automaticMessageUsingAFeatureThePeerLacksGoesSms() throws Exception {
        String peer = "+447700900761";
        List<String> noDial = RbmProvider.ALL_FEATURES.stream().filter(f -> !f.equals("ACTION_DIAL")).toList();
        rbm.reachable(peer, noDial);
        rbm.onSend(peer, ok());
        String expectedSms = """
                Trattoria da Mario
                Open until 23:00

                1. Call us (+390611112222)""";

        // Nothing cached yet: the worker learns the features and sends it as SMS without trying RCS.
        SentMessage first = send(dialCard(peer));
        assertEquals("rcs", first.channel());
        Eventually.await("the first SMS", WAIT, () -> smsTo(peer).size() == 1);
        awaitStatus(first, "sent");
        JsonNode m = message(first);
        assertEquals("sms", m.get("channel").asText(), m.toString());
        assertEquals(List.of("rcs:unsupported", "rcs:fallback", "sms:accepted"), attempts(m));
        assertTrue(m.get("attempts").get(0).get("reason").asText().contains("ACTION_DIAL"), m.toString());

        // Now cached: the choice is SMS at once.
        SentMessage second = send(dialCard(peer));
        assertEquals("sms", second.channel());
        awaitStatus(second, "sent");
        assertEquals(List.of("sms:accepted"), attempts(message(second)));

        assertEquals(List.of(expectedSms, expectedSms), smsTo(peer).stream().map(RcsFallbackTest::text).toList());
        assertEquals(0, rbm.sends(peer).size(), "nothing went over RCS");
        assertEquals(1, rbm.capabilityChecks(peer).size());
    }

    // ---- helpers ----

    private static ResponseDefinitionBuilder ok() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}");
    }

    private static ResponseDefinitionBuilder badRequest() {
        return aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":400,\"message\":\"unsupported feature\",\"status\":\"INVALID_ARGUMENT\"}}");
    }

    /** A handset without carousels: 400 to any carousel, whatever else it gets. */
    private static void refuseCarousels(String peer) {
        rbm.onSend(post(urlPathEqualTo(RbmProvider.phonePath(peer) + "/agentMessages"))
                .withRequestBody(matchingJsonPath("$.contentMessage.richCard.carouselCard"))
                .atPriority(1)
                .willReturn(badRequest()));
    }

    private static SentMessage send(ObjectNode body) {
        return device.client().send(body, UUID.randomUUID().toString());
    }

    private static ObjectNode text(String peer, String text) {
        return JSON.createObjectNode().put("to", peer).put("text", text);
    }

    private static ObjectNode carousel(String peer) throws Exception {
        return (ObjectNode) JSON.readTree(new JsonObject().put("to", peer)
                .put("parts", new JsonArray().add(new JsonObject().put("type", "carousel").put("cards", new JsonArray()
                        .add(new JsonObject().put("type", "richCard").put("title", "Margherita").put("description", "Tomato, mozzarella, basil"))
                        .add(new JsonObject().put("type", "richCard").put("title", "Marinara").put("description", "Tomato, garlic, oregano")
                                .put("suggestions", new JsonArray().add(new JsonObject().put("type", "reply").put("text", "Order Marinara")
                                        .put("postbackData", "order:marinara")))))))
                .put("suggestions", new JsonArray().add(new JsonObject().put("type", "reply").put("text", "Menu").put("postbackData", "menu")))
                .encode());
    }

    private static ObjectNode dialCard(String peer) throws Exception {
        return (ObjectNode) JSON.readTree(new JsonObject().put("to", peer)
                .put("parts", new JsonArray().add(new JsonObject().put("type", "richCard").put("title", "Trattoria da Mario")
                        .put("description", "Open until 23:00").put("suggestions", new JsonArray().add(new JsonObject()
                                .put("type", "dial").put("text", "Call us").put("phoneNumber", "+390611112222")))))
                .encode());
    }

    private static JsonObject margherita() {
        return new JsonObject().put("title", "Margherita").put("description", "Tomato, mozzarella, basil");
    }

    private static JsonObject marinara() {
        return new JsonObject().put("title", "Marinara").put("description", "Tomato, garlic, oregano")
                .put("suggestions", new JsonArray().add(new JsonObject().put("reply",
                        new JsonObject().put("text", "Order Marinara").put("postbackData", "order:marinara"))));
    }

    private static JsonObject menuReply() {
        return new JsonObject().put("reply", new JsonObject().put("text", "Menu").put("postbackData", "menu"));
    }

    /** The RBM contentMessage of the carousel above. */
    private static JsonObject carouselContent() {
        return new JsonObject()
                .put("richCard", new JsonObject().put("carouselCard", new JsonObject().put("cardWidth", "MEDIUM")
                        .put("cardContents", new JsonArray().add(margherita()).add(marinara()))))
                .put("suggestions", new JsonArray().add(menuReply()));
    }

    private static JsonObject standaloneCard(JsonObject cardContent) {
        return new JsonObject().put("richCard", new JsonObject().put("standaloneCard", new JsonObject()
                .put("cardOrientation", "VERTICAL").put("thumbnailImageAlignment", "LEFT").put("cardContent", cardContent)));
    }

    private static JsonObject contentMessage(LoggedRequest request) {
        JsonObject body = new JsonObject(request.getBodyAsString());
        assertTrue(body.getString("ttl").matches("[0-9]+s"), body.encode());
        return body.getJsonObject("contentMessage");
    }

    private static String messageIdOf(LoggedRequest request) {
        return request.queryParameter("messageId").firstValue();
    }

    private static JsonNode message(SentMessage sent) {
        return MessageRecords.of(device, sent);
    }

    /** The first failure is retried while the clock stands still, well before the deadline; only then does time pass. */
    private static void awaitFirstRetry(SentMessage sent) {
        Eventually.await("the first retry", WAIT, () -> attempts(message(sent)).equals(List.of("rcs:retry")));
    }

    private static void awaitStatus(SentMessage sent, String status) {
        MessageRecords.awaitStatus(device, sent, status, WAIT);
    }

    /** "channel:result" for each attempt, oldest first. */
    private static List<String> attempts(JsonNode m) {
        return MessageRecords.attempts(m);
    }

    private static List<SmscSimulator.Submitted> smsTo(String peer) {
        return smsc.submittedTo(peer);
    }

    private static String text(SmscSimulator.Submitted sms) {
        return sms.text();
    }

    /**
     * A forced SMS to a fresh peer, awaited at the SMSC: the SMS worker has drained its queue since
     * anything queued before, so a message that was going to reach the SMSC would have by now.
     */
    private static void quiesce() throws Exception {
        String sentinel = "+4477009008" + String.format("%02d", sentinels.incrementAndGet());
        ObjectNode body = text(sentinel, "sentinel");
        body.put("channel", "sms");
        SentMessage sent = send(body);
        assertEquals("sms", sent.channel());
        Eventually.await("the sentinel SMS", WAIT, () -> smsTo(sentinel).size() == 1);
    }

    private static Instant capabilityExpiry(String peer) throws Exception {
        try (Connection c = gw.jdbc();
             PreparedStatement s = c.prepareStatement("SELECT expires_at FROM rcs_capabilities WHERE provider = ? AND peer = ?")) {
            s.setString(1, RbmProvider.ID);
            s.setString(2, peer);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "a cached capability for " + peer);
                return r.getTimestamp(1).toInstant();
            }
        }
    }
}
