package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.gateway.support.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inbox's UI modules ({@code /js/ui/*.js}) run in Chromium against stand-ins for the gateway and
 * the end-to-end layer, so hostile or unlucky input can be fed to them directly: content that cannot
 * be drawn, links with other schemes, SVG images, a failing event, a silent socket, an update for a
 * message never loaded, a send whose event beats its answer.
 */
class WebInboxUiUnitTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    /** The elements the thread and list need, and a stand-in inbox whose messages the test sets. */
    private static final String SETUP = """
            document.body.innerHTML = `<div id="thread-pane"><p id="thread-placeholder"></p><header id="thread-header"></header>
              <ol id="thread"></ol><p id="thread-announcer"></p><p id="typing-indicator"></p></div>
              <input id="search"><ul id="conversation-list"></ul><p id="conversation-empty"></p>`;
            const { Thread } = await import('/js/ui/thread.js');
            const { ConversationList } = await import('/js/ui/conversation-list.js');
            const conv = { id: 'c1', peer: '+447700900001', channel: 'onnet', e2ee: false, unread: 0, updatedAt: '2026-01-01T10:00:00Z', loaded: 1, complete: true, lastMessageId: null };
            const inbox = {
              activeId: 'c1', draft: null, outbox: [], messages: new Map(), conversations: new Map([['c1', conv]]),
              views: new Map(), api: { downloadMedia: async () => new Uint8Array([1, 2, 3]) },
              e2ee: { attachment: async () => new Uint8Array([1]) },
              activePeer() { return conv.peer; },
              messagesOf() { return [...this.messages.values()]; },
              sortedConversations() { return [conv]; },
              pendingFor() { return this.outbox; },
              isPeerTyping() { return false; },
              async view(m) { return m.view; },
              loadMessages() {}, close() {}, open() {},
            };
            const message = (id, view, extra = {}) => ({ id, conversationId: 'c1', direction: 'in', status: 'delivered',
              createdAt: '2026-01-01T10:00:0' + id.slice(-1) + 'Z', ord: Number(id.slice(-1)), view, ...extra });
            const add = (m) => { inbox.messages.set(m.id, m); conv.lastMessageId = m.id; };
            const thread = new Thread(inbox, { onReply() {} });
            const list = new ConversationList(inbox);
            const shown = () => [...document.querySelectorAll('#thread .message')].map(e => e.dataset.messageId + ':' + e.textContent.trim());
            """;

    @Test
    void contentThatCannotBeDrawnNeverStopsTheThreadOrTheListAndLinksAreOnlyHttp() throws Exception {
        try (CorePage page = CorePage.open(gw)) {
            Map<String, Object> out = page.map(SETUP + """
                    add(message('m1', { text: 'first', parts: [], suggestions: [] }));
                    // What a peer could seal: a carousel without cards, suggestions that are no array, a location
                    // whose latitude is a string meant to smuggle a query, links with other schemes.
                    add(message('m2', { text: null, parts: [{ type: 'carousel' }], suggestions: 'nope' }));
                    add(message('m3', { text: null, parts: [{ type: 'location', latitude: '1&foo=bar', longitude: 2 },
                        { type: 'richCard', title: 'card', suggestions: [{ type: 'openUrl', text: 'evil', url: 'javascript:alert(1)' },
                          { type: 'openUrl', text: 'data', url: 'data:text/html,<b>x</b>' },
                          { type: 'openUrl', text: 'good', url: 'https://example.com/a?b=1' },
                          { type: 'dial', text: 'call', phoneNumber: '+44 1"><x' },
                          { type: 'showLocation', text: 'map', latitude: 51.5, longitude: -0.12 }] }], suggestions: [] }));
                    add(message('m4', { get text() { throw new Error('boom'); }, parts: [], suggestions: [] }));
                    add(message('m5', { text: 'last', parts: [], suggestions: [] }));
                    await thread.render();
                    await list.render();
                    const hrefs = [...document.querySelectorAll('#thread a')].map(a => a.getAttribute('href'));
                    return { shown: shown(), hrefs, list: document.querySelector('#conversation-list').textContent,
                      inert: [...document.querySelectorAll('#thread .chip-disabled')].map(e => e.textContent) };""");
            @SuppressWarnings("unchecked")
            List<String> shown = (List<String>) out.get("shown");
            assertEquals(5, shown.size(), "every message has its row: " + shown);
            assertTrue(shown.get(0).startsWith("m1:first"), shown.toString());
            assertTrue(shown.get(3).contains("cannot be shown"), shown.toString());
            assertTrue(shown.get(4).startsWith("m5:last"), shown.toString());
            @SuppressWarnings("unchecked")
            List<String> hrefs = (List<String>) out.get("hrefs");
            assertEquals(List.of("https://example.com/a?b=1", "https://www.openstreetmap.org/?mlat=51.5&mlon=-0.12#map=16/51.5/-0.12"), hrefs,
                    "only http(s) links, and map links from numbers");
            assertEquals(List.of("evil", "data", "call"), out.get("inert"));
            assertTrue(String.valueOf(out.get("list")).contains("last"), "the list still shows the conversation: " + out.get("list"));
        }
    }

    @Test
    void onlyRasterImagesAreDrawnInline() throws Exception {
        try (CorePage page = CorePage.open(gw)) {
            Map<String, Object> out = page.map(SETUP + """
                    add(message('m1', { text: null, parts: [
                        { type: 'media', mediaId: 'svg1', contentType: 'image/svg+xml', fileName: 'logo.svg', size: 10 },
                        { type: 'media', mediaId: 'png1', contentType: 'image/png', fileName: 'photo.png', size: 3 }], suggestions: [] }));
                    await thread.render();
                    return { images: [...document.querySelectorAll('#thread img')].map(i => i.alt),
                      files: [...document.querySelectorAll('#thread .file-card .file-name')].map(e => e.textContent) };""");
            assertEquals(List.of("photo.png"), out.get("images"));
            assertEquals(List.of("logo.svg"), out.get("files"));
        }
    }

    @Test
    void aSendWhoseEventCameFirstIsShownOnceAndNewMessagesAreAnnouncedButNotASwitch() throws Exception {
        try (CorePage page = CorePage.open(gw)) {
            Map<String, Object> out = page.map(SETUP + """
                    add(message('m1', { text: 'hello', parts: [], suggestions: [] }));
                    await thread.render();
                    const afterOpen = document.querySelector('#thread-announcer').textContent;
                    inbox.outbox.push({ key: 'k1', peer: conv.peer, text: 'on its way', files: [], createdAt: Date.now(), state: 'sending', cursorAtSend: 5 });
                    await thread.render();
                    const whileSending = shown().length;
                    // The stream brings the sent message (seq 6) before the POST answered.
                    add(message('m6', { text: 'on its way', parts: [], suggestions: [] }, { direction: 'out', ord: 6 }));
                    add(message('m7', { text: 'a reply', parts: [], suggestions: [] }, { ord: 7 }));
                    await thread.render();
                    return { afterOpen, whileSending, shown: shown(), announced: document.querySelector('#thread-announcer').textContent,
                      live: document.querySelector('#thread').getAttribute('aria-live') };""");
            assertEquals("", out.get("afterOpen"), "opening a conversation announces nothing");
            assertEquals(2L, ((Number) out.get("whileSending")).longValue());
            @SuppressWarnings("unchecked")
            List<String> shown = (List<String>) out.get("shown");
            assertEquals(3, shown.size(), "the outbox item is hidden once its message is there: " + shown);
            assertTrue(shown.stream().noneMatch(s -> s.startsWith("pending:")), shown.toString());
            assertEquals("New message from +447700900001: a reply", out.get("announced"));
            assertNull(out.get("live"), "the thread itself is no live region");
        }
    }

    @Test
    void anEventThatFailsToApplyIsRetriedFromTheCursorAndASilentSocketIsReplaced() throws Exception {
        try (CorePage page = CorePage.open(gw)) {
            Map<String, Object> out = page.map("""
                    const sockets = [];
                    class FakeSocket {
                      constructor(url) { this.url = url; this.readyState = 0; sockets.push(this); setTimeout(() => { this.readyState = 1; this.onopen && this.onopen(); }, 0); }
                      addEventListener(type, fn) { if (type === 'open') { const prev = this.onopen; this.onopen = () => { fn(); prev && prev(); }; } }
                      send() {}
                      close() { if (this.readyState === 3) return; this.readyState = 3; this.closedByPage = true; }
                      deliver(frame) { this.onmessage && this.onmessage({ data: JSON.stringify(frame) }); }
                    }
                    FakeSocket.OPEN = 1;
                    window.WebSocket = FakeSocket;
                    const { LiveStream, IDLE_TIMEOUT_MS } = await import('/js/ui/stream.js');
                    let cursor = 0;
                    let failOnce = true;
                    const applied = [];
                    const stream = new LiveStream({ token: 't', cursor: () => cursor,
                      apply: async (e) => { if (e.seq === 2 && failOnce) { failOnce = false; throw new Error('storage failed'); } applied.push(e.seq); cursor = e.seq; },
                      typing() {}, onState() {}, onUnlinked() {} });
                    stream.start();
                    const until = async (f) => { for (let i = 0; i < 200 && !f(); i++) await new Promise(r => setTimeout(r, 25)); };
                    await until(() => sockets.length === 1 && sockets[0].readyState === 1);
                    for (const seq of [1, 2, 3]) sockets[0].deliver({ seq, type: 'x', data: {} });
                    sockets[0].deliver({ type: 'heartbeat' });
                    await until(() => sockets.length === 2 && sockets[1].readyState === 1);
                    const second = sockets[1].url;
                    for (const seq of [2, 3]) sockets[1].deliver({ seq, type: 'x', data: {} });
                    await stream.settled();
                    // Silence: the socket is taken for dead and replaced, resuming from the cursor.
                    stream.lastFrame = Date.now() - IDLE_TIMEOUT_MS - 1;
                    stream.checkIdle();
                    await until(() => sockets.length === 3);
                    stream.stop();
                    return { applied, second, firstClosed: !!sockets[0].closedByPage, secondClosed: !!sockets[1].closedByPage, third: sockets[2].url };""");
            assertEquals(List.of(1L, 2L, 3L), ((List<?>) out.get("applied")).stream().map(n -> ((Number) n).longValue()).toList(),
                    "event 3 was not applied past the failed event 2; both came again");
            assertTrue(String.valueOf(out.get("second")).endsWith("since=1"), String.valueOf(out.get("second")));
            assertEquals(true, out.get("firstClosed"));
            assertEquals(true, out.get("secondClosed"), "the silent socket was closed");
            assertTrue(String.valueOf(out.get("third")).endsWith("since=3"), String.valueOf(out.get("third")));
        }
    }

    @Test
    void anUpdateForAMessageNeverLoadedIsNotANewMessageAndEventsAreStoredWithTheCursor() throws Exception {
        try (CorePage page = CorePage.open(gw)) {
            Map<String, Object> out = page.map("""
                    const { Inbox } = await import('/js/ui/inbox.js');
                    const db = await import('/js/ui/db.js');
                    const inbox = new Inbox({ api: {}, e2ee: {}, session: { number: '+447700900000', deviceId: 'd1', token: 't' } });
                    const msg = (id, status) => ({ id, conversationId: 'c9', direction: 'in', from: '+447700900009', to: '+447700900000',
                      channel: 'onnet', status, text: 'hi ' + id, parts: [], createdAt: '2026-01-01T10:00:00Z' });
                    await inbox.apply({ seq: 1, type: 'message.updated', data: msg('old', 'read') });
                    const afterUpdate = { messages: inbox.messages.size, conversations: inbox.conversations.size, cursor: inbox.cursor };
                    await inbox.apply({ seq: 2, type: 'message.created', data: msg('new', 'delivered') });
                    await inbox.apply({ seq: 3, type: 'message.updated', data: msg('new', 'read') });
                    return { afterUpdate, unread: inbox.conversations.get('c9').unread, status: inbox.messages.get('new').status,
                      stored: (await db.get('messages', 'new')).status, storedCursor: await db.get('kv', 'cursor'),
                      storedConversation: (await db.get('conversations', 'c9')).unread };""");
            @SuppressWarnings("unchecked")
            Map<String, Object> afterUpdate = (Map<String, Object>) out.get("afterUpdate");
            assertEquals(0L, ((Number) afterUpdate.get("messages")).longValue(), "an update alone inserts nothing");
            assertEquals(0L, ((Number) afterUpdate.get("conversations")).longValue());
            assertEquals(1L, ((Number) afterUpdate.get("cursor")).longValue(), "but the cursor moves past it");
            assertEquals(1L, ((Number) out.get("unread")).longValue());
            assertEquals("read", out.get("status"));
            assertEquals("read", out.get("stored"));
            assertEquals(3L, ((Number) out.get("storedCursor")).longValue());
            assertEquals(1L, ((Number) out.get("storedConversation")).longValue());
        }
    }

    @Test
    void aDecryptionThatFailedIsTriedAgainAfterTheConnectionCameBack() throws Exception {
        try (CorePage page = CorePage.open(gw)) {
            Map<String, Object> out = page.map("""
                    const { Inbox } = await import('/js/ui/inbox.js');
                    let calls = 0;
                    let fail = true;
                    const e2ee = { open: async () => { calls++; return fail ? { error: 'this device holds no key for this message' } : { text: 'secret', parts: [] }; } };
                    const inbox = new Inbox({ api: {}, e2ee, session: { number: '+447700900000', deviceId: 'd1', token: 't' } });
                    inbox.flush = () => {};
                    inbox.markActiveRead = () => {};
                    inbox.online = true;
                    const m = { id: 'e1', e2ee: true, conversationId: 'c1' };
                    const first = await inbox.view(m);
                    const cached = await inbox.view(m);
                    fail = false;
                    inbox.setOnline(false);
                    inbox.setOnline(true);
                    const again = await inbox.view(m);
                    return { first: first.error, cached: cached.error, again: again.text, calls };""");
            assertEquals("this device holds no key for this message", out.get("first"));
            assertEquals("this device holds no key for this message", out.get("cached"));
            assertEquals("secret", out.get("again"));
            assertEquals(2L, ((Number) out.get("calls")).longValue(), "kept until the connection came back, then opened again");
        }
    }
}
