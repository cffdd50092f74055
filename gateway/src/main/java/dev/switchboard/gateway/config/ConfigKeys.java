package dev.switchboard.gateway.config;

import java.util.List;

/**
 * Every configuration key, with its default. The shipped {@code config/gateway.yaml} documents
 * the same keys; a test loads it so the two cannot drift apart.
 */
public final class ConfigKeys {
    public static final String ENV_PREFIX = "SWITCHBOARD_";

    public static final Key HTTP_HOST = Key.string("http.host", "0.0.0.0");
    public static final Key HTTP_PORT = Key.integer("http.port", 8080, 0, 65_535);
    public static final Key HTTP_MAX_BODY_BYTES = Key.integer("http.maxBodyBytes", 1_048_576, 1_024, 64 * 1_048_576);
    /**
     * The base URL ({@code scheme://host[:port]}, no trailing slash) at which RCS providers and SMS
     * recipients reach this gateway: signed media links and webhooks. Empty: derived at runtime.
     */
    public static final Key HTTP_PUBLIC_URL = Key.string("http.publicUrl", "");

    public static final Key ADMIN_TOKEN = Key.secret("admin.token");

    public static final Key DEVICES_MAX_COMPANIONS = Key.integer("devices.maxCompanions", 4, 0, 64);
    public static final Key DEVICES_PRIMARY_CHECKIN_DAYS = Key.integer("devices.primaryCheckinDays", 14, 1, 3_650);
    public static final Key DEVICES_LINK_TTL_SECONDS = Key.integer("devices.linkTtlSeconds", 120, 10, 3_600);
    public static final Key DEVICES_ENROLLMENT_TTL_HOURS = Key.integer("devices.enrollmentTtlHours", 24, 1, 720);
    public static final Key DEVICES_CHECKIN_SWEEP_MINUTES = Key.integer("devices.checkinSweepMinutes", 60, 1, 10_080);

    public static final Key MEDIA_DIR = Key.string("media.dir", "");
    public static final Key MEDIA_MAX_BYTES = Key.integer("media.maxBytes", 16 * 1_048_576, 1, 1_073_741_824);
    /** How long a signed public media link stays valid, in hours. */
    public static final Key MEDIA_PUBLIC_LINK_TTL_HOURS = Key.integer("media.publicLinkTtlHours", 168, 1, 8_760);

    public static final Key DATABASE_URL = Key.string("database.url", "");
    public static final Key DATABASE_USER = Key.string("database.user", "");
    public static final Key DATABASE_PASSWORD = Key.secret("database.password");
    public static final Key DATABASE_POOL_SIZE = Key.integer("database.poolSize", 16, 1, 512);
    public static final Key DATABASE_EMBEDDED_DATA_DIR = Key.string("database.embedded.dataDir", "./data");
    public static final Key DATABASE_EMBEDDED_PORT = Key.integer("database.embedded.port", 0, 0, 65_535);

    public static final Key SMPP_SERVER_PORT = Key.integer("smpp.server.port", 2775, 0, 65_535);
    /** A list of accounts; from the environment it is given as JSON. */
    public static final Key SMPP_SERVER_ACCOUNTS = Key.list("smpp.server.accounts");
    /** PDUs of one bind worked on at once; each waits for its commit, so it is the bind's effective window. */
    public static final Key SMPP_SERVER_WINDOW = Key.integer("smpp.server.window", 32, 1, 1_000);

    /** The carriers' SMSCs Switchboard binds to; from the environment it is given as JSON. */
    public static final Key SMPP_CARRIERS = Key.list("smpp.carriers");

    /** How long the segments of a long inbound SMS wait for the missing ones before it is delivered with gap markers. */
    public static final Key SMPP_REASSEMBLY_TIMEOUT_SECONDS = Key.integer("smpp.reassemblyTimeoutSeconds", 600, 1, 7 * 86_400);

    /** The RCS providers (RBM or MaaP) Switchboard sends through; from the environment it is given as JSON. */
    public static final Key RCS_PROVIDERS = Key.list("rcs.providers");

    public static final List<Key> ALL = List.of(HTTP_HOST, HTTP_PORT, HTTP_MAX_BODY_BYTES, HTTP_PUBLIC_URL, ADMIN_TOKEN,
            DEVICES_MAX_COMPANIONS, DEVICES_PRIMARY_CHECKIN_DAYS, DEVICES_LINK_TTL_SECONDS, DEVICES_ENROLLMENT_TTL_HOURS,
            DEVICES_CHECKIN_SWEEP_MINUTES, MEDIA_DIR, MEDIA_MAX_BYTES, MEDIA_PUBLIC_LINK_TTL_HOURS, DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD,
            DATABASE_POOL_SIZE, DATABASE_EMBEDDED_DATA_DIR, DATABASE_EMBEDDED_PORT, SMPP_SERVER_PORT, SMPP_SERVER_ACCOUNTS, SMPP_SERVER_WINDOW, SMPP_CARRIERS,
            SMPP_REASSEMBLY_TIMEOUT_SECONDS, RCS_PROVIDERS);

    private ConfigKeys() {}

    /** One key: its dotted name, type, default and, for integers, the accepted range. */
    public record Key(String name, Type type, String defaultValue, long min, long max) {
        public enum Type { STRING, INTEGER, SECRET, LIST }

        static Key string(String name, String defaultValue) { return new Key(name, Type.STRING, defaultValue, 0, 0); }

        static Key integer(String name, long defaultValue, long min, long max) {
            return new Key(name, Type.INTEGER, Long.toString(defaultValue), min, max);
        }

        static Key secret(String name) { return new Key(name, Type.SECRET, "", 0, 0); }

        static Key list(String name) { return new Key(name, Type.LIST, "[]", 0, 0); }

        /** {@code database.embedded.dataDir} becomes {@code SWITCHBOARD_DATABASE_EMBEDDED_DATA_DIR}. */
        public String envName() {
            return ENV_PREFIX + name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(java.util.Locale.ROOT);
        }
    }
}
