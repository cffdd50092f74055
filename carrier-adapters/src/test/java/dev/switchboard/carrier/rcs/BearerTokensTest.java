package dev.switchboard.carrier.rcs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BearerTokensTest {
    private static final String SECRET = "p@ss w&rd=+%";

    private WireMockServer wm;
    private Vertx vertx;
    private MutableClock clock;

    @BeforeEach
    void start() {
        wm = new WireMockServer(wireMockConfig().dynamicPort());
        wm.start();
        vertx = Vertx.vertx();
        clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
        wm.stop();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, SECONDS);
    }

    private RcsProviderSettings settings(String token, RcsProviderSettings.OAuth oauth) {
        return new RcsProviderSettings("p", RcsProviderSettings.Type.RBM, wm.baseUrl(), "agent", token, oauth, "client-token",
                List.of(), List.of(), Duration.ofHours(1), Duration.ofSeconds(5), 0, Duration.ofHours(1), Duration.ofMinutes(5));
    }

    private RcsProviderSettings.OAuth oauth() {
        return new RcsProviderSettings.OAuth(wm.baseUrl() + "/oauth2/token", "client/1", SECRET);
    }

    private BearerTokens tokens() {
        return BearerTokens.of(vertx, vertx.createHttpClient(), settings(null, oauth()), Duration.ofSeconds(5), clock);
    }

    private void grant(String state, String token, String next) {
        wm.stubFor(post(urlPathEqualTo("/oauth2/token")).inScenario("grants").whenScenarioStateIs(state)
                .willReturn(okJson("{\"access_token\": \"" + token + "\", \"expires_in\": 3600, \"token_type\": \"Bearer\"}"))
                .willSetStateTo(next));
    }

    private void verifyFetches(int count) {
        wm.verify(count, postRequestedFor(urlPathEqualTo("/oauth2/token")));
    }

    @Test
    void tokenIsFetchedOnceForSeveralCalls() throws Exception {
        grant(Scenario.STARTED, "tok-1", "second");
        grant("second", "tok-2", "spent");
        BearerTokens tokens = tokens();

        assertEquals("tok-1", await(tokens.current()));
        assertEquals("tok-1", await(tokens.current()));
        assertEquals("tok-1", await(tokens.current()));

        verifyFetches(1);
    }

    @Test
    void tokenIsRenewedSixtySecondsBeforeItExpires() throws Exception {
        grant(Scenario.STARTED, "tok-1", "second");
        grant("second", "tok-2", "spent");
        BearerTokens tokens = tokens();
        assertEquals("tok-1", await(tokens.current()));

        clock.advance(Duration.ofSeconds(3600 - 61));
        assertEquals("tok-1", await(tokens.current()));
        clock.advance(Duration.ofSeconds(2));
        assertEquals("tok-2", await(tokens.current()));

        verifyFetches(2);
    }

    @Test
    void concurrentCallersShareOneTokenRequest() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/oauth2/token"))
                .willReturn(okJson("{\"access_token\": \"tok-1\", \"expires_in\": 3600}").withFixedDelay(300)));
        BearerTokens tokens = tokens();

        List<Future<String>> callers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            callers.add(tokens.current());
        }

        for (Future<String> caller : callers) {
            assertEquals("tok-1", await(caller));
        }
        verifyFetches(1);
    }

    @Test
    void tokenRequestIsAFormPostOfTheUrlEncodedClientCredentials() throws Exception {
        grant(Scenario.STARTED, "tok-1", "spent");

        await(tokens().current());

        wm.verify(postRequestedFor(urlPathEqualTo("/oauth2/token"))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withRequestBody(equalTo("grant_type=client_credentials&client_id=client%2F1&client_secret=p%40ss+w%26rd%3D%2B%25")));
    }

    @Test
    void invalidatedTokenIsFetchedAgain() throws Exception {
        grant(Scenario.STARTED, "tok-1", "second");
        grant("second", "tok-2", "spent");
        BearerTokens tokens = tokens();
        assertEquals("tok-1", await(tokens.current()));

        tokens.invalidate("some-older-token");
        assertEquals("tok-1", await(tokens.current()));
        tokens.invalidate("tok-1");
        assertEquals("tok-2", await(tokens.current()));

        verifyFetches(2);
        assertTrue(tokens.refreshable());
    }

    @Test
    void tokenEndpointFailureNamesOnlyTheStatusAndIsNotCached() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/oauth2/token")).inScenario("grants").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("internal details")).willSetStateTo("healed"));
        grant("healed", "tok-1", "spent");
        BearerTokens tokens = tokens();

        ExecutionException failure = assertThrows(ExecutionException.class, () -> await(tokens.current()));
        assertTrue(failure.getCause() instanceof BearerTokens.TokenUnavailable);
        assertEquals("token endpoint: HTTP 500", failure.getCause().getMessage());

        assertEquals("tok-1", await(tokens.current()));
    }

    @Test
    void answerWithoutAccessTokenIsAFailure() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/oauth2/token")).willReturn(okJson("{\"token_type\": \"Bearer\"}")));

        ExecutionException failure = assertThrows(ExecutionException.class, () -> await(tokens().current()));

        assertEquals("token endpoint: no access_token in response", failure.getCause().getMessage());
    }

    @Test
    void staticTokenIsUsedAsIsAndNeverRenewed() throws Exception {
        BearerTokens tokens = BearerTokens.of(vertx, vertx.createHttpClient(), settings("fixed-tok", null),
                Duration.ofSeconds(5), clock);

        tokens.invalidate("fixed-tok");

        assertEquals("fixed-tok", await(tokens.current()));
        assertFalse(tokens.refreshable());
        verifyFetches(0);
    }

    @Test
    void secretsNeverAppearInToString() throws Exception {
        grant(Scenario.STARTED, "tok-1", "spent");
        BearerTokens tokens = tokens();
        await(tokens.current());
        RcsProviderSettings withOauth = settings(null, oauth());
        RcsProviderSettings withToken = settings("fixed-tok", null);

        for (String text : List.of(withOauth.toString(), withOauth.oauth().toString(), tokens.toString(),
                withToken.toString(), BearerTokens.of(vertx, vertx.createHttpClient(), withToken, Duration.ofSeconds(1), clock).toString())) {
            assertFalse(text.contains(SECRET), text);
            assertFalse(text.contains("tok-1"), text);
            assertFalse(text.contains("fixed-tok"), text);
            assertFalse(text.contains("client-token"), text);
        }
    }

    /** A clock the test moves by hand, so token expiry is tested without waiting. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) { this.now = start; }

        void advance(Duration by) { now = now.plus(by); }

        @Override
        public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override
        public Clock withZone(ZoneId zone) { return this; }

        @Override
        public Instant instant() { return now; }
    }
}
