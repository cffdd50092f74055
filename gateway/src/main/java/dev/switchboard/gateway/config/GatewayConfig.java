package dev.switchboard.gateway.config;

import java.nio.file.Path;
import java.util.Optional;

/** The gateway's validated configuration. */
public record GatewayConfig(Http http, Admin admin, Devices devices, Media media, Database database,
                            dev.switchboard.carrier.smpp.server.SmppServerSettings smppServer,
                            java.util.List<dev.switchboard.carrier.smpp.client.SmppCarrierSettings> smppCarriers,
                            Smpp smpp, Rcs rcs) {

    /**
     * @param publicUrl the base URL ({@code scheme://host[:port]}, no trailing slash) at which RCS providers and
     *                  SMS recipients reach this gateway; empty means derive it at runtime
     */
    public record Http(String host, int port, int maxBodyBytes, String publicUrl) {}

    /** Empty token: generate one on first start and keep it in the data folder. */
    public record Admin(Optional<Secret> token) {}

    public record Devices(int maxCompanions, int primaryCheckinDays, int linkTtlSeconds, int enrollmentTtlHours,
                          int checkinSweepMinutes) {}

    /** @param publicLinkTtlHours how long a signed public media link stays valid */
    public record Media(Path dir, long maxBytes, int publicLinkTtlHours) {
        public java.time.Duration publicLinkTtl() {
            return java.time.Duration.ofHours(publicLinkTtlHours);
        }
    }

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

    /** The RCS providers ({@code rcs.providers}); empty means RCS is off. Secrets stay out of {@code toString}. */
    public record Rcs(java.util.List<dev.switchboard.carrier.rcs.RcsProviderSettings> providers) {
        public Rcs {
            providers = java.util.List.copyOf(providers);
        }
    }

    /** Where the gateway keeps its own files (generated admin token, chosen port) whatever the database. */
    public Path dataDir() { return database.embedded().dataDir(); }
}
