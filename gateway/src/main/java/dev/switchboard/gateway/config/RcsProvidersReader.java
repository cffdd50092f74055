package dev.switchboard.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.carrier.rcs.RcsProviderSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code rcs.providers}: the RBM and MaaP providers Switchboard sends RCS through, naming the
 * exact element when something is wrong. Error messages never contain a secret value.
 */
final class RcsProvidersReader {
    private static final Set<String> FIELDS = Set.of("id", "type", "baseUrl", "agentId", "botId", "token", "oauth", "clientToken",
            "allowedSources", "numbers", "capabilityTtl", "requestTimeout", "messageTtl", "fallbackDeadline", "rateLimit");
    private static final Set<String> OAUTH_FIELDS = Set.of("tokenUrl", "clientId", "clientSecret");

    /** It appears in {@code /hooks/rcs/{id}} and in references {@code rcs:<id>:...}, so no ':' or '/'. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)?");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private RcsProvidersReader() {}

    static List<RcsProviderSettings> read(String key, JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigException("invalid configuration: " + key + " must be a list");
        }
        List<RcsProviderSettings> providers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Map<String, String> numberOwners = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            Entry e = new Entry(key + "[" + i + "]", node.get(i), FIELDS);
            String id = e.text("id", true);
            if (!ID.matcher(id).matches()) {
                throw new ConfigException("invalid configuration: " + e.at + ".id must be 1 to 32 letters, digits, '_' or '-'"
                        + " (it appears in /hooks/rcs/{id} and in rcs:<id>: references)");
            }
            if (!ids.add(id)) {
                throw new ConfigException("invalid configuration: " + e.at + ".id '" + id + "' is used twice");
            }
            String typeText = e.text("type", true);
            RcsProviderSettings.Type type = switch (typeText.toLowerCase(Locale.ROOT)) {
                case "rbm" -> RcsProviderSettings.Type.RBM;
                case "maap" -> RcsProviderSettings.Type.MAAP;
                default -> throw new ConfigException("invalid configuration: " + e.at + ".type must be rbm or maap (got '" + typeText + "')");
            };
            String baseUrl = httpUrl(e.at + ".baseUrl", e.text("baseUrl", true));

            String agentId = e.text("agentId", false);
            String botId = e.text("botId", false);
            if (agentId != null && botId != null) {
                throw new ConfigException("invalid configuration: " + e.at + ".agentId and " + e.at + ".botId are both given; give one");
            }
            if (agentId == null && botId == null) {
                throw new ConfigException("invalid configuration: " + e.at + (type == RcsProviderSettings.Type.RBM ? ".agentId" : ".botId")
                        + " is required");
            }

            String token = e.secret("token");
            RcsProviderSettings.OAuth oauth = e.oauth();
            if (token != null && oauth != null) {
                throw new ConfigException("invalid configuration: " + e.at + ".token and " + e.at + ".oauth are both given; give one");
            }
            if (token == null && oauth == null) {
                throw new ConfigException("invalid configuration: " + e.at + ".token or " + e.at + ".oauth is required");
            }

            String clientToken = e.secret("clientToken");
            if (type == RcsProviderSettings.Type.RBM && clientToken == null) {
                throw new ConfigException("invalid configuration: " + e.at + ".clientToken is required for rbm"
                        + " (the webhook handshake and signature key)");
            }
            if (type == RcsProviderSettings.Type.MAAP && clientToken != null) {
                throw new ConfigException("invalid configuration: " + e.at + ".clientToken is not allowed for maap:"
                        + " maap webhooks are secured by allowedSources");
            }

            List<String> allowedSources = e.strings("allowedSources");
            // MaaP webhooks carry no signature: without an allow-list anyone could post messages into an inbox.
            if (type == RcsProviderSettings.Type.MAAP && allowedSources.isEmpty()) {
                throw new ConfigException("invalid configuration: " + e.at + ".allowedSources is required for maap:"
                        + " its webhooks carry no signature, so only these addresses may post them");
            }
            for (int s = 0; s < allowedSources.size(); s++) {
                if (!isSource(allowedSources.get(s))) {
                    throw new ConfigException("invalid configuration: " + e.at + ".allowedSources[" + s + "] must be an IPv4 or IPv6 address"
                            + " or an IPv4 CIDR block such as 10.0.0.0/8 (got '" + allowedSources.get(s) + "')");
                }
            }

            List<String> numbers = e.strings("numbers");
            Set<String> own = new HashSet<>();
            for (int n = 0; n < numbers.size(); n++) {
                String number = numbers.get(n);
                String at = e.at + ".numbers[" + n + "]";
                if (!E164.matcher(number).matches()) {
                    throw new ConfigException("invalid configuration: " + at + " must be an E.164 number such as +390612345678 (got '"
                            + number + "')");
                }
                if (!own.add(number)) {
                    throw new ConfigException("invalid configuration: " + at + " '" + number + "' is listed twice");
                }
                String owner = numberOwners.putIfAbsent(number, id);
                if (owner != null) {
                    throw new ConfigException("invalid configuration: " + at + " '" + number + "' is served by both provider '" + owner
                            + "' and provider '" + id + "'; a number can be served by one RCS provider only");
                }
            }

            providers.add(new RcsProviderSettings(id, type, baseUrl, agentId != null ? agentId : botId, token, oauth, clientToken,
                    allowedSources, numbers,
                    e.duration("capabilityTtl", Duration.ofHours(4), Duration.ofSeconds(1), Duration.ofDays(365)),
                    e.duration("requestTimeout", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMinutes(5)),
                    e.integer("rateLimit", 50, 1, 10_000),
                    e.duration("messageTtl", Duration.ofDays(1), Duration.ofSeconds(1), Duration.ofDays(15)),
                    e.duration("fallbackDeadline", Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(7))));
        }
        return providers;
    }

    /**
     * An http or https URL with a host, without user info, query or fragment; one trailing '/' is
     * stripped. The value is not repeated in the error, in case it carries credentials.
     */
    static String httpUrl(String at, String value) {
        String problem = null;
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                problem = "must be an http or https URL";
            } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
                problem = "must be an http or https URL with a host";
            } else if (uri.getRawUserInfo() != null) {
                problem = "must not contain user info";
            } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problem = "must not contain a query or fragment";
            }
        } catch (URISyntaxException e) {
            problem = "must be an http or https URL";
        }
        if (problem != null) {
            throw new ConfigException("invalid configuration: " + at + " " + problem);
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    /** An exact IPv4 or IPv6 address, or an IPv4 CIDR block: what the MaaP webhook's allow-list understands. */
    static boolean isSource(String text) {
        int slash = text.indexOf('/');
        if (slash >= 0) {
            String bits = text.substring(slash + 1);
            return isIpv4(text.substring(0, slash)) && bits.matches("[0-9]{1,2}") && Integer.parseInt(bits) <= 32;
        }
        return isIpv4(text) || isIpv6(text);
    }

    private static boolean isIpv4(String text) {
        Matcher m = IPV4.matcher(text);
        if (!m.matches()) {
            return false;
        }
        for (int g = 1; g <= 4; g++) {
            if (Integer.parseInt(m.group(g)) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Parsed as a bracketed literal, so that nothing is ever looked up over DNS. */
    private static boolean isIpv6(String text) {
        if (!text.contains(":") || !IPV6_CHARS.matcher(text).matches()) {
            return false;
        }
        try {
            InetAddress.getByName("[" + text + "]");
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static final class Entry {
        final String at;
        final JsonNode node;

        Entry(String at, JsonNode node, Set<String> fields) {
            this.at = at;
            this.node = node;
            if (node == null || !node.isObject()) {
                throw new ConfigException("invalid configuration: " + at + " must be an object");
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!fields.contains(f)) {
                    throw new ConfigException("unknown configuration key '" + at + "." + f + "'");
                }
            }
        }

        /** A trimmed text; missing, null or blank is absent: null, or an error when {@code required}. */
        String text(String field, boolean required) {
            JsonNode v = node.get(field);
            if (v != null && !v.isNull() && !v.isValueNode()) {
                throw new ConfigException("invalid configuration: " + at + "." + field + " must be a single value");
            }
            String text = v == null || v.isNull() ? "" : v.asText().trim();
            if (text.isEmpty()) {
                if (required) {
                    throw new ConfigException("invalid configuration: " + at + "." + field + " is required");
                }
                return null;
            }
            return text;
        }

        /** Like {@link #text}, optional, but kept exactly as given; the value never appears in an error. */
        String secret(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isValueNode()) {
                throw new ConfigException("invalid configuration: " + at + "." + field + " must be a single value");
            }
            return v.asText().isBlank() ? null : v.asText();
        }

        RcsProviderSettings.OAuth oauth() {
            JsonNode v = node.get("oauth");
            if (v == null || v.isNull()) {
                return null;
            }
            Entry o = new Entry(at + ".oauth", v, OAUTH_FIELDS);
            String tokenUrl = httpUrl(o.at + ".tokenUrl", o.text("tokenUrl", true));
            String clientId = o.text("clientId", true);
            String clientSecret = o.secret("clientSecret");
            if (clientSecret == null) {
                throw new ConfigException("invalid configuration: " + o.at + ".clientSecret is required");
            }
            return new RcsProviderSettings.OAuth(tokenUrl, clientId, clientSecret);
        }

        int integer(String field, int defaultValue, int min, int max) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return defaultValue;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
                throw new ConfigException("invalid configuration: " + at + "." + field + " must be an integer between " + min + " and " + max);
            }
            return v.asInt();
        }

        /** {@code <integer><unit>} with unit ms, s, m, h or d; a bare integer counts seconds. */
        Duration duration(String field, Duration defaultValue, Duration min, Duration max) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return defaultValue;
            }
            String problem = "invalid configuration: " + at + "." + field + " must be a duration such as 30s, 10m, 4h or 1d, between "
                    + format(min) + " and " + format(max) + " (got '" + v.asText() + "')";
            Duration d;
            if (v.isIntegralNumber()) {
                if (!v.canConvertToLong() || v.asLong() < 0 || v.asLong() > 999_999_999_999L) {
                    throw new ConfigException(problem);
                }
                d = Duration.ofSeconds(v.asLong());
            } else if (v.isTextual()) {
                Matcher m = DURATION.matcher(v.asText().trim());
                if (!m.matches()) {
                    throw new ConfigException(problem);
                }
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                try {
                    d = switch (unit) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    };
                } catch (ArithmeticException e) {
                    throw new ConfigException(problem);
                }
            } else {
                throw new ConfigException(problem);
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new ConfigException(problem);
            }
            return d;
        }

        private static String format(Duration d) {
            long ms = d.toMillis();
            if (ms % 86_400_000 == 0) {
                return ms / 86_400_000 + "d";
            } else if (ms % 3_600_000 == 0) {
                return ms / 3_600_000 + "h";
            } else if (ms % 60_000 == 0) {
                return ms / 60_000 + "m";
            } else if (ms % 1_000 == 0) {
                return ms / 1_000 + "s";
            }
            return ms + "ms";
        }

        /** A list of single values, trimmed; missing or null is empty. */
        List<String> strings(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw new ConfigException("invalid configuration: " + at + "." + field + " must be a list");
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                JsonNode item = v.get(i);
                if (!item.isValueNode() || item.isNull()) {
                    throw new ConfigException("invalid configuration: " + at + "." + field + "[" + i + "] must be a single value");
                }
                out.add(item.asText().trim());
            }
            return out;
        }
    }
}
