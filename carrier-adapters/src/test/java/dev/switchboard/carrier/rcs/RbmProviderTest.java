package dev.switchboard.carrier.rcs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.inbox.model.Suggestion;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RbmProviderTest {
    private static final String PEER = "+4915112345678";
    private static final String PHONE = "/v1/phones/%2B4915112345678";
    private static final String TOKEN = "static-token-123";
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private WireMockServer wm;
    private Vertx vertx;
    private RbmProvider provider;

    @BeforeEach
    void start() {
        wm = new WireMockServer(wireMockConfig().dynamicPort());
        wm.start();
        vertx = Vertx.vertx();
        provider = new RbmProvider(vertx, settings(wm.baseUrl(), Duration.ofSeconds(5), TOKEN, null));
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
        wm.stop();
    }

    static RcsProviderSettings settings(String baseUrl, Duration timeout, String token, RcsProviderSettings.OAuth oauth) {
        return new RcsProviderSettings("rbm-test", RcsProviderSettings.Type.RBM, baseUrl, "agent-1", token, oauth,
                "client-token", List.of(), List.of("+4930111"), Duration.ofHours(6), timeout, 0,
                Duration.ofHours(1), Duration.ofMinutes(10));
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, SECONDS);
    }

    private SendOutcome sendText(String messageId) throws Exception {
        return await(provider.send(PEER, messageId, new RcsContent(new RcsContent.Text("hi"), List.of()), Duration.ofHours(1)));
    }

    private void answerSendsWith(int status) {
        wm.stubFor(post(urlPathEqualTo(PHONE + "/agentMessages")).willReturn(aResponse().withStatus(status)));
    }

    /** Verifies the one send: path, query, auth and the exact body (no extra fields, no nulls). */
    private void verifySent(String messageId, String expectedBody) {
        wm.verify(1, postRequestedFor(urlPathEqualTo(PHONE + "/agentMessages"))
                .withQueryParam("messageId", equalTo(messageId))
                .withQueryParam("agentId", equalTo("agent-1"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson(expectedBody, false, false)));
        for (LoggedRequest request : wm.findAll(postRequestedFor(anyUrl()))) {
            assertFalse(request.getBodyAsString().contains("null"), request.getBodyAsString());
        }
    }

    @Test
    void textCarriesEverySuggestionTypeAndTtl() throws Exception {
        answerSendsWith(200);
        RcsContent content = new RcsContent(new RcsContent.Text("Pick one"), List.of(
                new Suggestion.Reply("Yes", "yes-1"),
                new Suggestion.Reply("No", null),
                new Suggestion.Dial("Call us", "+4930123456"),
                new Suggestion.ShowLocation("Where", 52.52, 13.405, "Office"),
                new Suggestion.ShowLocation("There", 1.5, -2.25, null),
                new Suggestion.CalendarEvent("Meet", "Demo", "Product demo", "2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z"),
                new Suggestion.OpenUrl("Open", "https://example.com/a?b=c"),
                new Suggestion.ShareLocation("Share")));

        SendOutcome outcome = await(provider.send(PEER, "msg-1", content, Duration.ofMinutes(60)));

        assertEquals(SendOutcome.Kind.ACCEPTED, outcome.kind());
        verifySent("msg-1", """
                {"contentMessage": {"text": "Pick one", "suggestions": [
                  {"reply": {"text": "Yes", "postbackData": "yes-1"}},
                  {"reply": {"text": "No", "postbackData": "No"}},
                  {"action": {"text": "Call us", "postbackData": "Call us", "dialAction": {"phoneNumber": "+4930123456"}}},
                  {"action": {"text": "Where", "postbackData": "Where",
                              "viewLocationAction": {"latLong": {"latitude": 52.52, "longitude": 13.405}, "label": "Office"}}},
                  {"action": {"text": "There", "postbackData": "There",
                              "viewLocationAction": {"latLong": {"latitude": 1.5, "longitude": -2.25}}}},
                  {"action": {"text": "Meet", "postbackData": "Meet", "createCalendarEventAction": {
                              "startTime": "2026-03-01T10:00:00Z", "endTime": "2026-03-01T11:00:00Z",
                              "title": "Demo", "description": "Product demo"}}},
                  {"action": {"text": "Open", "postbackData": "Open", "openUrlAction": {"url": "https://example.com/a?b=c"}}},
                  {"action": {"text": "Share", "postbackData": "Share", "shareLocationAction": {}}}
                ]}, "ttl": "3600s"}
                """);
    }

    @Test
    void fileIsSentAsContentInfoWithoutTtlWhenNoneGiven() throws Exception {
        answerSendsWith(200);
        RcsContent content = new RcsContent(
                new RcsContent.File("https://gw.example/f/abc?sig=1", "image/png", 1234, "a.png"), List.of());

        SendOutcome outcome = await(provider.send(PEER, "msg-2", content, null));

        assertEquals(SendOutcome.Kind.ACCEPTED, outcome.kind());
        verifySent("msg-2", """
                {"contentMessage": {"contentInfo": {"fileUrl": "https://gw.example/f/abc?sig=1", "forceRefresh": false}}}
                """);
    }

    @Test
    void standaloneCardCarriesMediaCardSuggestionsAndMessageSuggestions() throws Exception {
        answerSendsWith(200);
        RcsContent.Card card = new RcsContent.Card("Red shoes", "Size 42", "https://gw.example/m/1", "image/jpeg",
                List.of(new Suggestion.OpenUrl("Buy", "https://shop.example/1")));
        RcsContent content = new RcsContent(new RcsContent.StandaloneCard(card), List.of(new Suggestion.Reply("More", "more")));

        SendOutcome outcome = await(provider.send(PEER, "msg-3", content, Duration.ofSeconds(90)));

        assertEquals(SendOutcome.Kind.ACCEPTED, outcome.kind());
        verifySent("msg-3", """
                {"contentMessage": {
                   "richCard": {"standaloneCard": {"cardOrientation": "VERTICAL", "thumbnailImageAlignment": "LEFT",
                     "cardContent": {"title": "Red shoes", "description": "Size 42",
                       "media": {"height": "MEDIUM", "contentInfo": {"fileUrl": "https://gw.example/m/1", "forceRefresh": false}},
                       "suggestions": [{"action": {"text": "Buy", "postbackData": "Buy", "openUrlAction": {"url": "https://shop.example/1"}}}]}}},
                   "suggestions": [{"reply": {"text": "More", "postbackData": "more"}}]},
                 "ttl": "90s"}
                """);
    }

    @Test
    void carouselIsSentAsCarouselCardWithEveryCard() throws Exception {
        answerSendsWith(200);
        RcsContent content = new RcsContent(new RcsContent.CarouselCard(List.of(
                new RcsContent.Card("One", null, "https://gw.example/m/1", "image/jpeg", List.of(new Suggestion.Reply("Take 1", "p1"))),
                new RcsContent.Card(null, "Two only described", null, null, List.of()),
                new RcsContent.Card("Three", "Third", "https://gw.example/m/3", null, List.of()))), List.of());

        SendOutcome outcome = await(provider.send(PEER, "msg-4", content, Duration.ofSeconds(30)));

        assertEquals(SendOutcome.Kind.ACCEPTED, outcome.kind());
        verifySent("msg-4", """
                {"contentMessage": {"richCard": {"carouselCard": {"cardWidth": "MEDIUM", "cardContents": [
                   {"title": "One",
                    "media": {"height": "MEDIUM", "contentInfo": {"fileUrl": "https://gw.example/m/1", "forceRefresh": false}},
                    "suggestions": [{"reply": {"text": "Take 1", "postbackData": "p1"}}]},
                   {"description": "Two only described"},
                   {"title": "Three", "description": "Third",
                    "media": {"height": "MEDIUM", "contentInfo": {"fileUrl": "https://gw.example/m/3", "forceRefresh": false}}}
                 ]}}},
                 "ttl": "30s"}
                """);
    }

    @Test
    void okMeansAccepted() throws Exception {
        answerSendsWith(200);
        SendOutcome outcome = sendText("m");
        assertEquals(new SendOutcome(SendOutcome.Kind.ACCEPTED, 200, "HTTP 200"), outcome);
    }

    @Test
    void notFoundMeansUnreachable() throws Exception {
        answerSendsWith(404);
        assertEquals(new SendOutcome(SendOutcome.Kind.UNREACHABLE, 404, "HTTP 404"), sendText("m"));
    }

    @Test
    void badRequestMeansUnsupported() throws Exception {
        answerSendsWith(400);
        assertEquals(SendOutcome.Kind.UNSUPPORTED, sendText("m").kind());
    }

    @Test
    void tooManyRequestsIsRetryable() throws Exception {
        answerSendsWith(429);
        assertEquals(new SendOutcome(SendOutcome.Kind.RETRYABLE, 429, "HTTP 429"), sendText("m"));
    }

    @Test
    void serverErrorIsRetryable() throws Exception {
        answerSendsWith(500);
        assertEquals(new SendOutcome(SendOutcome.Kind.RETRYABLE, 500, "HTTP 500"), sendText("m"));
    }

    @Test
    void duplicateMessageIdCountsAsAccepted() throws Exception {
        answerSendsWith(409);
        assertEquals(new SendOutcome(SendOutcome.Kind.ACCEPTED, 409, "HTTP 409"), sendText("m"));
    }

    @Test
    void payloadTooLargeIsRejected() throws Exception {
        answerSendsWith(413);
        assertEquals(SendOutcome.Kind.REJECTED, sendText("m").kind());
    }

    @Test
    void refusedStaticTokenIsRejectedWithoutRetry() throws Exception {
        answerSendsWith(401);
        SendOutcome outcome = sendText("m");
        assertEquals(new SendOutcome(SendOutcome.Kind.REJECTED, 401, "HTTP 401"), outcome);
        wm.verify(1, postRequestedFor(urlPathEqualTo(PHONE + "/agentMessages")));
    }

    @Test
    void slowProviderTimesOutAsRetryable() throws Exception {
        wm.stubFor(post(urlPathEqualTo(PHONE + "/agentMessages")).willReturn(aResponse().withStatus(200).withFixedDelay(2000)));
        RbmProvider impatient = new RbmProvider(vertx, settings(wm.baseUrl(), Duration.ofMillis(300), TOKEN, null));

        SendOutcome outcome = await(impatient.send(PEER, "m", new RcsContent(new RcsContent.Text("hi"), List.of()), null));

        assertEquals(new SendOutcome(SendOutcome.Kind.RETRYABLE, 0, "timeout after 300 ms"), outcome);
    }

    @Test
    void unreachableServerIsRetryable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RbmProvider nowhere = new RbmProvider(vertx, settings("http://127.0.0.1:" + closedPort, Duration.ofSeconds(5), TOKEN, null));

        SendOutcome outcome = await(nowhere.send(PEER, "m", new RcsContent(new RcsContent.Text("hi"), List.of()), null));

        assertEquals(SendOutcome.Kind.RETRYABLE, outcome.kind());
        assertTrue(outcome.detail().startsWith("connection failed: "), outcome.detail());
        assertFalse(outcome.detail().contains(TOKEN));
    }

    @Test
    void httpsBaseUrlIsSpokenOverTlsTrustingOnlyTheDefaultTrustStore() throws Exception {
        WireMockServer tls = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort());
        tls.start();
        try {
            tls.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)));
            RbmProvider secure = new RbmProvider(vertx,
                    settings("https://localhost:" + tls.httpsPort(), Duration.ofSeconds(5), TOKEN, null));

            SendOutcome outcome = await(secure.send(PEER, "m", new RcsContent(new RcsContent.Text("hi"), List.of()), null));

            // WireMock's self-signed certificate is not in the JDK trust store: the handshake must fail.
            assertEquals(SendOutcome.Kind.RETRYABLE, outcome.kind());
            assertTrue(outcome.detail().startsWith("connection failed: "), outcome.detail());
            assertTrue(tls.getAllServeEvents().isEmpty());
        } finally {
            tls.stop();
        }
    }

    @Test
    void reachableUserReportsItsFeatures() throws Exception {
        wm.stubFor(get(urlPathEqualTo(PHONE + "/capabilities"))
                .willReturn(okJson("{\"features\": [\"RICHCARD_STANDALONE\", \"ACTION_DIAL\"]}")));

        RcsCapability capability = await(provider.capabilities(PEER));

        assertEquals(RcsCapability.reachable(Set.of("RICHCARD_STANDALONE", "ACTION_DIAL")), capability);
        wm.verify(getRequestedFor(urlPathEqualTo(PHONE + "/capabilities"))
                .withQueryParam("requestId", matching(UUID_PATTERN))
                .withQueryParam("agentId", equalTo("agent-1"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void capabilityNotFoundMeansUnreachable() throws Exception {
        wm.stubFor(get(urlPathEqualTo(PHONE + "/capabilities")).willReturn(aResponse().withStatus(404)));
        assertEquals(RcsCapability.unreachable(), await(provider.capabilities(PEER)));
    }

    @Test
    void capabilityServerErrorIsUnknown() throws Exception {
        wm.stubFor(get(urlPathEqualTo(PHONE + "/capabilities")).willReturn(aResponse().withStatus(500)));
        assertEquals(RcsCapability.unknown(), await(provider.capabilities(PEER)));
    }

    @Test
    void capabilityTimeoutIsUnknown() throws Exception {
        wm.stubFor(get(urlPathEqualTo(PHONE + "/capabilities")).willReturn(okJson("{\"features\": []}").withFixedDelay(2000)));
        RbmProvider impatient = new RbmProvider(vertx, settings(wm.baseUrl(), Duration.ofMillis(300), TOKEN, null));
        assertEquals(RcsCapability.unknown(), await(impatient.capabilities(PEER)));
    }

    @Test
    void revokeIsConfirmedByOk() throws Exception {
        wm.stubFor(any(urlPathEqualTo(PHONE + "/agentMessages/msg-9")).willReturn(aResponse().withStatus(200).withBody("{}")));

        RevokeOutcome outcome = await(provider.revoke(PEER, "msg-9"));

        assertEquals(new RevokeOutcome(true, 200, "HTTP 200"), outcome);
        wm.verify(deleteRequestedFor(urlPathEqualTo(PHONE + "/agentMessages/msg-9"))
                .withQueryParam("agentId", equalTo("agent-1"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void revokeOfUnknownMessageIsNotConfirmed() throws Exception {
        wm.stubFor(any(urlPathEqualTo(PHONE + "/agentMessages/msg-9")).willReturn(aResponse().withStatus(404)));
        assertEquals(new RevokeOutcome(false, 404, "HTTP 404"), await(provider.revoke(PEER, "msg-9")));
    }

    @Test
    void revokeServerErrorIsNotConfirmed() throws Exception {
        wm.stubFor(any(urlPathEqualTo(PHONE + "/agentMessages/msg-9")).willReturn(aResponse().withStatus(500)));
        assertEquals(new RevokeOutcome(false, 500, "HTTP 500"), await(provider.revoke(PEER, "msg-9")));
    }

    @Test
    void readReceiptIsPostedAsReadEvent() throws Exception {
        wm.stubFor(post(urlPathEqualTo(PHONE + "/agentEvents")).willReturn(aResponse().withStatus(200)));

        SendOutcome outcome = await(provider.read(PEER, "their-msg-1", "evt-1"));

        assertEquals(SendOutcome.Kind.ACCEPTED, outcome.kind());
        wm.verify(postRequestedFor(urlPathEqualTo(PHONE + "/agentEvents"))
                .withQueryParam("eventId", equalTo("evt-1"))
                .withQueryParam("agentId", equalTo("agent-1"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(equalToJson("{\"eventType\": \"READ\", \"messageId\": \"their-msg-1\"}", false, false)));
    }

    @Test
    void typingIsPostedAsIsTypingEvent() throws Exception {
        wm.stubFor(post(urlPathEqualTo(PHONE + "/agentEvents")).willReturn(aResponse().withStatus(200)));

        SendOutcome outcome = await(provider.typing(PEER, "evt-2"));

        assertEquals(SendOutcome.Kind.ACCEPTED, outcome.kind());
        wm.verify(postRequestedFor(urlPathEqualTo(PHONE + "/agentEvents"))
                .withQueryParam("eventId", equalTo("evt-2"))
                .withQueryParam("agentId", equalTo("agent-1"))
                .withRequestBody(equalToJson("{\"eventType\": \"IS_TYPING\"}", false, false)));
    }

    @Test
    void eventOutcomesFollowTheSameMapping() throws Exception {
        wm.stubFor(post(urlPathEqualTo(PHONE + "/agentEvents")).willReturn(aResponse().withStatus(503)));
        assertEquals(SendOutcome.Kind.RETRYABLE, await(provider.typing(PEER, "evt-3")).kind());
        assertEquals(SendOutcome.Kind.RETRYABLE, await(provider.read(PEER, "m", "evt-4")).kind());
    }

    private RbmProvider oauthProvider() {
        return new RbmProvider(vertx, settings(wm.baseUrl(), Duration.ofSeconds(5), null,
                new RcsProviderSettings.OAuth(wm.baseUrl() + "/oauth/token", "client-1", "very-secret")));
    }

    private void tokenEndpointGrants(String state, String token, String next) {
        wm.stubFor(post(urlPathEqualTo("/oauth/token")).inScenario("tokens").whenScenarioStateIs(state)
                .willReturn(okJson("{\"access_token\": \"" + token + "\", \"expires_in\": 3600, \"token_type\": \"Bearer\"}"))
                .willSetStateTo(next));
    }

    @Test
    void oauthTokenIsFetchedOnceForSeveralSends() throws Exception {
        tokenEndpointGrants(Scenario.STARTED, "tok-1", "spent");
        answerSendsWith(200);
        RbmProvider oauth = oauthProvider();

        for (int i = 0; i < 3; i++) {
            assertEquals(SendOutcome.Kind.ACCEPTED,
                    await(oauth.send(PEER, "m" + i, new RcsContent(new RcsContent.Text("hi"), List.of()), null)).kind());
        }

        wm.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));
        wm.verify(3, postRequestedFor(urlPathEqualTo(PHONE + "/agentMessages")).withHeader("Authorization", equalTo("Bearer tok-1")));
    }

    @Test
    void refusedOauthTokenIsRenewedAndTheSendRetriedOnce() throws Exception {
        tokenEndpointGrants(Scenario.STARTED, "tok-old", "renewed");
        tokenEndpointGrants("renewed", "tok-new", "spent");
        wm.stubFor(post(urlPathEqualTo(PHONE + "/agentMessages")).withHeader("Authorization", equalTo("Bearer tok-old"))
                .willReturn(aResponse().withStatus(401)));
        wm.stubFor(post(urlPathEqualTo(PHONE + "/agentMessages")).withHeader("Authorization", equalTo("Bearer tok-new"))
                .willReturn(aResponse().withStatus(200)));

        SendOutcome outcome = await(oauthProvider().send(PEER, "m", new RcsContent(new RcsContent.Text("hi"), List.of()), null));

        assertEquals(new SendOutcome(SendOutcome.Kind.ACCEPTED, 200, "HTTP 200"), outcome);
        wm.verify(2, postRequestedFor(urlPathEqualTo("/oauth/token")));
        wm.verify(2, postRequestedFor(urlPathEqualTo(PHONE + "/agentMessages")));
    }

    @Test
    void oauthTokenRefusedTwiceIsRejected() throws Exception {
        tokenEndpointGrants(Scenario.STARTED, "tok-1", "renewed");
        tokenEndpointGrants("renewed", "tok-2", "spent");
        answerSendsWith(403);

        SendOutcome outcome = await(oauthProvider().send(PEER, "m", new RcsContent(new RcsContent.Text("hi"), List.of()), null));

        assertEquals(new SendOutcome(SendOutcome.Kind.REJECTED, 403, "HTTP 403"), outcome);
        wm.verify(2, postRequestedFor(urlPathEqualTo(PHONE + "/agentMessages")));
    }

    @Test
    void tokenEndpointFailureMakesTheSendRetryable() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse().withStatus(500)));
        answerSendsWith(200);

        SendOutcome outcome = await(oauthProvider().send(PEER, "m", new RcsContent(new RcsContent.Text("hi"), List.of()), null));

        assertEquals(new SendOutcome(SendOutcome.Kind.RETRYABLE, 0, "token endpoint: HTTP 500"), outcome);
        wm.verify(0, postRequestedFor(urlPathEqualTo(PHONE + "/agentMessages")));
    }

    @Test
    void providerFactoryPicksTheProfileFromTheType() {
        assertTrue(RcsProviders.create(vertx, settings(wm.baseUrl(), Duration.ofSeconds(1), TOKEN, null)) instanceof RbmProvider);
        RcsProviderSettings maap = new RcsProviderSettings("maap", RcsProviderSettings.Type.MAAP, wm.baseUrl(), "bot",
                TOKEN, null, null, List.of(), List.of(), null, Duration.ofSeconds(1), 0, null, null);
        RcsProvider created = RcsProviders.create(vertx, maap);
        assertTrue(created instanceof MaapProvider);
        assertEquals("maap", created.id());
    }
}
