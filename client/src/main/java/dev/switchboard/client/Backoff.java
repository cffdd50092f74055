package dev.switchboard.client;

import java.time.Duration;
import java.util.Random;

/**
 * Reconnect delays: doubling from {@code initial} up to {@code max}, each drawn at random from the
 * upper half of its step so that devices dropped together by a gateway restart do not all come
 * back in the same millisecond. Not thread-safe: one stream's loop owns it.
 */
final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final Random random;
    private int attempt;

    Backoff(Duration initial, Duration max, Random random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    Duration next() {
        // Shifting past ~30 bits would overflow long millis; by then the cap has long applied.
        long ceiling = Math.min(maxMillis, initialMillis << Math.min(attempt, 30));
        attempt++;
        long half = ceiling / 2;
        return Duration.ofMillis(half + (long) (random.nextDouble() * (ceiling - half + 1)));
    }

    void reset() {
        attempt = 0;
    }

    Duration max() {
        return Duration.ofMillis(maxMillis);
    }
}
