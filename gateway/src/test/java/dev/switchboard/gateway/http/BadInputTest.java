package dev.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.TestGateway;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every kind of bad request gets a clear JSON error with the right status, and nothing is stored. */
class BadInputTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of("SWITCHBOARD_HTTP_MAX_BODY_BYTES", "4096", "SWITCHBOARD_MEDIA_MAX_BYTES", "1024"));
    private static Device a;

    @BeforeAll
    static void start() throws Exception {
        a = gw.primary("+390677770001");
        gw.primary("+390677770002");
    }


    private HttpResult send(String body) throws Exception {
        return gw.request("POST", "/v1/messages", a.token(), body, Map.of("Idempotency-Key", java.util.UUID.randomUUID().toString()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "malformed JSON            | {\"to\": \"+390677770002\", \"text\": | 400 | invalid_json | ",
        "not an object             | [1, 2]                                   | 400 | invalid_json | ",
        "unknown field             | {\"to\":\"+390677770002\",\"text\":\"x\",\"cc\":\"y\"} | 400 | unknown_field | cc",
        "wrong type                | {\"to\":\"+390677770002\",\"text\":42}  | 400 | invalid_field | text",
        "invalid number            | {\"to\":\"0039 06 777\",\"text\":\"x\"} | 400 | invalid_field | to",
        "missing recipient         | {\"text\":\"x\"}                         | 400 | missing_field | to",
        "no content                | {\"to\":\"+390677770002\"}              | 400 | missing_field | text",
        "unknown part type         | {\"to\":\"+390677770002\",\"parts\":[{\"type\":\"hologram\"}]} | 400 | invalid_field | parts[0].type",
        "nested unknown field      | {\"to\":\"+390677770002\",\"parts\":[{\"type\":\"text\",\"text\":\"x\",\"bold\":true}]} | 400 | unknown_field | parts[0].bold",
        "unknown media             | {\"to\":\"+390677770002\",\"parts\":[{\"type\":\"media\",\"mediaId\":\"med_nope\"}]} | 422 | unknown_media | ",
    })
    void badSendIsRejectedAndNothingIsStored(String name, String body, int status, String code, String field) throws Exception {
        long seqBefore = a.client().sync(0, 1000).next();
        HttpResult r = send(body);
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.error());
        assertTrue(r.json().getString("message") != null && !r.json().getString("message").isEmpty());
        if (field != null) {
            assertTrue(r.json().getString("message").startsWith(field), r.json().getString("message"));
        }
        assertEquals(seqBefore, a.client().sync(0, 1000).next(), "no event was written");
        assertEquals(0, a.client().allConversations().size(), "no conversation was created");
    }

    @Test
    void nulCharactersAreRefusedNotStored() throws Exception {
        HttpResult body = send("{\"to\":\"+390677770002\",\"text\":\"a\\u0000b\"}");
        assertEquals(400, body.status(), body.body());
        assertTrue(body.json().getString("message").startsWith("text"), body.body());
        assertEquals(400, gw.get("/v1/conversations/%00/messages", a.token()).status());
        assertEquals(400, gw.get("/v1/link-requests/%00", null).status());
        assertEquals(0, a.client().allConversations().size());
    }

    @Test
    void enrollmentCodeIsBurntAfterFiveWrongGuesses() throws Exception {
        String code = gw.serve("+390677770004");
        io.vertx.core.json.JsonObject keys = dev.switchboard.gateway.support.SignedKeys.generate().fields();
        java.util.function.Function<String, String> body = c -> keys.copy().put("number", "+390677770004").put("code", c).put("name", "p").encode();
        for (int i = 0; i < 5; i++) {
            assertEquals(403, gw.post("/v1/devices/primary", null, body.apply("wrong" + i)).status());
        }
        HttpResult burnt = gw.post("/v1/devices/primary", null, body.apply(code));
        assertEquals(429, burnt.status());
        assertEquals("too_many_attempts", burnt.error());
        String fresh = gw.serve("+390677770004");
        assertEquals(201, gw.post("/v1/devices/primary", null, body.apply(fresh)).status(), "a new code starts a new count");
    }

    @Test
    void oversizedJsonBodyIs413() throws Exception {
        HttpResult r = send("{\"to\":\"+390677770002\",\"text\":\"" + "x".repeat(5000) + "\"}");
        assertEquals(413, r.status());
        assertEquals("payload_too_large", r.error());
    }

    @Test
    void oversizedMediaIs413() throws Exception {
        HttpResult r = gw.request("POST", "/v1/media", a.token(), "y".repeat(2000), Map.of("Content-Type", "text/plain"));
        assertEquals(413, r.status());
        assertEquals("payload_too_large", r.error());
    }

    @Test
    void invalidNumberWhenServingNamesTheField() throws Exception {
        HttpResult r = gw.post("/v1/numbers", gw.adminToken, "{\"number\":\"12345\"}");
        assertEquals(400, r.status());
        assertTrue(r.json().getString("message").startsWith("number"), r.body());
        assertEquals(401, gw.post("/v1/numbers", null, "{\"number\":\"+390677770009\"}").status());
    }

    @Test
    void badKeysAreRejectedAtEnrollment() throws Exception {
        String code = gw.serve("+390677770003");
        HttpResult r = gw.post("/v1/devices/primary", null, "{\"number\":\"+390677770003\",\"code\":\"" + code
                + "\",\"name\":\"p\",\"identityKey\":\"c2hvcnQ\",\"encryptionKey\":\"c2hvcnQ\",\"encryptionKeySignature\":\""
                + "A".repeat(86) + "\"}");
        assertEquals(400, r.status());
        assertTrue(r.json().getString("message").startsWith("identityKey"), r.body());
    }

    @Test
    void badQueryParametersNameTheParameter() throws Exception {
        HttpResult r = gw.get("/v1/sync?limit=5000", a.token());
        assertEquals(400, r.status());
        assertTrue(r.json().getString("message").startsWith("limit"), r.body());
        assertEquals(400, gw.get("/v1/conversations?cursor=garbage", a.token()).status());
        assertEquals(400, gw.get("/v1/sync?since=abc", a.token()).status());
    }

    @Test
    void unknownEndpointIsJson404() throws Exception {
        HttpResult r = gw.get("/v1/nope", a.token());
        assertEquals(404, r.status());
        assertEquals("not_found", r.error());
    }
}
