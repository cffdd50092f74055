package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.CursorStore;
import dev.switchboard.client.SyncEvent;
import dev.switchboard.client.SyncListener;
import dev.switchboard.client.SyncStream;
import dev.switchboard.gateway.support.Browser;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/**
 * The inbox's everyday features, each test on its own peers from a freshly loaded page: search,
 * keyboard navigation, date separators, inline images and download cards, a file dropped on the
 * conversation with upload progress, the typing notice the page sends, and keys kept
 * non-extractable.
 */
class WebInboxFeaturesTest {
    private static final String A = "+390623230001";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static Device a;
    private static Browser browser;
    private static InboxPage page;

    @BeforeAll
    static void linkTheBrowser() throws Exception {
        a = gw.primary(A);
        browser = Browser.open();
        page = InboxPage.linked(browser, gw.uri(), a);
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void freshPage() {
        browser.driver().navigate().refresh();
        page.awaitInbox();
    }

    @AfterEach
    void noPageProblems() {
        page.assertNoProblems();
    }

    private static String activeElement() {
        return (String) page.js("const e = document.activeElement; if (!e) return null;"
                + " const li = e.closest('[data-peer]'); return li ? 'conversation:' + li.dataset.peer : (e.id || e.tagName);");
    }

    @Test
    void searchFiltersByNumberAndTextAndTheKeyboardMovesThroughTheList() throws Exception {
        Device c = gw.primary("+390623230011");
        Device d = gw.primary("+390623230012");
        c.client().send(A, "pizza tonight?");
        d.client().send(A, "the invoice is attached");
        page.await("both conversations", InboxPage.WAIT, () -> page.peers().containsAll(List.of(c.number(), d.number())));

        var search = browser.driver().findElement(By.id("search"));
        search.sendKeys("PIZZA");
        page.await("only the pizza conversation", InboxPage.WAIT, () -> page.peers().equals(List.of(c.number())));
        search.clear();
        search.sendKeys("23 0012");
        page.await("only the number typed (spaces ignored)", InboxPage.WAIT, () -> page.peers().equals(List.of(d.number())));
        search.clear();
        search.sendKeys("no such thing");
        page.await("nothing matches", InboxPage.WAIT, () -> page.peers().isEmpty() && page.visible("#conversation-empty"));
        assertEquals("No conversation matches the search.", page.text("#conversation-empty"));
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        page.await("every conversation again", InboxPage.WAIT, () -> page.peers().containsAll(List.of(c.number(), d.number())));

        // "/" from anywhere outside a text field goes to the search box.
        page.js("document.activeElement && document.activeElement.blur();");
        new Actions(browser.driver()).sendKeys("/").perform();
        page.await("the search box focused", InboxPage.WAIT, () -> "search".equals(activeElement()));
        assertEquals("", search.getAttribute("value"), "the slash is not typed into the box");

        // Arrow keys move between conversations, Home/End to the ends, Enter opens one, Escape goes back to it.
        List<String> order = page.peers();
        int i = order.indexOf(d.number());
        assertTrue(i >= 0 && i + 1 < order.size(), "D is above C: " + order);
        browser.driver().findElement(By.cssSelector("#conversation-list [data-peer='" + order.get(i) + "'] button")).sendKeys(Keys.ARROW_DOWN);
        page.await("the next conversation focused", InboxPage.WAIT, () -> ("conversation:" + order.get(i + 1)).equals(activeElement()));
        new Actions(browser.driver()).sendKeys(Keys.ARROW_UP).perform();
        page.await("D focused again", InboxPage.WAIT, () -> ("conversation:" + order.get(i)).equals(activeElement()));
        new Actions(browser.driver()).sendKeys(Keys.HOME).perform();
        page.await("the first conversation focused", InboxPage.WAIT, () -> ("conversation:" + order.get(0)).equals(activeElement()));
        String last = order.get(order.size() - 1);
        new Actions(browser.driver()).sendKeys(Keys.END).perform();
        page.await("the last conversation focused", InboxPage.WAIT, () -> ("conversation:" + last).equals(activeElement()));
        new Actions(browser.driver()).sendKeys(Keys.ENTER).perform();
        page.await("the thread opened from the keyboard", InboxPage.WAIT, () -> last.equals(page.text("#thread-peer")));
        new Actions(browser.driver()).sendKeys(Keys.ESCAPE).perform();
        page.await("the thread closed", InboxPage.WAIT, () -> page.visible("#thread-placeholder") && page.text("#thread-peer") == null);
        page.await("focus back on the conversation", InboxPage.WAIT, () -> ("conversation:" + last).equals(activeElement()));
    }

    @Test
    void messagesFromDifferentDaysAreSeparatedByDate() throws Exception {
        Device b = gw.primary("+390623230021");
        b.client().send(A, "first day");
        b.client().send(A, "first day again");
        gw.clock.advance(Duration.ofDays(1));
        try {
            b.client().send(A, "the next day");
            page.openConversation(b.number());
            page.await("all three messages", InboxPage.WAIT, () -> page.texts().size() == 3);
            @SuppressWarnings("unchecked")
            List<String> thread = (List<String>) page.js("return [...document.querySelectorAll('#thread > li')]"
                    + ".map(e => e.classList.contains('date-separator') ? 'day:' + e.textContent : e.querySelector('.text').textContent);");
            assertEquals(5, thread.size(), String.valueOf(thread));
            assertEquals("day:Today", thread.get(0), String.valueOf(thread));
            assertEquals(List.of("first day", "first day again"), thread.subList(1, 3));
            assertTrue(thread.get(3).startsWith("day:") && !thread.get(3).equals("day:Today"), String.valueOf(thread));
            assertEquals("the next day", thread.get(4));
            assertEquals("separator", page.js("return document.querySelector('#thread .date-separator').getAttribute('role')"));
        } finally {
            gw.clock.advance(Duration.ofDays(-1));
        }
    }

    private static byte[] png(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, (x * 7 + y * 13) & 0xffffff);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void imagesShowInlineAndOtherFilesAsDownloadCardsThatDownload() throws Exception {
        Device b = gw.primary("+390623230031");
        byte[] image = png(37, 23);
        byte[] pdf = ("%PDF-1.4\n% a tiny document " + System.nanoTime() + "\n%%EOF\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        JsonNode up1 = b.client().uploadMedia(image, "image/png", "photo.png");
        JsonNode up2 = b.client().uploadMedia(pdf, "application/pdf", "report.pdf");
        ObjectNode body = JSON.createObjectNode().put("to", A).put("text", "here you go");
        ArrayNode parts = body.putArray("parts");
        parts.addObject().put("type", "media").put("mediaId", up1.get("mediaId").asText()).put("contentType", "image/png")
                .put("size", image.length).put("fileName", "photo.png");
        parts.addObject().put("type", "media").put("mediaId", up2.get("mediaId").asText()).put("contentType", "application/pdf")
                .put("size", pdf.length).put("fileName", "report.pdf");
        b.client().send(body, "media-1");

        page.openConversation(b.number());
        page.await("the image drawn", InboxPage.WAIT, () -> Boolean.TRUE.equals(page.js(
                "const i = document.querySelector('#thread img.media-image'); return !!i && i.complete && i.naturalWidth === 37 && i.naturalHeight === 23;")));
        assertEquals("photo.png", page.js("return document.querySelector('#thread img.media-image').alt"));
        assertEquals("report.pdf", page.text("#thread .file-card .file-name"));
        assertEquals(pdf.length + " B", page.text("#thread .file-card .file-size"));

        Path downloads = Files.createTempDirectory("web-downloads");
        browser.cdp("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
        page.click(By.cssSelector("#thread .file-card button.download"));
        Path file = downloads.resolve("report.pdf");
        Eventually.await("the download", InboxPage.WAIT, () -> Files.exists(file) && file.toFile().length() == pdf.length);
        assertArrayEquals(pdf, Files.readAllBytes(file));
    }

    @Test
    void aFileDroppedOnTheConversationUploadsWithProgressAndReachesThePeer() throws Exception {
        Device b = gw.primary("+390623230041");
        b.client().send(A, "send me the file");
        page.openConversation(b.number());
        page.awaitMessage("send me the file", InboxPage.WAIT, m -> true);

        int size = 400_000;
        page.js("""
                window.__upload = [];
                const pane = document.querySelector('#thread-pane');
                const p = document.querySelector('#upload-progress');
                new MutationObserver(() => { if (!p.hidden) window.__upload.push([p.value, p.max]); })
                  .observe(p, {attributes: true});
                const bytes = new Uint8Array(arguments[0]);
                for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
                const file = new File([bytes], 'dropped.bin', {type: 'application/octet-stream'});
                window.__dt = new DataTransfer();
                window.__dt.items.add(file);
                for (const type of ['dragenter', 'dragover']) {
                  pane.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: window.__dt}));
                }""", size);
        assertEquals(true, page.js("return document.querySelector('#thread-pane').classList.contains('dragging')"),
                "the pane shows it takes the drop");
        page.js("document.querySelector('#thread-pane').dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: window.__dt}));");
        page.await("the dropped file listed", InboxPage.WAIT, () -> page.text("#attachments").contains("dropped.bin"));
        assertTrue(!Boolean.TRUE.equals(page.js("return document.querySelector('#thread-pane').classList.contains('dragging')")));

        // A slow uplink, so the upload spans frames and its progress shows.
        browser.cdp("Network.enable", Map.of());
        browser.cdp("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", 200_000));
        try {
            page.send("the file");
            Eventually.await("B has the file", InboxPage.WAIT, () -> fileAtB(b) != null);
        } finally {
            browser.cdp("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
                    "downloadThroughput", -1, "uploadThroughput", -1));
        }
        @SuppressWarnings("unchecked")
        List<List<Number>> progress = (List<List<Number>>) page.js("return window.__upload");
        assertTrue(progress.stream().anyMatch(p -> p.get(0).doubleValue() > 0 && p.get(0).doubleValue() < p.get(1).doubleValue()),
                "the upload progress bar moved: " + progress);
        page.await("the progress bar gone", InboxPage.WAIT, () -> !page.visible("#upload-progress"));
        JsonNode part = fileAtB(b);
        byte[] got = b.client().downloadMedia(part.get("mediaId").asText());
        assertEquals(size, got.length);
        for (int i = 0; i < size; i++) {
            if (got[i] != (byte) ((i * 31 + 7) & 0xff)) {
                throw new AssertionError("byte " + i + " differs");
            }
        }
    }

    private static JsonNode fileAtB(Device b) {
        return b.client().conversationWith(A).map(c -> b.client().allMessages(c.get("id").asText())).orElse(List.of()).stream()
                .filter(m -> "the file".equals(m.path("text").asText(null)))
                .flatMap(m -> java.util.stream.StreamSupport.stream(m.path("parts").spliterator(), false))
                .filter(p -> p.path("type").asText().equals("media")).findFirst().orElse(null);
    }

    @Test
    void typingInThePageReachesThePeerAndStopsWhenIdle() throws Exception {
        Device b = gw.primary("+390623230051");
        b.client().send(A, "are you there?");
        List<JsonNode> typing = new CopyOnWriteArrayList<>();
        List<String> connected = new CopyOnWriteArrayList<>();
        try (SyncStream stream = b.client().stream(CursorStore.inMemory(0), new SyncListener() {
            @Override
            public void onEvent(SyncEvent e) {
            }

            @Override
            public void onTyping(JsonNode data) {
                typing.add(data);
            }

            @Override
            public void onConnected() {
                connected.add("yes");
            }
        })) {
            Eventually.await("B's stream open", InboxPage.WAIT, () -> !connected.isEmpty());
            page.openConversation(b.number());
            // Keystrokes until B hears of them (the page sends typing notices only once its stream is open).
            Eventually.await("B sees A typing", InboxPage.WAIT, () -> {
                if (typing.stream().anyMatch(t -> t.path("active").asBoolean())) {
                    return true;
                }
                page.composer().sendKeys("w");
                return false;
            });
            JsonNode first = typing.stream().filter(t -> t.path("active").asBoolean()).findFirst().orElseThrow();
            assertEquals(A, first.get("peer").asText(), first.toString());
            // Idle for a few seconds: the page says it stopped.
            Eventually.await("B sees A stop typing", InboxPage.WAIT, () -> typing.stream().anyMatch(t -> !t.path("active").asBoolean()));
            assertTrue(typing.stream().allMatch(t -> A.equals(t.path("peer").asText())), typing.toString());
        }
    }

    @Test
    void theIdentityPrivateKeyCannotBeExported() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> key = (Map<String, Object>) ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const open = indexedDB.open('switchboard');
                open.onerror = () => done({error: String(open.error)});
                open.onsuccess = () => {
                  const get = open.result.transaction('keys').objectStore('keys').get('device');
                  get.onerror = () => done({error: String(get.error)});
                  get.onsuccess = async () => {
                    const r = get.result;
                    const result = {};
                    for (const name of ['identityPrivate', 'encryptionPrivate']) {
                      const k = r[name];
                      let exported = 'refused';
                      for (const format of ['pkcs8', 'jwk', 'raw']) {
                        try { await crypto.subtle.exportKey(format, k); exported = format; break; } catch (e) { /* refused */ }
                      }
                      result[name] = {cryptoKey: k instanceof CryptoKey, type: k.type, extractable: k.extractable,
                        algorithm: k.algorithm.name, exported};
                    }
                    done(result);
                  };
                };""");
        assertEquals(Map.of("cryptoKey", true, "type", "private", "extractable", false, "algorithm", "Ed25519", "exported", "refused"),
                key.get("identityPrivate"), String.valueOf(key));
        assertEquals(Map.of("cryptoKey", true, "type", "private", "extractable", false, "algorithm", "X25519", "exported", "refused"),
                key.get("encryptionPrivate"), String.valueOf(key));
    }
}
