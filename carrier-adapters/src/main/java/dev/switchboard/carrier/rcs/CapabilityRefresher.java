package dev.switchboard.carrier.rcs;

import dev.switchboard.inbox.messages.RcsCapabilityStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;

/**
 * Renews cached capabilities shortly before they expire, so a send to a known peer does not wait
 * for a capability check. A check that fails leaves the entry to expire.
 */
public final class CapabilityRefresher {
    /** Entries that expire within this window are renewed on each run. */
    static final Duration AHEAD = Duration.ofMinutes(5);

    private final RcsProviderSet providers;
    private final RcsCapabilityStore capabilities;
    private final Clock clock;

    public CapabilityRefresher(RcsProviderSet providers, RcsCapabilityStore capabilities, Clock clock) {
        this.providers = providers;
        this.capabilities = capabilities;
        this.clock = clock;
    }

    private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();

    /** One pass; answers how many entries were renewed (0 when a previous pass is still running). */
    public Future<Integer> refresh() {
        if (!running.compareAndSet(false, true)) {
            return Future.succeededFuture(0);
        }
        return pass().onComplete(ar -> running.set(false));
    }

    private Future<Integer> pass() {
        return capabilities.expiringBefore(clock.instant().plus(AHEAD), 100).compose(entries -> {
            Future<Integer> chain = Future.succeededFuture(0);
            for (RcsCapabilityStore.Entry e : entries) {
                var provider = providers.byId(e.provider());
                if (provider.isEmpty()) {
                    continue;
                }
                chain = chain.compose(n -> provider.get().provider().capabilities(e.peer()).compose(cap -> !cap.known()
                        ? Future.succeededFuture(n)
                        : capabilities.store(e.provider(), e.peer(), cap.reachable(), cap.features(),
                                provider.get().settings().capabilityTtl()).map(n + 1)));
            }
            return chain;
        });
    }
}
