package dev.switchboard.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.carrier.rcs.RcsProviderSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RcsProvidersReaderTest {
    private static final String KEY = "rcs.providers";
    private static final String RBM = "- id: rbm1\n  type: rbm\n  baseUrl: https://provider.example\n  agentId: switchboard-agent\n"
            + "  token: static-bearer-token\n  clientToken: webhook-client-token\n";
    private static final String MAAP = "- id: maap1\n  type: maap\n  baseUrl: https://maap.example/bot/v1/\n  botId: switchboard-bot\n"
            + "  allowedSources: [\"192.0.2.10\"]\n"
            + "  oauth:\n    tokenUrl: https://maap.example/oauth2/token\n    clientId: switchboard\n    clientSecret: oauth-client-secret\n";

    private static JsonNode yaml(String text) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<RcsProviderSettings> read(String text) { return RcsProvidersReader.read(KEY, yaml(text)); }

    private static String error(String text) {
        return assertThrows(ConfigException.class, () -> read(text)).getMessage();
    }

    @Test
    void absentOrEmptyMeansNoProviders() {
        assertEquals(List.of(), RcsProvidersReader.read(KEY, MissingNode.getInstance()));
        assertEquals(List.of(), RcsProvidersReader.read(KEY, null));
        assertEquals(List.of(), read("[]"));
        assertTrue(error("id: rbm1").contains("rcs.providers must be a list"));
    }

    @Test
    void rbmWithAStaticTokenTakesTheDefaults() {
        RcsProviderSettings p = read(RBM).get(0);
        assertEquals("rbm1", p.id());
        assertEquals(RcsProviderSettings.Type.RBM, p.type());
        assertEquals("https://provider.example", p.baseUrl());
        assertEquals("switchboard-agent", p.agentId());
        assertEquals("static-bearer-token", p.token());
        assertNull(p.oauth());
        assertEquals("webhook-client-token", p.clientToken());
        assertEquals(List.of(), p.allowedSources());
        assertEquals(List.of(), p.numbers());
        assertEquals(Duration.ofHours(4), p.capabilityTtl());
        assertEquals(Duration.ofSeconds(10), p.requestTimeout());
        assertEquals(50, p.rateLimit());
        assertEquals(Duration.ofDays(1), p.messageTtl());
        assertEquals(Duration.ofMinutes(10), p.fallbackDeadline());
    }

    @Test
    void rbmWithEveryFieldGiven() {
        RcsProviderSettings p = read(RBM + "  numbers: [\"+390612345678\", \"+14155550100\"]\n  capabilityTtl: 30m\n"
                + "  requestTimeout: 500ms\n  messageTtl: 15d\n  fallbackDeadline: 2h\n  rateLimit: 10000\n"
                + "  allowedSources: [\"66.102.0.0/20\"]\n").get(0);
        assertEquals(List.of("+390612345678", "+14155550100"), p.numbers());
        assertEquals(Duration.ofMinutes(30), p.capabilityTtl());
        assertEquals(Duration.ofMillis(500), p.requestTimeout());
        assertEquals(Duration.ofDays(15), p.messageTtl());
        assertEquals(Duration.ofHours(2), p.fallbackDeadline());
        assertEquals(10_000, p.rateLimit());
        assertEquals(List.of("66.102.0.0/20"), p.allowedSources());
    }

    @Test
    void maapWithOauthAndAllowedSources() {
        RcsProviderSettings p = read(MAAP.replace("  allowedSources: [\"192.0.2.10\"]\n", "") + "  allowedSources: [\"203.0.113.10\", \"10.0.0.0/8\", \"2001:db8::1\", \"::ffff:192.0.2.1\"]\n"
                + "  numbers: [\"+390698765432\"]\n").get(0);
        assertEquals(RcsProviderSettings.Type.MAAP, p.type());
        assertEquals("https://maap.example/bot/v1", p.baseUrl(), "one trailing '/' is stripped");
        assertEquals("switchboard-bot", p.agentId(), "botId goes to agentId");
        assertNull(p.token());
        assertNull(p.clientToken());
        assertEquals(new RcsProviderSettings.OAuth("https://maap.example/oauth2/token", "switchboard", "oauth-client-secret"), p.oauth());
        assertEquals(List.of("203.0.113.10", "10.0.0.0/8", "2001:db8::1", "::ffff:192.0.2.1"), p.allowedSources());
        assertEquals(List.of("+390698765432"), p.numbers());
    }

    @Test
    void agentIdAndBotIdAreAcceptedForEitherTypeAndTheTypeIgnoresCase() {
        RcsProviderSettings rbm = read(RBM.replace("agentId:", "botId:").replace("type: rbm", "type: RBM")).get(0);
        assertEquals("switchboard-agent", rbm.agentId());
        assertEquals(RcsProviderSettings.Type.RBM, rbm.type());
        RcsProviderSettings maap = read(MAAP.replace("botId:", "agentId:")).get(0);
        assertEquals("switchboard-bot", maap.agentId());
    }

    @Test
    void severalProvidersKeepTheirOrder() {
        List<RcsProviderSettings> all = read(RBM + MAAP);
        assertEquals(List.of("rbm1", "maap1"), all.stream().map(RcsProviderSettings::id).toList());
    }

    @Test
    void durationsAcceptEveryUnitAndBareSeconds() {
        assertEquals(Duration.ofSeconds(90), read(RBM + "  capabilityTtl: 90\n").get(0).capabilityTtl());
        assertEquals(Duration.ofSeconds(90), read(RBM + "  capabilityTtl: \"90\"\n").get(0).capabilityTtl());
        assertEquals(Duration.ofSeconds(45), read(RBM + "  capabilityTtl: 45s\n").get(0).capabilityTtl());
        assertEquals(Duration.ofMinutes(5), read(RBM + "  requestTimeout: 5m\n").get(0).requestTimeout());
        assertEquals(Duration.ofMillis(100), read(RBM + "  requestTimeout: 100ms\n").get(0).requestTimeout());
        assertEquals(Duration.ofDays(7), read(RBM + "  fallbackDeadline: 7d\n").get(0).fallbackDeadline());
        assertEquals(Duration.ofSeconds(1), read(RBM + "  messageTtl: 1s\n").get(0).messageTtl());
        assertEquals(Duration.ofDays(365), read(RBM + "  capabilityTtl: 365d\n").get(0).capabilityTtl());
    }

    /** Every error names the exact key path. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // unknown fields
            "  xyz: 1|unknown configuration key 'rcs.providers[0].xyz'",
            // id
            "  id: 'rbm:1'|rcs.providers[0].id",
            "  id: a-name-that-is-much-longer-than-32-chars|rcs.providers[0].id",
            "  id: 'hooks/x'|rcs.providers[0].id",
            // type
            "  type: sms|rcs.providers[0].type must be rbm or maap",
            // baseUrl
            "  baseUrl: ftp://provider.example|rcs.providers[0].baseUrl",
            "  baseUrl: provider.example|rcs.providers[0].baseUrl",
            "  baseUrl: 'https://provider.example/?a=b'|rcs.providers[0].baseUrl",
            "  baseUrl: 'https://user:pw@provider.example'|rcs.providers[0].baseUrl",
            // agent id
            "  botId: bot|rcs.providers[0].agentId and rcs.providers[0].botId are both given",
            // credentials
            "  oauth: {tokenUrl: 'https://a.example/t', clientId: c, clientSecret: s}|rcs.providers[0].token and rcs.providers[0].oauth are both given",
            // allowedSources
            "  allowedSources: [provider.example]|rcs.providers[0].allowedSources[0]",
            "  allowedSources: ['10.0.0.1', '10.0.0.0/33']|rcs.providers[0].allowedSources[1]",
            "  allowedSources: ['256.0.0.1']|rcs.providers[0].allowedSources[0]",
            "  allowedSources: ['2001:db8::/32']|rcs.providers[0].allowedSources[0]",
            "  allowedSources: ['2001:db8:::1']|rcs.providers[0].allowedSources[0]",
            "  allowedSources: '10.0.0.1'|rcs.providers[0].allowedSources must be a list",
            // numbers
            "  numbers: ['390612345678']|rcs.providers[0].numbers[0]",
            "  numbers: ['+390612345678', '+0612345678']|rcs.providers[0].numbers[1]",
            "  numbers: ['+12345']|rcs.providers[0].numbers[0]",
            "  numbers: ['+390612345678', '+390612345678']|rcs.providers[0].numbers[1] '+390612345678' is listed twice",
            "  numbers: [{a: b}]|rcs.providers[0].numbers[0]",
            // durations
            "  capabilityTtl: 500ms|rcs.providers[0].capabilityTtl",
            "  capabilityTtl: 4 hours|rcs.providers[0].capabilityTtl",
            "  capabilityTtl: 4w|rcs.providers[0].capabilityTtl",
            "  capabilityTtl: -1|rcs.providers[0].capabilityTtl",
            "  capabilityTtl: 1.5h|rcs.providers[0].capabilityTtl",
            "  capabilityTtl: 366d|rcs.providers[0].capabilityTtl must be a duration such as 30s, 10m, 4h or 1d, between 1s and 365d",
            "  capabilityTtl: 999999999999d|rcs.providers[0].capabilityTtl",
            "  requestTimeout: 99ms|rcs.providers[0].requestTimeout must be a duration such as 30s, 10m, 4h or 1d, between 100ms and 5m",
            "  requestTimeout: 301s|rcs.providers[0].requestTimeout",
            "  messageTtl: 16d|rcs.providers[0].messageTtl",
            "  messageTtl: 0s|rcs.providers[0].messageTtl",
            "  fallbackDeadline: 8d|rcs.providers[0].fallbackDeadline",
            "  fallbackDeadline: 999ms|rcs.providers[0].fallbackDeadline",
            // rateLimit
            "  rateLimit: 0|rcs.providers[0].rateLimit must be an integer between 1 and 10000",
            "  rateLimit: 10001|rcs.providers[0].rateLimit",
            "  rateLimit: fast|rcs.providers[0].rateLimit",
    })
    void invalidFieldsAreNamed(String line, String expected) {
        // CsvSource trims the line; a repeated key replaces the valid one (the last wins in Jackson's tree).
        String message = error(RBM + "  " + line + "\n");
        assertTrue(message.contains(expected), message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "id|rcs.providers[0].id is required",
            "type|rcs.providers[0].type is required",
            "baseUrl|rcs.providers[0].baseUrl is required",
            "agentId|rcs.providers[0].agentId is required",
            "token|rcs.providers[0].token or rcs.providers[0].oauth is required",
            "clientToken|rcs.providers[0].clientToken is required for rbm",
    })
    void requiredRbmFieldsAreNamed(String field, String expected) {
        List<String> fields = List.of("id: rbm1", "type: rbm", "baseUrl: https://provider.example", "agentId: switchboard-agent",
                "token: static-bearer-token", "clientToken: webhook-client-token");
        List<String> kept = fields.stream().filter(f -> !f.startsWith(field + ":")).toList();
        String message = error("- " + String.join("\n  ", kept) + "\n");
        assertTrue(message.contains(expected), message);
    }

    @Test
    void maapWithoutAllowedSourcesIsRefusedBecauseItsWebhooksAreUnsigned() {
        String message = error(MAAP.replace("  allowedSources: [\"192.0.2.10\"]\n", ""));
        assertTrue(message.contains("rcs.providers[0].allowedSources is required for maap"), message);
    }

    @Test
    void maapRules() {
        String message = error(MAAP + "  clientToken: webhook-client-token\n");
        assertTrue(message.contains("rcs.providers[0].clientToken is not allowed for maap"), message);
        assertTrue(message.contains("allowedSources"), message);
        assertFalse(message.contains("webhook-client-token"), "no secret in errors");
        message = error(MAAP.replace("  botId: switchboard-bot\n", ""));
        assertTrue(message.contains("rcs.providers[0].botId is required"), message);
    }

    @Test
    void oauthFieldsAreChecked() {
        String base = "- id: maap1\n  type: maap\n  baseUrl: https://maap.example\n  botId: b\n  allowedSources: [\"192.0.2.10\"]\n  oauth:\n";
        assertTrue(error(base + "    clientId: c\n    clientSecret: s\n").contains("rcs.providers[0].oauth.tokenUrl is required"));
        assertTrue(error(base + "    tokenUrl: https://a.example/t\n    clientSecret: s\n").contains("rcs.providers[0].oauth.clientId is required"));
        String noSecret = error(base + "    tokenUrl: https://a.example/t\n    clientId: c\n");
        assertTrue(noSecret.contains("rcs.providers[0].oauth.clientSecret is required"), noSecret);
        String badUrl = error(base + "    tokenUrl: mailto:a@b.example\n    clientId: c\n    clientSecret: s\n");
        assertTrue(badUrl.contains("rcs.providers[0].oauth.tokenUrl"), badUrl);
        String unknown = error(base + "    tokenUrl: https://a.example/t\n    clientId: c\n    clientSecret: s\n    scope: x\n");
        assertTrue(unknown.contains("unknown configuration key 'rcs.providers[0].oauth.scope'"), unknown);
        String notObject = error("- id: maap1\n  type: maap\n  baseUrl: https://maap.example\n  botId: b\n  allowedSources: [\"192.0.2.10\"]\n  oauth: token\n");
        assertTrue(notObject.contains("rcs.providers[0].oauth must be an object"), notObject);
    }

    @Test
    void theSecondProviderIsNamedByItsIndex() {
        String message = error(RBM + MAAP + "  rateLimit: 0\n");
        assertTrue(message.contains("rcs.providers[1].rateLimit"), message);
        assertTrue(error(RBM + "- 42\n").contains("rcs.providers[1] must be an object"));
    }

    @Test
    void idsAreUnique() {
        String message = error(RBM + MAAP.replace("id: maap1", "id: rbm1"));
        assertTrue(message.contains("rcs.providers[1].id 'rbm1' is used twice"), message);
    }

    @Test
    void aNumberServedByTwoProvidersNamesBoth() {
        String message = error(RBM + "  numbers: [\"+390612345678\"]\n" + MAAP + "  numbers: [\"+14155550100\", \"+390612345678\"]\n");
        assertTrue(message.contains("rcs.providers[1].numbers[1]"), message);
        assertTrue(message.contains("'rbm1'") && message.contains("'maap1'"), message);
    }

    @Test
    void secretsStayOutOfToStringAndErrors() {
        List<RcsProviderSettings> all = read(RBM + MAAP);
        String printed = all.toString();
        for (String secret : List.of("static-bearer-token", "webhook-client-token", "oauth-client-secret")) {
            assertFalse(printed.contains(secret), printed);
        }
        assertTrue(printed.contains("[REDACTED]"), printed);
        String message = error(RBM.replace("baseUrl: https://provider.example", "baseUrl: 'https://user:hunter2@provider.example'"));
        assertFalse(message.contains("hunter2"), message);
    }

    @Test
    void publicUrlHelper() {
        assertEquals("https://sb.example", RcsProvidersReader.httpUrl("k", "https://sb.example/"));
        assertEquals("http://sb.example:8080/base", RcsProvidersReader.httpUrl("k", "http://sb.example:8080/base/"));
        assertEquals("https://sb.example", RcsProvidersReader.httpUrl("k", "https://sb.example"));
        assertThrows(ConfigException.class, () -> RcsProvidersReader.httpUrl("k", "https://sb.example/#x"));
        assertThrows(ConfigException.class, () -> RcsProvidersReader.httpUrl("k", "https:///path"));
        assertThrows(ConfigException.class, () -> RcsProvidersReader.httpUrl("k", "https://sb example"));
    }
}
