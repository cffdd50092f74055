package dev.switchboard.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    private static final Path SHIPPED = Path.of("..", "config", "gateway.yaml");

    @Test
    void shippedConfigurationLoadsAndMatchesTheDefaults() {
        GatewayConfig shipped = new ConfigLoader(Map.of()).load(SHIPPED, true);
        GatewayConfig defaults = new ConfigLoader(Map.of()).load(Path.of("absent.yaml"), false);
        assertEquals(defaults, shipped, "the shipped file documents the defaults, nothing else");
        assertEquals(8080, shipped.http().port());
        assertEquals(4, shipped.devices().maxCompanions());
        assertEquals(14, shipped.devices().primaryCheckinDays());
        assertFalse(shipped.database().url().isPresent(), "embedded database by default");
        assertEquals(Path.of("./data"), shipped.dataDir());
        assertEquals(Path.of("./data").resolve("media"), shipped.media().dir());
        assertEquals("", shipped.http().publicUrl(), "derived at runtime by default");
        assertEquals(168, shipped.media().publicLinkTtlHours());
        assertEquals(java.time.Duration.ofDays(7), shipped.media().publicLinkTtl());
        assertEquals(java.util.List.of(), shipped.rcs().providers(), "RCS is off by default");
    }

    /** The commented rcs.providers example in the shipped file is itself a valid configuration. */
    @Test
    void shippedRcsExampleIsValid(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.util.List<String> lines = Files.readAllLines(SHIPPED);
        int rcs = lines.indexOf("rcs:");
        int example = rcs + lines.subList(rcs, lines.size()).indexOf("  # Example:");
        StringBuilder yaml = new StringBuilder("rcs:\n");
        for (String line : lines.subList(example + 1, lines.size())) {
            if (!line.startsWith("  #")) {
                break;
            }
            yaml.append(line.substring(3)).append('\n');
        }
        Path file = dir.resolve("example.yaml");
        Files.writeString(file, yaml.toString());
        java.util.List<dev.switchboard.carrier.rcs.RcsProviderSettings> providers =
                new ConfigLoader(Map.of()).load(file, true).rcs().providers();
        assertEquals(2, providers.size(), yaml.toString());
        assertEquals("rbm1", providers.get(0).id());
        assertEquals(dev.switchboard.carrier.rcs.RcsProviderSettings.Type.RBM, providers.get(0).type());
        assertEquals(java.util.List.of("+390612345678"), providers.get(0).numbers());
        assertEquals(dev.switchboard.carrier.rcs.RcsProviderSettings.Type.MAAP, providers.get(1).type());
        assertEquals("oauth-client-secret", providers.get(1).oauth().clientSecret());
    }

    @Test
    void rcsProvidersFromTheFileAndFromTheEnvironment(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("rcs.yaml");
        Files.writeString(file, "rcs:\n  providers:\n    - id: rbm1\n      type: rbm\n      baseUrl: https://provider.example/\n"
                + "      agentId: agent\n      token: file-token\n      clientToken: file-client-token\n      numbers: [\"+390612345678\"]\n");
        GatewayConfig fromFile = new ConfigLoader(Map.of()).load(file, true);
        assertEquals(1, fromFile.rcs().providers().size());
        assertEquals("https://provider.example", fromFile.rcs().providers().get(0).baseUrl());
        assertEquals(java.time.Duration.ofHours(4), fromFile.rcs().providers().get(0).capabilityTtl());

        String json = "[{\"id\":\"maap1\",\"type\":\"maap\",\"baseUrl\":\"https://maap.example\",\"botId\":\"bot\","
                + "\"oauth\":{\"tokenUrl\":\"https://maap.example/token\",\"clientId\":\"cid\",\"clientSecret\":\"env-client-secret\"},"
                + "\"allowedSources\":[\"10.0.0.0/8\"],\"requestTimeout\":\"2s\",\"rateLimit\":5}]";
        assertEquals("SWITCHBOARD_RCS_PROVIDERS", ConfigKeys.RCS_PROVIDERS.envName());
        GatewayConfig overridden = new ConfigLoader(Map.of("SWITCHBOARD_RCS_PROVIDERS", json)).load(file, true);
        assertEquals(1, overridden.rcs().providers().size(), "the environment's list replaces the file's");
        var p = overridden.rcs().providers().get(0);
        assertEquals("maap1", p.id());
        assertEquals("bot", p.agentId());
        assertEquals(java.util.List.of("10.0.0.0/8"), p.allowedSources());
        assertEquals(java.time.Duration.ofSeconds(2), p.requestTimeout());
        assertEquals(5, p.rateLimit());
        String printed = overridden.toString();
        assertFalse(printed.contains("env-client-secret"), printed);

        ConfigException bad = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of("SWITCHBOARD_RCS_PROVIDERS", "[{\"id\":\"x\",\"kind\":\"rbm\"}]")).load(file, true));
        assertTrue(bad.getMessage().contains("unknown configuration key 'rcs.providers[0].kind'"), bad.getMessage());
        ConfigException notJson = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of("SWITCHBOARD_RCS_PROVIDERS", "[{")).load(file, true));
        assertTrue(notJson.getMessage().contains("SWITCHBOARD_RCS_PROVIDERS"), notJson.getMessage());
    }

    @Test
    void rcsErrorsInTheFileNameTheKeyPath(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("rcs.yaml");
        Files.writeString(file, "rcs:\n  providers:\n    - id: rbm1\n      type: rbm\n      baseUrl: https://provider.example\n"
                + "      agentId: agent\n      token: t\n      clientToken: c\n      xyz: 1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(file, true));
        assertEquals("unknown configuration key 'rcs.providers[0].xyz'", e.getMessage());
        Files.writeString(file, "rcs:\n  provider: []\n");
        e = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(file, true));
        assertTrue(e.getMessage().contains("rcs.provider"), e.getMessage());
    }

    @Test
    void publicUrlIsValidatedAndLosesOneTrailingSlash(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path absent = Path.of("absent.yaml");
        assertEquals("https://sb.example.com",
                new ConfigLoader(Map.of("SWITCHBOARD_HTTP_PUBLIC_URL", "https://sb.example.com/")).load(absent, false).http().publicUrl());
        assertEquals("http://sb.example.com:8443",
                new ConfigLoader(Map.of("SWITCHBOARD_HTTP_PUBLIC_URL", " http://sb.example.com:8443 ")).load(absent, false).http().publicUrl());
        Path file = dir.resolve("public.yaml");
        Files.writeString(file, "http:\n  publicUrl: https://gw.example/switchboard/\n");
        assertEquals("https://gw.example/switchboard", new ConfigLoader(Map.of()).load(file, true).http().publicUrl());
        assertEquals("", new ConfigLoader(Map.of("SWITCHBOARD_HTTP_PUBLIC_URL", "")).load(file, true).http().publicUrl(),
                "the environment can reset it to derived");
        for (String bad : java.util.List.of("ftp://sb.example", "sb.example", "https://sb.example/?x=1", "https://sb.example/#top",
                "https://", "https://user:pw@sb.example")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> new ConfigLoader(Map.of("SWITCHBOARD_HTTP_PUBLIC_URL", bad)).load(absent, false), bad);
            assertTrue(e.getMessage().contains("http.publicUrl"), e.getMessage());
        }
    }

    @Test
    void publicLinkTtlHoursIsAnIntegerInRange(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path absent = Path.of("absent.yaml");
        assertEquals(168, new ConfigLoader(Map.of()).load(absent, false).media().publicLinkTtlHours());
        assertEquals(24, new ConfigLoader(Map.of("SWITCHBOARD_MEDIA_PUBLIC_LINK_TTL_HOURS", "24")).load(absent, false)
                .media().publicLinkTtlHours());
        Path file = dir.resolve("media.yaml");
        Files.writeString(file, "media:\n  publicLinkTtlHours: 8760\n");
        assertEquals(java.time.Duration.ofHours(8760), new ConfigLoader(Map.of()).load(file, true).media().publicLinkTtl());
        for (String bad : java.util.List.of("0", "8761", "a week")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> new ConfigLoader(Map.of("SWITCHBOARD_MEDIA_PUBLIC_LINK_TTL_HOURS", bad)).load(absent, false), bad);
            assertTrue(e.getMessage().contains("media.publicLinkTtlHours"), e.getMessage());
        }
    }

    @Test
    void smppServerWindowDefaultsTo32AndIsBounded() {
        Path absent = Path.of("absent.yaml");
        assertEquals(32, new ConfigLoader(Map.of()).load(absent, false).smppServer().window());
        assertEquals(64, new ConfigLoader(Map.of("SWITCHBOARD_SMPP_SERVER_WINDOW", "64")).load(absent, false).smppServer().window());
        for (String bad : java.util.List.of("0", "1001", "many")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> new ConfigLoader(Map.of("SWITCHBOARD_SMPP_SERVER_WINDOW", bad)).load(absent, false), bad);
            assertTrue(e.getMessage().contains("smpp.server.window"), e.getMessage());
        }
    }

    @Test
    void everyShippedKeyIsKnownAndEveryKnownKeyIsShipped() throws Exception {
        String text = Files.readString(SHIPPED);
        for (ConfigKeys.Key key : ConfigKeys.ALL) {
            String leaf = key.name().substring(key.name().lastIndexOf('.') + 1);
            assertTrue(text.contains(leaf + ":"), key.name() + " is documented in the shipped file");
        }
    }

    @Test
    void environmentOverridesTheFileWithCamelCaseHumpsAsUnderscores(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("partial.yaml");
        Files.writeString(file, "http:\n  port: 9000\ndatabase:\n  embedded:\n    dataDir: /var/lib/sb\n");
        GatewayConfig fromFile = new ConfigLoader(Map.of()).load(file, true);
        assertEquals(9000, fromFile.http().port());
        assertEquals("0.0.0.0", fromFile.http().host(), "keys the file leaves out take their defaults");
        GatewayConfig overridden = new ConfigLoader(Map.of("SWITCHBOARD_HTTP_PORT", "0",
                "SWITCHBOARD_DATABASE_EMBEDDED_DATA_DIR", "/tmp/x", "SWITCHBOARD_ADMIN_TOKEN", "t0p",
                "SWITCHBOARD_DEVICES_MAX_COMPANIONS", "2")).load(file, true);
        assertEquals(0, overridden.http().port());
        assertEquals(Path.of("/tmp/x"), overridden.dataDir());
        assertEquals("t0p", overridden.admin().token().orElseThrow().value());
        assertEquals(2, overridden.devices().maxCompanions());
    }

    @Test
    void envNamesFollowTheDocumentedRule() {
        assertEquals("SWITCHBOARD_HTTP_PORT", ConfigKeys.HTTP_PORT.envName());
        assertEquals("SWITCHBOARD_DATABASE_EMBEDDED_DATA_DIR", ConfigKeys.DATABASE_EMBEDDED_DATA_DIR.envName());
        assertEquals("SWITCHBOARD_ADMIN_TOKEN", ConfigKeys.ADMIN_TOKEN.envName());
        assertEquals("SWITCHBOARD_DEVICES_PRIMARY_CHECKIN_DAYS", ConfigKeys.DEVICES_PRIMARY_CHECKIN_DAYS.envName());
        assertEquals("SWITCHBOARD_HTTP_PUBLIC_URL", ConfigKeys.HTTP_PUBLIC_URL.envName());
        assertEquals("SWITCHBOARD_MEDIA_PUBLIC_LINK_TTL_HOURS", ConfigKeys.MEDIA_PUBLIC_LINK_TTL_HOURS.envName());
        assertEquals("SWITCHBOARD_RCS_PROVIDERS", ConfigKeys.RCS_PROVIDERS.envName());
    }

    @Test
    void invalidValuesStopStartUpNamingTheKey(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ConfigException port = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of("SWITCHBOARD_HTTP_PORT", "eighty")).load(Path.of("absent.yaml"), false));
        assertTrue(port.getMessage().contains("http.port"), port.getMessage());
        ConfigException range = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of("SWITCHBOARD_HTTP_PORT", "70000")).load(Path.of("absent.yaml"), false));
        assertTrue(range.getMessage().contains("http.port"), range.getMessage());
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, "http:\n  prot: 80\n");
        ConfigException unknown = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(typo, true));
        assertTrue(unknown.getMessage().contains("http.prot"), unknown.getMessage());
        assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(dir.resolve("missing.yaml"), true));
    }

    @Test
    void secretsNeverPrintTheirValue() {
        String rcs = "[{\"id\":\"rbm1\",\"type\":\"rbm\",\"baseUrl\":\"https://p.example\",\"agentId\":\"a\","
                + "\"token\":\"super-secret-token\",\"clientToken\":\"super-secret-client\"},"
                + "{\"id\":\"maap1\",\"type\":\"maap\",\"baseUrl\":\"https://m.example\",\"botId\":\"b\","
                + "\"allowedSources\":[\"192.0.2.10\"],"
                + "\"oauth\":{\"tokenUrl\":\"https://m.example/t\",\"clientId\":\"c\",\"clientSecret\":\"super-secret-oauth\"}}]";
        GatewayConfig c = new ConfigLoader(Map.of("SWITCHBOARD_ADMIN_TOKEN", "super-secret-admin",
                "SWITCHBOARD_DATABASE_PASSWORD", "super-secret-db", "SWITCHBOARD_RCS_PROVIDERS", rcs)).load(Path.of("absent.yaml"), false);
        assertEquals(2, c.rcs().providers().size());
        String printed = c.toString();
        assertFalse(printed.contains("super-secret"), printed);
        assertTrue(printed.contains("[REDACTED]"));
    }
}
