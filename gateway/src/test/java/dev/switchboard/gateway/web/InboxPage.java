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

    /** Opens the page at {@code base} (the gateway, or a proxy in front of it). */
    static InboxPage open(Browser browser, URI base) {
        InboxPage page = new InboxPage(browser, base);
        browser.driver().get(base.resolve("/").toString());
        return page;
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

    void awaitInbox() {
        await("the inbox", WAIT, () -> visible("#inbox-view") && !visible("#sync-progress"));
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

    void screenshot(String name) throws Exception {
        browser.screenshot(SCREENSHOTS.resolve(name));
    }
}
