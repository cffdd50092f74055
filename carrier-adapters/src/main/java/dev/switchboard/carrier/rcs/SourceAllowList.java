package dev.switchboard.carrier.rcs;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which source addresses may post a provider's webhooks: exact IPv4/IPv6 addresses or IPv4 CIDR
 * blocks. Addresses are compared as parsed numbers, never resolved, so no lookup happens; an
 * IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) matches the IPv4 blocks. Empty allows any source.
 */
public final class SourceAllowList {
    private final List<Source> sources;

    /** @throws IllegalArgumentException for an entry that is neither an address nor an IPv4 block */
    public SourceAllowList(List<String> entries) {
        this.sources = entries.stream().map(Source::parse).toList();
    }

    public boolean allows(String remoteAddress) {
        return sources.isEmpty() || (remoteAddress != null && sources.stream().anyMatch(s -> s.matches(remoteAddress)));
    }

    /** One allow-list entry: an exact address, or an IPv4 block. */
    private record Source(String exact, int network, int mask) {
        private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
        private static final String MAPPED_PREFIX = "::ffff:";

        static Source parse(String entry) {
            String trimmed = entry.trim();
            int slash = trimmed.indexOf('/');
            if (slash < 0) {
                return new Source(trimmed, 0, 0);
            }
            Integer network = ipv4(trimmed.substring(0, slash));
            int bits;
            try {
                bits = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (network == null || bits < 0 || bits > 32) {
                throw new IllegalArgumentException("allowed source '" + entry + "' is neither an address nor an IPv4 CIDR block");
            }
            int mask = bits == 0 ? 0 : -1 << (32 - bits);
            return new Source(null, network & mask, mask);
        }

        boolean matches(String address) {
            if (exact != null) {
                return exact.equals(address);
            }
            // A dual-stack listener reports IPv4 peers as IPv4-mapped IPv6 addresses.
            String v4 = address.regionMatches(true, 0, MAPPED_PREFIX, 0, MAPPED_PREFIX.length())
                    ? address.substring(MAPPED_PREFIX.length()) : address;
            Integer ip = ipv4(v4);
            return ip != null && (ip & mask) == network;
        }

        /** Parsed by hand: InetAddress would resolve a host name over DNS. */
        private static Integer ipv4(String text) {
            var m = IPV4.matcher(text);
            if (!m.matches()) {
                return null;
            }
            int ip = 0;
            for (int i = 1; i <= 4; i++) {
                int octet = Integer.parseInt(m.group(i));
                if (octet > 255) {
                    return null;
                }
                ip = (ip << 8) | octet;
            }
            return ip;
        }
    }
}
