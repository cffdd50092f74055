package dev.switchboard.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.gateway.config.ConfigKeys.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import dev.switchboard.carrier.smpp.server.SmppServerSettings;

/**
 * Reads the YAML file, lets environment variables override any key, and validates everything
 * into a {@link GatewayConfig}. A key given nowhere takes its default; a key the gateway does not
 * know is an error, so a typo cannot silently leave a default in place.
 */
public final class ConfigLoader {
    private final Map<String, String> env;

    public ConfigLoader(Map<String, String> env) { this.env = env; }

    /** Loads {@code file}; a missing file is an error only when {@code required}. */
    public GatewayConfig load(Path file, boolean required) {
        JsonNode root = MissingNode.getInstance();
        if (Files.exists(file)) {
            try {
                root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
            }
        } else if (required) {
            throw new ConfigException("configuration file " + file + " does not exist");
        }
        return fromTree(root == null ? MissingNode.getInstance() : root);
    }

    GatewayConfig fromTree(JsonNode root) {
        Map<String, String> values = new HashMap<>();
        Map<String, JsonNode> lists = new HashMap<>();
        flatten("", root, values, lists);
        for (String name : values.keySet()) {
            if (ConfigKeys.ALL.stream().noneMatch(k -> k.name().equals(name))) {
                throw new ConfigException("unknown configuration key '" + name + "'");
            }
        }
        Values v = new Values(values, env);
        Path dataDir = Path.of(v.string(ConfigKeys.DATABASE_EMBEDDED_DATA_DIR));
        String mediaDir = v.string(ConfigKeys.MEDIA_DIR);
        return new GatewayConfig(
                new GatewayConfig.Http(v.string(ConfigKeys.HTTP_HOST), v.integer(ConfigKeys.HTTP_PORT),
                        v.integer(ConfigKeys.HTTP_MAX_BODY_BYTES), publicUrl(v.string(ConfigKeys.HTTP_PUBLIC_URL))),
                new GatewayConfig.Admin(v.secret(ConfigKeys.ADMIN_TOKEN)),
                new GatewayConfig.Devices(v.integer(ConfigKeys.DEVICES_MAX_COMPANIONS), v.integer(ConfigKeys.DEVICES_PRIMARY_CHECKIN_DAYS),
                        v.integer(ConfigKeys.DEVICES_LINK_TTL_SECONDS), v.integer(ConfigKeys.DEVICES_ENROLLMENT_TTL_HOURS),
                        v.integer(ConfigKeys.DEVICES_CHECKIN_SWEEP_MINUTES)),
                new GatewayConfig.Media(mediaDir.isEmpty() ? dataDir.resolve("media") : Path.of(mediaDir),
                        v.integer(ConfigKeys.MEDIA_MAX_BYTES), v.integer(ConfigKeys.MEDIA_PUBLIC_LINK_TTL_HOURS)),
                new GatewayConfig.Database(nonEmpty(v.string(ConfigKeys.DATABASE_URL)), v.string(ConfigKeys.DATABASE_USER),
                        v.secret(ConfigKeys.DATABASE_PASSWORD), v.integer(ConfigKeys.DATABASE_POOL_SIZE),
                        new GatewayConfig.Embedded(dataDir, v.integer(ConfigKeys.DATABASE_EMBEDDED_PORT))),
                new SmppServerSettings(v.integer(ConfigKeys.SMPP_SERVER_PORT),
                        SmppAccountsReader.read(ConfigKeys.SMPP_SERVER_ACCOUNTS.name(), list(ConfigKeys.SMPP_SERVER_ACCOUNTS, lists)),
                        v.integer(ConfigKeys.SMPP_SERVER_WINDOW)),
                SmppCarriersReader.read(ConfigKeys.SMPP_CARRIERS.name(), list(ConfigKeys.SMPP_CARRIERS, lists)),
                new GatewayConfig.Smpp(v.integer(ConfigKeys.SMPP_REASSEMBLY_TIMEOUT_SECONDS)),
                new GatewayConfig.Rcs(RcsProvidersReader.read(ConfigKeys.RCS_PROVIDERS.name(), list(ConfigKeys.RCS_PROVIDERS, lists))));
    }

    /** {@code http.publicUrl}: empty (derive it at runtime), or an http/https URL without query or fragment, one trailing '/' stripped. */
    private static String publicUrl(String value) {
        return value.isEmpty() ? "" : RcsProvidersReader.httpUrl(ConfigKeys.HTTP_PUBLIC_URL.name(), value);
    }

    /** A list key: the environment's JSON wins over the file's list. */
    private JsonNode list(Key key, Map<String, JsonNode> lists) {
        String fromEnv = env.get(key.envName());
        if (fromEnv != null) {
            try {
                return new ObjectMapper(new YAMLFactory()).readTree(fromEnv);
            } catch (IOException e) {
                throw new ConfigException("invalid configuration: " + key.envName() + " must be a JSON list");
            }
        }
        return lists.getOrDefault(key.name(), MissingNode.getInstance());
    }

    private static Optional<String> nonEmpty(String s) { return s.isEmpty() ? Optional.empty() : Optional.of(s); }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Map<String, JsonNode> lists) {
        if (node == null || node.isMissingNode()) {
            return;
        }
        boolean listKey = ConfigKeys.ALL.stream().anyMatch(k -> k.name().equals(prefix) && k.type() == Key.Type.LIST);
        if (listKey) {
            lists.put(prefix, node);
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out, lists);
            }
        } else if (node.isNull()) {
            out.put(prefix, null);
        } else if (node.isValueNode()) {
            out.put(prefix, node.asText());
        } else {
            throw new ConfigException("configuration key '" + prefix + "' must be a single value");
        }
    }

    /** Resolves one key: environment first, then the file, then the default. */
    private record Values(Map<String, String> file, Map<String, String> env) {
        String raw(Key key) {
            String fromEnv = env.get(key.envName());
            if (fromEnv != null) {
                return fromEnv;
            }
            String fromFile = file.get(key.name());
            return fromFile != null ? fromFile : key.defaultValue();
        }

        String string(Key key) { return raw(key).trim(); }

        Optional<Secret> secret(Key key) {
            String value = raw(key);
            return value.isEmpty() ? Optional.empty() : Optional.of(new Secret(value));
        }

        int integer(Key key) {
            String value = raw(key).trim();
            long parsed;
            try {
                parsed = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new ConfigException("invalid configuration: " + key.name() + " must be an integer (got '" + value + "')");
            }
            if (parsed < key.min() || parsed > key.max()) {
                throw new ConfigException("invalid configuration: " + key.name() + " must be between " + key.min()
                        + " and " + key.max() + " (got " + parsed + ")");
            }
            return (int) parsed;
        }
    }
}
