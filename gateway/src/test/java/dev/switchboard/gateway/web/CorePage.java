package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.gateway.support.Browser;
import dev.switchboard.gateway.support.TestGateway;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A Chromium page on the running gateway's origin (a secure context, so WebCrypto works) in which
 * a test runs async JavaScript that imports the web inbox's core modules the way the page does:
 * {@code await import('/js/core/x.js')}, served by the gateway itself. The test page
 * ({@code /test/blank.html}, from the test classpath) loads no script of its own.
 */
final class CorePage implements AutoCloseable {

    private static final HexFormat HEX = HexFormat.of();

    private final Browser browser;

    private CorePage(Browser browser) {
        this.browser = browser;
    }

    static CorePage open(TestGateway gw) {
        Browser browser = Browser.open();
        browser.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(90));
        browser.driver().get(gw.uri() + "/test/blank.html");
        return new CorePage(browser);
    }

    Browser browser() {
        return browser;
    }

    /**
     * Runs {@code body} (the body of an async function: {@code args} holds the arguments, it may
     * {@code return} a JSON-able value) and returns what it returned; a thrown error fails the test.
     */
    Object run(String body, Object... args) {
        Map<String, Object> outcome = execute(body, args);
        if (outcome.containsKey("error")) {
            fail("the page's script failed: " + outcome.get("error"));
        }
        return outcome.get("ok");
    }

    /** Runs {@code body}, which must throw; returns {@code {code, message}} of what it threw. */
    @SuppressWarnings("unchecked")
    Map<String, Object> runExpectingError(String body, Object... args) {
        Map<String, Object> outcome = execute(body, args);
        if (!outcome.containsKey("error")) {
            fail("the page's script was expected to fail, it returned " + outcome.get("ok"));
        }
        return outcome;
    }

    @SuppressWarnings("unchecked")
    String text(String body, Object... args) {
        return (String) run(body, args);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String body, Object... args) {
        return (Map<String, Object>) run(body, args);
    }

    @SuppressWarnings("unchecked")
    List<Object> list(String body, Object... args) {
        return (List<Object>) run(body, args);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> execute(String body, Object... args) {
        String script = """
                const done = arguments[arguments.length - 1];
                const args = Array.prototype.slice.call(arguments, 0, arguments.length - 1);
                (async () => {
                """ + body + """
                })().then(ok => done({ok: ok === undefined ? null : ok}),
                    e => done({error: String(e && e.stack || e), code: e && e.code ? String(e.code) : null,
                               message: e && e.message ? String(e.message) : String(e)}));
                """;
        return (Map<String, Object>) browser.driver().executeAsyncScript(script, args);
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    static byte[] bytes(Object hex) {
        return HEX.parseHex((String) hex);
    }

    @Override
    public void close() {
        browser.close();
    }
}
