package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.gateway.support.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The page's end-to-end layer ({@code core/e2ee.js}) against a hostile gateway: the core talks to
 * a crafted Api inside the page ({@code /test/hostile-gateway.js}) whose keys are real and signed,
 * so only what the gateway chooses to show or answer is hostile. Each test fails without its fix
 * (review of issue 6, findings 1 to 4).
 */
class WebE2eeHostileGatewayTest {

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static CorePage page;

    /** Two numbers A (this page's, device a1) and B (primary b1), a hostile Api and an E2ee of A on it. */
    private static final String WORLD = """
            const H = await import('/test/hostile-gateway.js');
            const {E2ee} = await import('/js/core/e2ee.js');
            const {TrustStore} = await import('/js/core/trust.js');
            const {ApiError} = await import('/js/core/api.js');
            const a = await H.account('+390611110001', 'a1');
            const b = await H.account('+390611110002', 'b1');
            const forged = await H.account('+390611110002', 'b2');
            const api = new H.HostileApi();
            api.keys[a.number] = await H.keysAnswer(a);
            api.keys[b.number] = await H.keysAnswer(b);
            const trust = new TrustStore({memory: true});
            const me = {number: a.number, deviceId: a.deviceId};
            const e2ee = new E2ee(api, a.keys, me, trust);
            const outcome = p => p.then(s => (s.encrypted ? 'encrypted' : 'plaintext'), e => e.code || String(e));
            """;

    @BeforeAll
    static void open() {
        page = CorePage.open(gw);
    }

    @AfterAll
    static void close() {
        page.close();
    }

    // ---- finding 1: a changed account key is checked before every sealing ----------------------

    @Test
    void aRetryAfterDeviceMismatchIsNotSealedToAnAccountKeyTheGatewaySwappedIn() {
        Map<String, Object> result = page.map(WORLD + """
                const first = await outcome(e2ee.send(b.number, {text: 'one'}, 'k1'));
                // The gateway refuses the next seal and serves another account key for B to the retry.
                api.keys[b.number] = await H.keysAnswer(forged);
                api.answers.push({status: 409, code: 'device_mismatch'});
                const second = await outcome(e2ee.send(b.number, {text: 'two'}, 'k2'));
                return {first, second, sealedTo: api.posts.map(p => H.sealedFor(p, b.number).join(','))};
                """);
        assertEquals("encrypted", result.get("first"));
        assertEquals("account_key_changed", result.get("second"));
        assertEquals(List.of("b1", "b1"), result.get("sealedTo"), "nothing may be sealed to the swapped-in key");
    }

    @Test
    void anEncryptedRetryAfterE2eeRequiredIsNotSealedToAnAccountKeyTheGatewaySwappedIn() {
        Map<String, Object> result = page.map(WORLD + """
                // B shows an account key but no signed list yet: a plaintext attempt, which the gateway
                // refuses as e2ee_required while it swaps in another account key with a signed list.
                api.keys[b.number] = await H.keysAnswer(b, {noList: true});
                api.answers.push(async () => {
                  api.keys[b.number] = await H.keysAnswer(forged);
                  throw new ApiError(409, 'e2ee_required', 'encrypt it');
                });
                const sent = await outcome(e2ee.send(b.number, {text: 'hi'}, 'k1'));
                return {sent, posts: api.posts.map(p => p.body.e2ee ? 'sealed:' + H.sealedFor(p, b.number) : 'plain')};
                """);
        assertEquals("account_key_changed", result.get("sent"));
        assertEquals(List.of("plain"), result.get("posts"));
    }

    @Test
    void aChangeOfTheOwnAccountKeyOnTheRetryStopsTheSendToo() {
        Map<String, Object> result = page.map(WORLD + """
                await outcome(e2ee.send(b.number, {text: 'one'}, 'k1'));
                // The gateway refuses the next seal and shows this page's own number under another account key.
                api.keys[a.number] = await H.keysAnswer(await H.account(a.number, 'a9'));
                api.answers.push({status: 410, code: 'stale_devices'});
                const second = await outcome(e2ee.send(b.number, {text: 'two'}, 'k2'));
                return {second, posts: api.posts.length};
                """);
        assertEquals("account_key_changed", result.get("second"));
        assertEquals(2L, ((Number) result.get("posts")).longValue());
    }

    // ---- finding 2: no silent downgrade to plaintext -------------------------------------------

    @Test
    void aNumberWhoseSignedListWasSeenIsNeverWrittenToInTheClear() {
        Map<String, Object> result = page.map(WORLD + """
                const first = await outcome(e2ee.send(b.number, {text: 'one'}, 'k1'));
                // After a reload (fresh cache, same trust store) the gateway claims not to serve B ...
                api.keys[b.number] = null;
                const notServed = await outcome(new E2ee(api, a.keys, me, trust).send(b.number, {text: 'two'}, 'k2'));
                // ... or drops the encryption key signature of B's device ...
                api.keys[b.number] = await H.keysAnswer(b, {unsigned: true});
                const unsigned = await outcome(new E2ee(api, a.keys, me, trust).send(b.number, {text: 'three'}, 'k3'));
                // ... or drops the signature of this page's own device.
                api.keys[b.number] = await H.keysAnswer(b);
                api.keys[a.number] = await H.keysAnswer(a, {unsigned: true});
                const ownUnsigned = await outcome(new E2ee(api, a.keys, me, trust).send(b.number, {text: 'four'}, 'k4'));
                return {first, notServed, unsigned, ownUnsigned,
                  plaintext: api.posts.filter(p => !p.body.e2ee).map(p => p.body.text)};
                """);
        assertEquals("encrypted", result.get("first"));
        assertEquals("plaintext_refused", result.get("notServed"));
        assertEquals("plaintext_refused", result.get("unsigned"));
        assertEquals("plaintext_refused", result.get("ownUnsigned"));
        assertEquals(List.of(), result.get("plaintext"), "nothing went out in the clear");
    }

    @Test
    void aCarrierPeerNeverSeenWithASignedListStillGetsPlaintext() {
        Map<String, Object> result = page.map(WORLD + """
                const carrier = '+15550100999';
                api.keys[carrier] = null;
                const sent = await outcome(e2ee.send(carrier, {text: 'sms'}, 'k1'));
                return {sent, body: api.posts[0].body};
                """);
        assertEquals("plaintext", result.get("sent"));
        assertEquals(Map.of("to", "+15550100999", "text", "sms"), result.get("body"));
    }

    @Test
    void aConversationTheGatewayLabelsSmsGoesThroughTheEndToEndLayerForAPeerSeenSigned() {
        Map<String, Object> result = page.map(WORLD + """
                const {Inbox} = await import('/js/ui/inbox.js');
                await outcome(e2ee.send(b.number, {text: 'one'}, 'k1'));
                const inbox = new Inbox({api, e2ee, session: {number: a.number, deviceId: a.deviceId}});
                inbox.conversations.set('conv_1', {id: 'conv_1', peer: b.number, channel: 'sms'});
                await inbox.deliver({key: 'k2', peer: b.number, conversationId: 'conv_1', text: 'two', files: [], uploaded: []});
                // After a reload, the gateway claims not to serve B any more.
                api.keys[b.number] = null;
                const reloaded = new Inbox({api, e2ee: new E2ee(api, a.keys, me, trust), session: me});
                reloaded.conversations.set('conv_1', {id: 'conv_1', peer: b.number, channel: 'sms'});
                const refused = await reloaded.deliver({key: 'k3', peer: b.number, conversationId: 'conv_1', text: 'three',
                  files: [], uploaded: []}).then(() => 'sent', e => e.code);
                return {refused, posts: api.posts.map(p => p.body.e2ee ? 'e2ee' : 'plain:' + p.body.text)};
                """);
        assertEquals(List.of("e2ee", "e2ee"), result.get("posts"));
        assertEquals("plaintext_refused", result.get("refused"));
    }

    // ---- finding 3: decrypted (and delivered) content is validated and normalised -----------------

    @Test
    @SuppressWarnings("unchecked")
    void hostileContentFromAPeerIsRefusedBeforeTheUiSeesIt() {
        Map<String, Object> result = page.map(WORLD + """
                await e2ee.keysFor(b.number);
                const payloads = {
                  emptyCarousel: {text: null, parts: [{type: 'carousel'}]},
                  cardsNotArray: {text: null, parts: [{type: 'carousel', cards: 'x'}]},
                  scriptUrl: {text: 'hi', parts: [{type: 'richCard', title: 't',
                    suggestions: [{type: 'openUrl', text: 'go', url: 'javascript:alert(1)'}]}]},
                  dataUrl: {text: 'hi', parts: [{type: 'richCard', title: 't',
                    suggestions: [{type: 'openUrl', text: 'go', url: 'data:text/html,<b>x</b>'}]}]},
                  suggestionsNotArray: {text: null, parts: [{type: 'richCard', title: 't', suggestions: {length: 1}}]},
                  latitudeNotNumber: {text: null, parts: [{type: 'location', latitude: '1&x="', longitude: 2}]},
                  latitudeOutOfRange: {text: null, parts: [{type: 'location', latitude: 91, longitude: 2}]},
                  textNotString: {text: null, parts: [{type: 'text', text: {toString: 1}}]},
                  mediaIdMissing: {text: null, parts: [{type: 'media', contentType: 'image/png'}]},
                  tooManyParts: {text: null, parts: Array.from({length: 21}, () => ({type: 'location', latitude: 1, longitude: 2}))},
                };
                const errors = {};
                for (const [name, payload] of Object.entries(payloads)) {
                  const opened = await e2ee.open(await H.sealedTo(b, a, payload));
                  errors[name] = opened.error ? 'error' : JSON.stringify(opened.parts);
                }
                const fine = await e2ee.open(await H.sealedTo(b, a, {text: 'ok', parts: [
                  {type: 'richCard', title: 'Card', extra: '<img onerror=x>', suggestions: [
                    {type: 'openUrl', text: 'site', url: 'https://example.org/a b'},
                    {type: 'teleport', text: 'unknown suggestion type'}]},
                  {type: 'hologram', anything: true},
                  {type: 'location', latitude: 41.9, longitude: 12.5, label: 'Rome'}]}));
                return {errors, fine: {error: fine.error || null, text: fine.text, parts: fine.parts}};
                """);
        Map<String, Object> errors = (Map<String, Object>) result.get("errors");
        errors.forEach((name, outcome) -> assertEquals("error", outcome, name + " was let through: " + outcome));
        assertEquals(10, errors.size());
        Map<String, Object> fine = (Map<String, Object>) result.get("fine");
        assertNull(fine.get("error"));
        assertEquals("ok", fine.get("text"));
        assertEquals(List.of(
                Map.of("type", "richCard", "title", "Card", "suggestions",
                        List.of(Map.of("type", "openUrl", "text", "site", "url", "https://example.org/a%20b"))),
                Map.of("type", "location", "latitude", 41.9, "longitude", 12.5, "label", "Rome")), fine.get("parts"),
                "unknown fields and types are left out");
    }

    @Test
    @SuppressWarnings("unchecked")
    void hostilePlaintextContentFromTheGatewayNeverReachesTheUi() {
        Map<String, Object> result = page.map(WORLD + """
                const {Inbox} = await import('/js/ui/inbox.js');
                const inbox = new Inbox({api, e2ee, session: {number: a.number, deviceId: a.deviceId}});
                const base = {conversationId: 'conv_1', direction: 'in', from: b.number, to: a.number, e2ee: false};
                const views = {};
                views.scriptChip = await inbox.view({...base, id: 'm1', text: 'hi',
                  suggestions: [{type: 'openUrl', text: 'go', url: 'javascript:alert(document.cookie)'}]});
                views.carousel = await inbox.view({...base, id: 'm2', text: null, parts: [{type: 'carousel'}]});
                views.geo = await inbox.view({...base, id: 'm3', text: null,
                  parts: [{type: 'location', latitude: '0#"><x', longitude: 0}]});
                views.fine = await inbox.view({...base, id: 'm4', text: 'hello', parts: [{type: 'text', text: 'hello'}],
                  suggestions: [{type: 'reply', text: 'Yes', postbackData: 'yes'}]});
                const opened = await e2ee.open({...base, id: 'm5', text: 'x',
                  suggestions: [{type: 'openUrl', text: 'go', url: 'vbscript:x'}]});
                return {views, opened: opened.error ? 'error' : 'let through'};
                """);
        Map<String, Map<String, Object>> views = (Map<String, Map<String, Object>>) result.get("views");
        for (String hostile : List.of("scriptChip", "carousel", "geo")) {
            Map<String, Object> view = views.get(hostile);
            assertTrue(view.get("error") != null, hostile + " " + view);
            assertEquals(List.of(), view.get("parts"));
            assertEquals(List.of(), view.get("suggestions"));
        }
        Map<String, Object> fine = views.get("fine");
        assertNull(fine.get("error"));
        assertEquals(List.of(Map.of("type", "reply", "text", "Yes", "postbackData", "yes")), fine.get("suggestions"));
        assertEquals("error", result.get("opened"));
    }

    // ---- finding 4: a retry never replays a body the gateway refused -----------------------------

    @Test
    void aRetryAfterANetworkFailureResendsTheLatestAttemptNotTheRefusedOne() {
        Map<String, Object> result = page.map(WORLD + """
                const lost = {status: 0, code: 'network_error'};
                // Attempt 1 refused (a device the page did not know), attempt 2 lost on the way (twice).
                api.answers.push({status: 409, code: 'device_mismatch'}, lost, lost);
                const first = await outcome(e2ee.send(b.number, {text: 'x'}, 'k'));
                const again = await outcome(e2ee.send(b.number, {text: 'x'}, 'k'));
                const p = api.posts;
                return {first, again, keys: p.map(x => x.idempotencyKey),
                  replayedLatest: JSON.stringify(p[3].body) === JSON.stringify(p[1].body)};
                """);
        assertEquals("network_error", result.get("first"));
        assertEquals("encrypted", result.get("again"));
        assertEquals(List.of("k", "k.2", "k.2", "k.2"), result.get("keys"));
        assertEquals(true, result.get("replayedLatest"));
    }

    @Test
    void aSendRefusedThreeTimesStartsAfreshWhenRetried() {
        Map<String, Object> result = page.map(WORLD + """
                const mismatch = {status: 409, code: 'device_mismatch'};
                api.answers.push(mismatch, mismatch, mismatch);
                const first = await outcome(e2ee.send(b.number, {text: 'x'}, 'k'));
                const again = await outcome(e2ee.send(b.number, {text: 'x'}, 'k'));
                const p = api.posts;
                return {first, again, keys: p.map(x => x.idempotencyKey),
                  fresh: p.slice(0, 3).every(x => x.body.e2ee.header !== p[3].body.e2ee.header)};
                """);
        assertEquals("device_mismatch", result.get("first"));
        assertEquals("encrypted", result.get("again"));
        assertEquals(List.of("k", "k.2", "k.3", "k"), result.get("keys"));
        assertEquals(true, result.get("fresh"), "the retry sealed anew instead of replaying a refused body");
    }

    @Test
    void aPlaintextSendLostOnTheWayIsResentIdentically() {
        Map<String, Object> result = page.map(WORLD + """
                const carrier = '+15550100999';
                api.keys[carrier] = null;
                const lost = {status: 0, code: 'network_error'};
                api.answers.push(lost, lost);
                const first = await outcome(e2ee.send(carrier, {text: 'sms'}, 'k'));
                const again = await outcome(e2ee.send(carrier, {text: 'sms'}, 'k'));
                return {first, again, keys: api.posts.map(x => x.idempotencyKey)};
                """);
        assertEquals("network_error", result.get("first"));
        assertEquals("plaintext", result.get("again"));
        assertEquals(List.of("k", "k", "k"), result.get("keys"));
    }

    // ---- finding 15: websockets only to this origin ------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void thePagePolicyAllowsWebsocketsToThisOriginOnly() {
        Map<String, Object> result = page.map("""
                const violations = [];
                document.addEventListener('securitypolicyviolation', e => violations.push(e.blockedURI));
                const attempt = url => {
                  try {
                    const ws = new WebSocket(url);
                    ws.onerror = () => {};
                    return 'opened';
                  } catch (e) {
                    return 'threw ' + e.name;
                  }
                };
                const own = attempt(location.origin.replace(/^http/, 'ws') + '/v1/stream');
                const foreign = attempt('ws://foreign.invalid:9/steal');
                const foreignSecure = attempt('wss://foreign.invalid/steal');
                await new Promise(r => setTimeout(r, 1500));
                return {own, foreign, foreignSecure, violations};
                """);
        List<Object> violations = (List<Object>) result.get("violations");
        assertFalse(violations.stream().anyMatch(v -> String.valueOf(v).contains(gw.uri().getHost() + ":" + gw.uri().getPort())),
                "the page's own origin must stay allowed: " + violations);
        assertTrue(violations.stream().anyMatch(v -> String.valueOf(v).startsWith("ws://foreign.invalid")), String.valueOf(result));
        assertTrue(violations.stream().anyMatch(v -> String.valueOf(v).startsWith("wss://foreign.invalid")), String.valueOf(result));
        assertNotEquals(null, result.get("own"));
    }
}
