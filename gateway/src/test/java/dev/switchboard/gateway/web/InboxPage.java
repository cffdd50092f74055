package dev.switchboard.gateway.web;

import dev.switchboard.gateway.support.Browser;
import dev.switchboard.gateway.support.Device;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The web inbox as a person uses it, through its stable hooks ({@code #link-qr[data-qr]},
 * {@code #conversation-list [data-peer]}, {@code #thread .message[data-status]}, {@code #composer
 * textarea}, ...). Reads go through one script call each, so a re-render between two WebDriver
 * calls cannot leave a stale element in hand.
 */
final class InboxPage {
    static final Duration WAIT = Duration.ofSeconds(30);
    /** docs/screenshots of the repository (tests run in the gateway module folder). */
    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "..", "docs", "screenshots").toAbsolutePath().normalize();

    /** One message as the thread shows it. */
    record Shown(String id, String status, String direction, String text, String title) {
    }

    final Browser browser;
    final URI base;

    InboxPage(Browser browser, URI base) {
        this.browser = browser;
        this.base = base;
    }

    /**
     * Installed (over DevTools, before any of the page's scripts) in every document the browser
     * loads: records Content-Security-Policy violations, console errors, uncaught errors and
     * unhandled rejections in sessionStorage, so a reload keeps what the earlier document saw (but
     * not what failed while that document was being unloaded).
     */
    static final String WATCH_PROBLEMS = """
            (() => {
              if (window.__problemsWatched) return;
              window.__problemsWatched = true;
              // Requests a document still had running when it is navigated away from fail as it
              // goes: not the page's problem, so nothing is noted once it is being unloaded.
              let leaving = false;
              window.addEventListener('pagehide', () => { leaving = true; }, true);
              window.addEventListener('beforeunload', () => { leaving = true; }, true);
              const note = (kind, text) => {
                if (leaving) return;
                try {
                  const all = JSON.parse(sessionStorage.getItem('__problems') || '[]');
                  all.push(kind + ': ' + text);
                  sessionStorage.setItem('__problems', JSON.stringify(all));
                } catch (e) { /* opaque origin (about:blank) */ }
              };
              document.addEventListener('securitypolicyviolation', (e) =>
                note('csp', e.violatedDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber), true);
              window.addEventListener('error', (e) => note('error', e.message || String(e.target && (e.target.src || e.target.href))), true);
              window.addEventListener('unhandledrejection', (e) => note('rejection', String(e.reason && (e.reason.stack || e.reason))));
              const original = console.error;
              console.error = function (...args) {
                note('console.error', args.map((a) => a && a.stack ? a.stack : String(a)).join(' '));
                return original.apply(this, args);
              };
            })();""";

    /** Opens the page at {@code base} (the gateway, or a proxy in front of it). */
    static InboxPage open(Browser browser, URI base) {
        InboxPage page = new InboxPage(browser, base);
        watchProblems(browser);
        browser.driver().get(base.resolve("/").toString());
        return page;
    }

    private static final java.util.Set<Browser> WATCHED = java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());

    static synchronized void watchProblems(Browser browser) {
        if (WATCHED.add(browser)) {
            browser.cdp("Page.addScriptToEvaluateOnNewDocument", Map.of("source", WATCH_PROBLEMS));
        }
    }

    /** The CSP violations, console errors, uncaught errors and unhandled rejections this tab recorded. */
    @SuppressWarnings("unchecked")
    List<String> problems() {
        return (List<String>) js("try { return JSON.parse(sessionStorage.getItem('__problems') || '[]'); } catch (e) { return []; }");
    }

    /** Every page test ends with this: no CSP violation, console error, uncaught error or rejection. */
    void assertNoProblems() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new AssertionError("the page reported problems: " + problems);
        }
    }

    /** A fresh browser linked to {@code primary}'s number: scan (read data-qr), approve with the Java client, inbox. */
    static InboxPage linked(Browser browser, URI base, Device primary) {
        InboxPage page = open(browser, base);
        String qr = page.awaitQr();
        primary.client().approveLink(qr, primary.keys());
        page.awaitInbox();
        return page;
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser.driver()).executeScript(script, args);
    }

    void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        try {
            browser.waitUpTo(timeout).pollingEvery(Duration.ofMillis(20)).withMessage(what).until(d -> condition.getAsBoolean());
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "; the thread shows " + messages()
                    + " and the list " + js("return [...document.querySelectorAll('#conversation-list [data-peer]')].map(e => e.dataset.peer + ':' + e.textContent)"), e);
        }
    }

    /** Clicks what {@code by} finds, finding it again when a re-render replaced it in between. */
    void click(By by) {
        for (int attempt = 1; ; attempt++) {
            try {
                browser.driver().findElement(by).click();
                return;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    String awaitQr() {
        await("the QR code", WAIT, () -> qr() != null);
        return qr();
    }

    String qr() {
        Object qr = js("const e = document.querySelector('#link-qr'); return e && e.dataset.qr ? e.dataset.qr : null;");
        return (String) qr;
    }

    boolean visible(String selector) {
        return Boolean.TRUE.equals(js("const e = document.querySelector(arguments[0]);"
                + " return !!e && !e.closest('[hidden]') && e.getClientRects().length > 0;", selector));
    }

    /**
     * The inbox is shown, its initial sync (or catch-up) is done and its stream is open: the body's
     * {@code data-sync="synced"} marker; for a page without the marker, the inbox shown with no
     * sync progress bar.
     */
    void awaitInbox() {
        await("the inbox, synced", WAIT, () -> Boolean.TRUE.equals(js("""
                const sync = document.body && document.body.dataset.sync;
                if (sync !== undefined) return sync === 'synced';
                const shown = (s) => { const e = document.querySelector(s); return !!e && !e.closest('[hidden]') && e.getClientRects().length > 0; };
                return shown('#inbox-view') && !shown('#sync-progress');""")));
    }

    @SuppressWarnings("unchecked")
    List<String> peers() {
        return (List<String>) js("return [...document.querySelectorAll('#conversation-list [data-conversation-id]')].map(e => e.dataset.peer);");
    }

    int unread(String peer) {
        Object n = js("const e = document.querySelector(`#conversation-list [data-peer=\"${arguments[0]}\"] .unread-count`);"
                + " return e ? Number(e.textContent) : -1;", peer);
        return ((Number) n).intValue();
    }

    void openConversation(String peer) {
        await("the conversation with " + peer + " in the list", WAIT, () -> peers().contains(peer));
        click(By.cssSelector("#conversation-list [data-peer='" + peer + "'] button"));
        await("the thread with " + peer, WAIT, () -> peer.equals(js("const e = document.querySelector('#thread-peer'); return e && e.textContent;")));
    }

    @SuppressWarnings("unchecked")
    List<Shown> messages() {
        List<Map<String, Object>> raw = (List<Map<String, Object>>) js("""
                return [...document.querySelectorAll('#thread .message')].map(m => ({
                  id: m.dataset.messageId, status: m.dataset.status, direction: m.dataset.direction,
                  text: [...m.querySelectorAll('.text')].map(t => t.textContent).join('\\n'),
                  title: (m.querySelector('.ticks') || {}).title || null}));""");
        return raw.stream().map(m -> new Shown((String) m.get("id"), (String) m.get("status"), (String) m.get("direction"),
                (String) m.get("text"), (String) m.get("title"))).toList();
    }

    List<String> texts() {
        return messages().stream().map(Shown::text).toList();
    }

    Shown message(String text) {
        return messages().stream().filter(m -> m.text().equals(text)).findFirst().orElse(null);
    }

    void awaitMessage(String text, Duration timeout, Predicate<Shown> condition) {
        await("the message '" + text + "' to match", timeout, () -> {
            Shown m = message(text);
            return m != null && condition.test(m);
        });
    }

    WebElement composer() {
        return browser.driver().findElement(By.cssSelector("#composer textarea"));
    }

    /** Types the text into the composer and presses Enter. */
    void send(String text) {
        composer().sendKeys(text, Keys.ENTER);
    }

    String text(String selector) {
        return (String) js("const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : null;", selector);
    }

    /**
     * Starts watching, in the page, for {@code condition} (a JavaScript expression) to become true:
     * a MutationObserver notes the wall-clock time ({@code Date.now()}) of the first DOM change
     * after which it holds, so how soon something appeared is measured in the page, not by how
     * fast WebDriver polls.
     */
    void watchFor(String name, String condition) {
        js("""
                const name = arguments[0];
                const test = new Function('return (' + arguments[1] + ');');
                window.__seenAt = window.__seenAt || {};
                delete window.__seenAt[name];
                const check = () => {
                  let ok = false;
                  try { ok = !!test(); } catch (e) { ok = false; }
                  if (ok && window.__seenAt[name] === undefined) { window.__seenAt[name] = Date.now(); observer.disconnect(); }
                };
                const observer = new MutationObserver(check);
                observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
                check();""", name, condition);
    }

    /** When (epoch millis, the page's clock) the watched condition first held; waits for it up to {@link #WAIT}. */
    long seenAt(String name) {
        await(name, WAIT, () -> js("return window.__seenAt && window.__seenAt[arguments[0]];", name) != null);
        return ((Number) js("return window.__seenAt[arguments[0]];", name)).longValue();
    }

    /** The time the conversation list showed {@code peer} with {@code unread} unread, watched with {@link #watchFor}. */
    static String listShows(String peer, int unread) {
        return "(() => { const e = document.querySelector('#conversation-list [data-peer=\"" + peer + "\"] .unread-count');"
                + " return !!e && e.textContent === '" + unread + "'; })()";
    }

    void screenshot(String name) throws Exception {
        browser.screenshot(SCREENSHOTS.resolve(name));
    }
}
