package dev.switchboard.gateway.config;

import java.nio.file.Path;
import java.util.Optional;

/** The gateway's validated configuration. */
public record GatewayConfig(Http http, Admin admin, Devices devices, Media media, Database database,
                            dev.switchboard.carrier.smpp.server.SmppServerSettings smppServer,
                            java.util.List<dev.switchboard.carrier.smpp.client.SmppCarrierSettings> smppCarriers,
                            Smpp smpp) {

    public record Http(String host, int port, int maxBodyBytes) {}

    /** Empty token: generate one on first start and keep it in the data folder. */
    public record Admin(Optional<Secret> token) {}

    public record Devices(int maxCompanions, int primaryCheckinDays, int linkTtlSeconds, int enrollmentTtlHours,
                          int checkinSweepMinutes) {}

    public record Media(Path dir, long maxBytes) {}

    /** Empty url: run the embedded PostgreSQL in {@code embedded.dataDir}. */
    public record Database(Optional<String> url, String user, Optional<Secret> password, int poolSize, Embedded embedded) {}

    public record Embedded(Path dataDir, int port) {}

    /** What both SMPP roles share. */
    public record Smpp(int reassemblyTimeoutSeconds) {
        /** How long an incomplete long SMS waits, from its first segment, before it is delivered with gap markers. */
        public java.time.Duration reassemblyTimeout() {
            return java.time.Duration.ofSeconds(reassemblyTimeoutSeconds);
        }
    }

    /** Where the gateway keeps its own files (generated admin token, chosen port) whatever the database. */
    public Path dataDir() { return database.embedded().dataDir(); }
}
