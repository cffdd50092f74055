package dev.switchboard.carrier.smpp.server;

import java.util.List;
import java.util.Set;

/**
 * An account that may bind to the SMPP server: the served numbers it may deliver to, the peer
 * prefixes reached back through it, and its throughput in messages per second.
 */
public record SmppAccount(String systemId, String password, Set<String> numbers, List<String> prefixes, int throughput) {
    public SmppAccount {
        numbers = Set.copyOf(numbers);
        prefixes = List.copyOf(prefixes);
    }

    @Override
    public String toString() {
        return "SmppAccount[systemId=" + systemId + ", password=[REDACTED], numbers=" + numbers + ", prefixes=" + prefixes
                + ", throughput=" + throughput + "]";
    }
}
