package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.gateway.support.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WebInboxRoutesTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gw.uri() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRootServesThePageWithAScriptPolicyThatAllowsOnlyThisOrigin() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<html"));
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
    }

    @Test
    void unknownApiPathsStillAnswerTheJsonNotFound() throws Exception {
        HttpResponse<String> missing = get("/v1/no-such-thing");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("\"error\""), missing.body());
        HttpResponse<String> noFile = get("/no-such-file.js");
        assertEquals(404, noFile.statusCode());
    }
}
