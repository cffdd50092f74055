package dev.switchboard.carrier.smpp.server;

import java.util.List;
import java.util.Set;

/**
 * An account that may bind to the SMPP server: the served numbers it may deliver to, the peer
 * prefixes reached back through it, its throughput in messages per second, and the source
 * addresses it may submit from (regular expressions over the normalised address, as SMPP's
 * address_range; empty means any).
 */
public record SmppAccount(String systemId, String password, Set<String> numbers, List<String> prefixes, int throughput,
                          List<java.util.regex.Pattern> sources) {
    public SmppAccount {
        numbers = Set.copyOf(numbers);
        prefixes = List.copyOf(prefixes);
        sources = List.copyOf(sources);
    }

    public SmppAccount(String systemId, String password, Set<String> numbers, List<String> prefixes, int throughput) {
        this(systemId, password, numbers, prefixes, throughput, List.of());
    }

    /** Whether this account may submit messages from {@code source}. */
    public boolean allowsSource(String source) {
        return sources.isEmpty() || sources.stream().anyMatch(p -> p.matcher(source).matches());
    }

    @Override
    public String toString() {
        return "SmppAccount[systemId=" + systemId + ", password=[REDACTED], numbers=" + numbers + ", prefixes=" + prefixes
                + ", throughput=" + throughput + ", sources=" + sources + "]";
    }
}
