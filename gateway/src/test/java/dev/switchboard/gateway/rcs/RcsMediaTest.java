package dev.switchboard.gateway.rcs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.SentMessage;
import dev.switchboard.gateway.smpp.SmscSimulator;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.RbmProvider;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Media sent over RCS: the provider gets a signed, expiring public link to the gateway's copy and
 * fetches it without a device token; a tampered or expired link is refused.
 */
class RcsMediaTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SERVED = "+390617210001";
    /** media.publicLinkTtlHours, default. */
    private static final Duration LINK_TTL = Duration.ofHours(168);
    private static final Pattern LINK = Pattern.compile("(http://127\\.0\\.0\\.1:[0-9]+/media/public/([^?]+))\\?expires=([0-9]+)&signature=([A-Za-z0-9_-]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    static final SmscSimulator smsc = SmscSimulator.start("switchboard", "pw");
    static final RbmProvider rbm = RbmProvider.start();

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(
            "SWITCHBOARD_SMPP_CARRIERS", "[{\"id\":\"acme\",\"host\":\"127.0.0.1\",\"port\":" + smsc.port()
                    + ",\"systemId\":\"switchboard\",\"password\":\"pw\",\"prefixes\":[\"+44\"]}]",
            "SWITCHBOARD_RCS_PROVIDERS", rbm.providersJson(List.of(SERVED), Map.of())));

    private static final HttpClient http = HttpClient.newHttpClient();
    private static Device device;

    @BeforeAll
    static void enroll() throws Exception {
        device = gw.primary(SERVED);
        smsc.awaitBound(WAIT);
    }

    @AfterAll
    static void stop() {
        smsc.close();
        rbm.close();
    }

    @Test
    void imageGoesAsASignedLinkTheProviderCanFetchUntilItExpires() throws Exception {
        String peer = "+447700900901";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, ok());
        byte[] image = bytes(40_000, 1);
        String mediaId = device.client().uploadMedia(image, "image/png", "table.png").get("mediaId").asText();

        ObjectNode body = JSON.createObjectNode().put("to", peer);
        body.putArray("parts").addObject().put("type", "media").put("mediaId", mediaId);
        SentMessage sent = device.client().send(body, UUID.randomUUID().toString());
        assertEquals("rcs", sent.channel());
        awaitStatus(sent, "sent");

        assertEquals(1, rbm.sends(peer).size());
        JsonObject content = new JsonObject(rbm.sends(peer).get(0).getBodyAsString()).getJsonObject("contentMessage");
        String url = content.getJsonObject("contentInfo").getString("fileUrl");
        assertEquals(new JsonObject().put("contentInfo", new JsonObject().put("fileUrl", url).put("forceRefresh", false)), content);
        Matcher link = signedLink(url, mediaId);

        // The provider fetches it: no token, the exact bytes and type.
        HttpResponse<byte[]> fetched = get(url);
        assertEquals(200, fetched.statusCode());
        assertArrayEquals(image, fetched.body());
        assertEquals("image/png", fetched.headers().firstValue("Content-Type").orElseThrow());

        // A changed signature is refused.
        String signature = link.group(4);
        String forged = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);
        HttpResponse<byte[]> tampered = get(link.group(1) + "?expires=" + link.group(3) + "&signature=" + forged);
        assertEquals(403, tampered.statusCode());
        assertEquals("invalid_signature", new JsonObject(new String(tampered.body())).getString("error"));
        // So is a signature over another expiry.
        HttpResponse<byte[]> extended = get(link.group(1) + "?expires=" + (Long.parseLong(link.group(3)) + 3600) + "&signature=" + signature);
        assertEquals(403, extended.statusCode());
        assertEquals("invalid_signature", new JsonObject(new String(extended.body())).getString("error"));

        // Past the link's lifetime (rounded up to the day) it is gone.
        gw.clock.advance(LINK_TTL.plusDays(1).plusMinutes(1));
        HttpResponse<byte[]> expired = get(url);
        assertEquals(410, expired.statusCode());
        assertEquals("link_expired", new JsonObject(new String(expired.body())).getString("error"));
        assertEquals(0, smsc.submitted().stream().filter(s -> s.to().equals(peer.substring(1))).count(), "no SMS");
    }

    @Test
    void cardImageGoesAsASignedLinkInTheCardMedia() throws Exception {
        String peer = "+447700900902";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, ok());
        byte[] image = bytes(12_345, 2);
        String mediaId = device.client().uploadMedia(image, "image/jpeg", "pizza.jpg").get("mediaId").asText();

        ObjectNode body = JSON.createObjectNode().put("to", peer);
        ObjectNode card = body.putArray("parts").addObject().put("type", "richCard").put("title", "Pizza night")
                .put("description", "Two for one");
        card.putObject("media").put("mediaId", mediaId);
        SentMessage sent = device.client().send(body, UUID.randomUUID().toString());
        assertEquals("rcs", sent.channel());
        awaitStatus(sent, "sent");

        assertEquals(1, rbm.sends(peer).size());
        JsonObject content = new JsonObject(rbm.sends(peer).get(0).getBodyAsString()).getJsonObject("contentMessage");
        String url = content.getJsonObject("richCard").getJsonObject("standaloneCard").getJsonObject("cardContent")
                .getJsonObject("media").getJsonObject("contentInfo").getString("fileUrl");
        assertEquals(new JsonObject().put("richCard", new JsonObject().put("standaloneCard", new JsonObject()
                .put("cardOrientation", "VERTICAL").put("thumbnailImageAlignment", "LEFT")
                .put("cardContent", new JsonObject().put("title", "Pizza night").put("description", "Two for one")
                        .put("media", new JsonObject().put("height", "MEDIUM")
                                .put("contentInfo", new JsonObject().put("fileUrl", url).put("forceRefresh", false)))))), content);
        signedLink(url, mediaId);

        HttpResponse<byte[]> fetched = get(url);
        assertEquals(200, fetched.statusCode());
        assertArrayEquals(image, fetched.body());
        assertEquals("image/jpeg", fetched.headers().firstValue("Content-Type").orElseThrow());
        JsonNode m = device.client().allMessages(sent.conversationId()).get(0);
        assertEquals("rcs", m.get("channel").asText());
        assertEquals(0, smsc.submitted().stream().filter(s -> s.to().equals(peer.substring(1))).count(), "no SMS");
    }

    // ---- helpers ----

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder ok() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}");
    }

    /**
     * A link to the gateway's public media path for this media, valid for at least the configured
     * lifetime from now and at most a day more (expiries are whole days, so links stay stable).
     */
    private static Matcher signedLink(String url, String mediaId) {
        Matcher link = LINK.matcher(url);
        assertTrue(link.matches(), url);
        assertEquals(gw.uri().toString() + "/media/public/" + mediaId, link.group(1));
        assertEquals(mediaId, link.group(2));
        long expires = Long.parseLong(link.group(3));
        long earliest = gw.clock.instant().plus(LINK_TTL).getEpochSecond();
        assertTrue(expires >= earliest && expires <= earliest + 86_400 && expires % 86_400 == 0,
                "expires " + expires + ", expected the first day boundary after " + earliest);
        assertNotEquals("", link.group(4));
        return link;
    }

    private static HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] bytes(int size, long seed) {
        byte[] out = new byte[size];
        new Random(seed).nextBytes(out);
        return out;
    }

    private static void awaitStatus(SentMessage sent, String status) {
        Eventually.await(sent.id() + " " + status, WAIT, () -> device.client().allMessages(sent.conversationId()).stream()
                .anyMatch(m -> m.get("id").asText().equals(sent.id()) && m.get("status").asText().equals(status)));
    }
}
