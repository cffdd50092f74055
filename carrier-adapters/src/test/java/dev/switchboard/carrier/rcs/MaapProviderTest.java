package dev.switchboard.carrier.rcs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.inbox.model.Suggestion;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MaapProviderTest {
    private static final String PEER = "+447700900123";
    private static final String ROOT = "/rcs/bot/v1/bot-7";
    private static final String TOKEN = "maap-token-xyz";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-01T12:00:00Z"), ZoneOffset.UTC);

    private WireMockServer wm;
    private Vertx vertx;
    private MaapProvider provider;

    @BeforeEach
    void start() {
        wm = new WireMockServer(wireMockConfig().dynamicPort());
        wm.start();
        vertx = Vertx.vertx();
        provider = new MaapProvider(vertx, settings(wm.baseUrl(), Duration.ofSeconds(5), TOKEN, null), CLOCK);
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
        wm.stop();
    }

    private static RcsProviderSettings settings(String baseUrl, Duration timeout, String token, RcsProviderSettings.OAuth oauth) {
        return new RcsProviderSettings("maap-test", RcsProviderSettings.Type.MAAP, baseUrl, "bot-7", token, oauth,
                null, List.of("203.0.113.7"), List.of("+4930111"), Duration.ofHours(6), timeout, 0,
                Duration.ofHours(1), Duration.ofMinutes(10));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, SECONDS);
    }

    private SendOutcome sendText() throws Exception {
        return await(provider.send(PEER, "m", new RcsContent(new RcsContent.Text("hi"), List.of()), Duration.ofHours(1)));
    }

    private void answerMessagesWith(int status) {
        wm.stubFor(post(urlPathEqualTo(ROOT + "/messages")).willReturn(aResponse().withStatus(status)));
    }

    /** Verifies the one post to /messages: auth and the exact body (no extra fields, no nulls). */
    private void verifyPosted(String expectedBody) {
        wm.verify(1, postRequestedFor(urlPathEqualTo(ROOT + "/messages"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson(expectedBody, false, false)));
        for (LoggedRequest request : wm.findAll(postRequestedFor(anyUrl()))) {
            assertFalse(request.getBodyAsString().contains("null"), request.getBodyAsString());
        }
    }

    @Test
    void textCarriesEverySuggestionTypeAsChipsAndAnExpiry() throws Exception {
        answerMessagesWith(202);
        RcsContent content = new RcsContent(new RcsContent.Text("Pick one"), List.of(
                new Suggestion.Reply("Yes", "yes-1"),
                new Suggestion.Reply("No", null),
                new Suggestion.Dial("Call us", "+4930123456"),
                new Suggestion.OpenUrl("Open", "https://example.com/a?b=c"),
                new Suggestion.ShowLocation("Where", 52.52, 13.405, "Office"),
                new Suggestion.ShowLocation("There", 1.5, -2.25, null),
                new Suggestion.ShareLocation("Share"),
                new Suggestion.CalendarEvent("Meet", "Demo", "Product demo", "2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z")));

        SendOutcome outcome = await(provider.send(PEER, "msg-1", content, Duration.ofHours(1)));

        assertEquals(new SendOutcome(SendOutcome.Kind.ACCEPTED, 202, "HTTP 202"), outcome);
        verifyPosted("""
                {"RCSMessage": {"msgId": "msg-1", "textMessage": "Pick one",
                  "suggestedChipList": {"suggestions": [
                    {"reply": {"displayText": "Yes", "postback": {"data": "yes-1"}}},
                    {"reply": {"displayText": "No", "postback": {"data": "No"}}},
                    {"action": {"displayText": "Call us", "postback": {"data": "Call us"},
                                "dialerAction": {"dialPhoneNumber": {"phoneNumber": "+4930123456"}}}},
                    {"action": {"displayText": "Open", "postback": {"data": "Open"},
                                "urlAction": {"openUrl": {"url": "https://example.com/a?b=c"}}}},
                    {"action": {"displayText": "Where", "postback": {"data": "Where"},
                                "mapAction": {"showLocation": {"location": {"latitude": 52.52, "longitude": 13.405, "label": "Office"}}}}},
                    {"action": {"displayText": "There", "postback": {"data": "There"},
                                "mapAction": {"showLocation": {"location": {"latitude": 1.5, "longitude": -2.25}}}}},
                    {"action": {"displayText": "Share", "postback": {"data": "Share"},
                                "mapAction": {"requestLocationPush": {}}}},
                    {"action": {"displayText": "Meet", "postback": {"data": "Meet"},
                                "calendarAction": {"createCalendarEvent": {"startTime": "2026-03-01T10:00:00Z",
                                   "endTime": "2026-03-01T11:00:00Z", "title": "Demo", "description": "Product demo"}}}}
                  ]},
                  "expiry": "2026-05-01T13:00:00Z"},
                 "messageContact": {"userContact": "+447700900123"}}
                """);
    }

    @Test
    void fileIsSentAsFileMessageWithoutExpiryWhenNoTtl() throws Exception {
        answerMessagesWith(202);
        RcsContent content = new RcsContent(
                new RcsContent.File("https://gw.example/f/abc?sig=1", "application/pdf", 52100, "invoice.pdf"), List.of());

        SendOutcome outcome = await(provider.send(PEER, "msg-2", content, null));

        assertEquals(SendOutcome.Kind.ACCEPTED, outcome.kind());
        verifyPosted("""
                {"RCSMessage": {"msgId": "msg-2", "fileMessage": {"fileUrl": "https://gw.example/f/abc?sig=1",
                   "fileMIMEType": "application/pdf", "fileSize": 52100, "fileName": "invoice.pdf"}},
                 "messageContact": {"userContact": "+447700900123"}}
                """);
    }

    @Test
    void fileWithoutNameLeavesFileNameOut() throws Exception {
        answerMessagesWith(202);
        RcsContent content = new RcsContent(new RcsContent.File("https://gw.example/f/x", "image/png", 10, null), List.of());

        await(provider.send(PEER, "msg-2b", content, Duration.ZERO));

        verifyPosted("""
                {"RCSMessage": {"msgId": "msg-2b", "fileMessage": {"fileUrl": "https://gw.example/f/x",
                   "fileMIMEType": "image/png", "fileSize": 10}},
                 "messageContact": {"userContact": "+447700900123"}}
                """);
    }

    @Test
    void standaloneCardIsSentAsGeneralPurposeCardWithMediaAndSuggestions() throws Exception {
        answerMessagesWith(202);
        RcsContent.Card card = new RcsContent.Card("Red shoes", "Size 42", "https://gw.example/m/1", "image/jpeg",
                List.of(new Suggestion.OpenUrl("Buy", "https://shop.example/1")));
        RcsContent content = new RcsContent(new RcsContent.StandaloneCard(card), List.of(new Suggestion.Reply("More", "more")));

        await(provider.send(PEER, "msg-3", content, Duration.ofSeconds(90)));

        verifyPosted("""
                {"RCSMessage": {"msgId": "msg-3",
                  "richcardMessage": {"message": {"generalPurposeCard": {
                    "layout": {"cardOrientation": "VERTICAL"},
                    "content": {"title": "Red shoes", "description": "Size 42",
                      "media": {"mediaUrl": "https://gw.example/m/1", "mediaContentType": "image/jpeg", "height": "MEDIUM_HEIGHT"},
                      "suggestions": [{"action": {"displayText": "Buy", "postback": {"data": "Buy"},
                                                  "urlAction": {"openUrl": {"url": "https://shop.example/1"}}}}]}}}},
                  "suggestedChipList": {"suggestions": [{"reply": {"displayText": "More", "postback": {"data": "more"}}}]},
                  "expiry": "2026-05-01T12:01:30Z"},
                 "messageContact": {"userContact": "+447700900123"}}
                """);
    }

    @Test
    void carouselIsSentAsGeneralPurposeCardCarouselWithEveryCard() throws Exception {
        answerMessagesWith(202);
        RcsContent content = new RcsContent(new RcsContent.CarouselCard(List.of(
                new RcsContent.Card("One", null, "https://gw.example/m/1", "image/jpeg", List.of(new Suggestion.Reply("Take 1", "p1"))),
                new RcsContent.Card(null, "Two only described", null, null, List.of()))), List.of());

        await(provider.send(PEER, "msg-4", content, null));

        verifyPosted("""
                {"RCSMessage": {"msgId": "msg-4",
                  "richcardMessage": {"message": {"generalPurposeCardCarousel": {
                    "layout": {"cardWidth": "MEDIUM_WIDTH"},
                    "content": [
                      {"title": "One",
                       "media": {"mediaUrl": "https://gw.example/m/1", "mediaContentType": "image/jpeg", "height": "MEDIUM_HEIGHT"},
                       "suggestions": [{"reply": {"displayText": "Take 1", "postback": {"data": "p1"}}}]},
                      {"description": "Two only described"}]}}}},
                 "messageContact": {"userContact": "+447700900123"}}
                """);
    }

    @Test
    void okIsAcceptedToo() throws Exception {
        answerMessagesWith(200);
        assertEquals(SendOutcome.Kind.ACCEPTED, sendText().kind());
    }

    @Test
    void notFoundMeansUnreachable() throws Exception {
        answerMessagesWith(404);
        assertEquals(new SendOutcome(SendOutcome.Kind.UNREACHABLE, 404, "HTTP 404"), sendText());
    }

    @Test
    void badRequestMeansUnsupported() throws Exception {
        answerMessagesWith(400);
        assertEquals(SendOutcome.Kind.UNSUPPORTED, sendText().kind());
    }

    @Test
    void tooManyRequestsIsRetryable() throws Exception {
        answerMessagesWith(429);
        assertEquals(SendOutcome.Kind.RETRYABLE, sendText().kind());
    }

    @Test
    void serverErrorIsRetryable() throws Exception {
        answerMessagesWith(502);
        assertEquals(new SendOutcome(SendOutcome.Kind.RETRYABLE, 502, "HTTP 502"), sendText());
    }

    @Test
    void duplicateMessageIdCountsAsAccepted() throws Exception {
        answerMessagesWith(409);
        assertEquals(SendOutcome.Kind.ACCEPTED, sendText().kind());
    }

    @Test
    void forbiddenWithStaticTokenIsRejected() throws Exception {
        answerMessagesWith(403);
        assertEquals(SendOutcome.Kind.REJECTED, sendText().kind());
        wm.verify(1, postRequestedFor(urlPathEqualTo(ROOT + "/messages")));
    }

    @Test
    void slowProviderTimesOutAsRetryable() throws Exception {
        wm.stubFor(post(urlPathEqualTo(ROOT + "/messages")).willReturn(aResponse().withStatus(202).withFixedDelay(2000)));
        MaapProvider impatient = new MaapProvider(vertx, settings(wm.baseUrl(), Duration.ofMillis(300), TOKEN, null), CLOCK);

        SendOutcome outcome = await(impatient.send(PEER, "m", new RcsContent(new RcsContent.Text("hi"), List.of()), null));

        assertEquals(new SendOutcome(SendOutcome.Kind.RETRYABLE, 0, "timeout after 300 ms"), outcome);
    }

    @Test
    void typingIsPostedAsActiveIsTyping() throws Exception {
        answerMessagesWith(202);

        SendOutcome outcome = await(provider.typing(PEER, "evt-1"));

        assertEquals(SendOutcome.Kind.ACCEPTED, outcome.kind());
        verifyPosted("""
                {"RCSMessage": {"isTyping": "active"}, "messageContact": {"userContact": "+447700900123"}}
                """);
    }

    @Test
    void readReceiptPutsDisplayedStatus() throws Exception {
        wm.stubFor(put(urlPathEqualTo(ROOT + "/messages/their-msg-1/status")).willReturn(aResponse().withStatus(204)));

        SendOutcome outcome = await(provider.read(PEER, "their-msg-1", "evt-2"));

        assertEquals(SendOutcome.Kind.ACCEPTED, outcome.kind());
        wm.verify(putRequestedFor(urlPathEqualTo(ROOT + "/messages/their-msg-1/status"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(equalToJson("{\"RCSMessage\": {\"status\": \"displayed\"}}", false, false)));
    }

    @Test
    void revokePutsCancelledStatusAndIsConfirmedBy2xx() throws Exception {
        wm.stubFor(put(urlPathEqualTo(ROOT + "/messages/msg-9/status")).willReturn(aResponse().withStatus(200)));

        RevokeOutcome outcome = await(provider.revoke(PEER, "msg-9"));

        assertEquals(new RevokeOutcome(true, 200, "HTTP 200"), outcome);
        wm.verify(putRequestedFor(urlPathEqualTo(ROOT + "/messages/msg-9/status"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(equalToJson("{\"RCSMessage\": {\"status\": \"cancelled\"}}", false, false)));
    }

    @Test
    void revokeOfUnknownMessageIsNotConfirmed() throws Exception {
        wm.stubFor(put(urlPathEqualTo(ROOT + "/messages/msg-9/status")).willReturn(aResponse().withStatus(404)));
        assertEquals(new RevokeOutcome(false, 404, "HTTP 404"), await(provider.revoke(PEER, "msg-9")));
    }

    @Test
    void revokeServerErrorIsNotConfirmed() throws Exception {
        wm.stubFor(put(urlPathEqualTo(ROOT + "/messages/msg-9/status")).willReturn(aResponse().withStatus(500)));
        assertEquals(new RevokeOutcome(false, 500, "HTTP 500"), await(provider.revoke(PEER, "msg-9")));
    }

    @Test
    void capabilityAnswerWithoutListMeansEveryUpFeature() throws Exception {
        wm.stubFor(get(urlPathEqualTo(ROOT + "/contactCapabilities")).willReturn(okJson("{}")));

        RcsCapability capability = await(provider.capabilities(PEER));

        assertEquals(RcsCapability.reachable(Set.of("RICHCARD_STANDALONE", "RICHCARD_CAROUSEL", "ACTION_CREATE_CALENDAR_EVENT",
                "ACTION_DIAL", "ACTION_OPEN_URL", "ACTION_SHARE_LOCATION", "ACTION_VIEW_LOCATION", "REVOCATION")), capability);
        wm.verify(getRequestedFor(urlPathEqualTo(ROOT + "/contactCapabilities"))
                .withQueryParam("userContact", equalTo(PEER))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        assertEquals(ROOT + "/contactCapabilities?userContact=%2B447700900123",
                wm.findAll(getRequestedFor(anyUrl())).get(0).getUrl());
    }

    @Test
    void capabilityListInTheAnswerIsUsed() throws Exception {
        wm.stubFor(get(urlPathEqualTo(ROOT + "/contactCapabilities"))
                .willReturn(okJson("{\"capabilities\": [\"ACTION_DIAL\", \"RICHCARD_STANDALONE\"]}")));
        assertEquals(RcsCapability.reachable(Set.of("ACTION_DIAL", "RICHCARD_STANDALONE")), await(provider.capabilities(PEER)));
    }

    @Test
    void capabilityNotFoundMeansUnreachable() throws Exception {
        wm.stubFor(get(urlPathEqualTo(ROOT + "/contactCapabilities")).willReturn(aResponse().withStatus(404)));
        assertEquals(RcsCapability.unreachable(), await(provider.capabilities(PEER)));
    }

    @Test
    void capabilityServerErrorIsUnknown() throws Exception {
        wm.stubFor(get(urlPathEqualTo(ROOT + "/contactCapabilities")).willReturn(aResponse().withStatus(500)));
        assertEquals(RcsCapability.unknown(), await(provider.capabilities(PEER)));
    }

    @Test
    void refusedOauthTokenIsRenewedAndTheSendRetriedOnce() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/token")).inScenario("tokens").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"access_token\": \"tok-old\", \"expires_in\": 3600, \"token_type\": \"Bearer\"}"))
                .willSetStateTo("renewed"));
        wm.stubFor(post(urlPathEqualTo("/token")).inScenario("tokens").whenScenarioStateIs("renewed")
                .willReturn(okJson("{\"access_token\": \"tok-new\", \"expires_in\": 3600, \"token_type\": \"Bearer\"}")));
        wm.stubFor(post(urlPathEqualTo(ROOT + "/messages")).withHeader("Authorization", equalTo("Bearer tok-old"))
                .willReturn(aResponse().withStatus(401)));
        wm.stubFor(post(urlPathEqualTo(ROOT + "/messages")).withHeader("Authorization", equalTo("Bearer tok-new"))
                .willReturn(aResponse().withStatus(202)));
        MaapProvider oauth = new MaapProvider(vertx, settings(wm.baseUrl(), Duration.ofSeconds(5), null,
                new RcsProviderSettings.OAuth(wm.baseUrl() + "/token", "bot-client", "bot-secret")), CLOCK);

        SendOutcome outcome = await(oauth.send(PEER, "m", new RcsContent(new RcsContent.Text("hi"), List.of()), null));

        assertEquals(new SendOutcome(SendOutcome.Kind.ACCEPTED, 202, "HTTP 202"), outcome);
        wm.verify(2, postRequestedFor(urlPathEqualTo("/token")));
        wm.verify(2, postRequestedFor(urlPathEqualTo(ROOT + "/messages")));
    }
}
