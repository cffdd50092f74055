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
        GatewayConfig c = new ConfigLoader(Map.of("SWITCHBOARD_ADMIN_TOKEN", "super-secret-admin",
                "SWITCHBOARD_DATABASE_PASSWORD", "super-secret-db")).load(Path.of("absent.yaml"), false);
        String printed = c.toString();
        assertFalse(printed.contains("super-secret"), printed);
        assertTrue(printed.contains("[REDACTED]"));
    }
}
