package dev.switchboard.carrier.rcs;

import java.util.Set;

/**
 * What a capability check said about a peer. {@code features} uses the RBM names
 * ({@code RICHCARD_STANDALONE}, {@code RICHCARD_CAROUSEL}, {@code ACTION_DIAL}, {@code ACTION_OPEN_URL},
 * {@code ACTION_VIEW_LOCATION}, {@code ACTION_SHARE_LOCATION}, {@code ACTION_CREATE_CALENDAR_EVENT},
 * {@code REVOCATION}); the MaaP profile maps its own onto them. {@code known} is false when the
 * check itself failed (timeout, 5xx): the answer then says nothing about the peer.
 */
public record RcsCapability(boolean known, boolean reachable, Set<String> features) {
    public RcsCapability {
        features = Set.copyOf(features);
    }

    public static RcsCapability reachable(Set<String> features) { return new RcsCapability(true, true, features); }

    public static RcsCapability unreachable() { return new RcsCapability(true, false, Set.of()); }

    public static RcsCapability unknown() { return new RcsCapability(false, false, Set.of()); }
}
