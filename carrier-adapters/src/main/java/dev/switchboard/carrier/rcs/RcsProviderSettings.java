package dev.switchboard.carrier.rcs;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One configured RCS provider ({@code rcs.providers[]}).
 *
 * @param agentId         the RBM agent id, or the MaaP bot id
 * @param token           a static bearer token; null when {@code oauth} is used
 * @param oauth           OAuth2 client credentials; null when {@code token} is used
 * @param clientToken     RBM webhook client token (handshake and {@code X-Goog-Signature} key); null for MaaP
 * @param allowedSources  source IP addresses allowed to post webhooks (MaaP); empty means any
 * @param numbers         the served numbers (E.164) this provider serves
 * @param capabilityTtl   how long a capability answer is trusted
 * @param requestTimeout  how long one HTTP request to the provider may take
 * @param rateLimit       requests per second to the provider
 * @param messageTtl      the TTL given to the provider with each message
 * @param fallbackDeadline how long retryable failures are retried before revoking and falling back to SMS
 */
public record RcsProviderSettings(String id, Type type, String baseUrl, String agentId, String token, OAuth oauth,
                                  String clientToken, List<String> allowedSources, List<String> numbers,
                                  Duration capabilityTtl, Duration requestTimeout, int rateLimit, Duration messageTtl,
                                  Duration fallbackDeadline) {
    public enum Type { RBM, MAAP }

    /** Client-credentials grant: POST to {@code tokenUrl} with {@code grant_type=client_credentials}. */
    public record OAuth(String tokenUrl, String clientId, String clientSecret) {
        @Override
        public String toString() { return "OAuth[tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", clientSecret=[REDACTED]]"; }
    }

    public RcsProviderSettings {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(baseUrl, "baseUrl");
        allowedSources = List.copyOf(allowedSources);
        numbers = List.copyOf(numbers);
    }

    /** Secrets stay out of logs. */
    @Override
    public String toString() {
        return "RcsProviderSettings[id=" + id + ", type=" + type + ", baseUrl=" + baseUrl + ", agentId=" + agentId
                + ", token=" + (token == null ? null : "[REDACTED]") + ", oauth=" + oauth
                + ", clientToken=" + (clientToken == null ? null : "[REDACTED]") + ", numbers=" + numbers + "]";
    }
}
