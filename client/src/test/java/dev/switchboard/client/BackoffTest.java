package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), new Random(42));

    @Test
    void delaysDoubleFromTheInitialStepUpToTheCapWithJitterInTheUpperHalf() {
        long[] ceilings = {200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000};
        for (long ceiling : ceilings) {
            long delay = backoff.next().toMillis();
            assertTrue(delay >= ceiling / 2 && delay <= ceiling, delay + " not in [" + ceiling / 2 + ", " + ceiling + "]");
        }
    }

    @Test
    void neverOverflowsAfterManyAttempts() {
        for (int i = 0; i < 1000; i++) {
            long delay = backoff.next().toMillis();
            assertTrue(delay >= 5_000 || i < 7, "attempt " + i + ": " + delay);
            assertTrue(delay <= 10_000);
        }
    }

    @Test
    void resetStartsOverFromTheInitialStep() {
        for (int i = 0; i < 10; i++) {
            backoff.next();
        }

        backoff.reset();

        assertTrue(backoff.next().toMillis() <= 200);
    }

    @Test
    void jitterSpreadsClientsApart() {
        Set<Long> firstDelays = new HashSet<>();
        for (int client = 0; client < 20; client++) {
            // Unseeded, as in production: consecutive small seeds make java.util.Random start alike.
            firstDelays.add(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), new Random()).next().toMillis());
        }

        assertTrue(firstDelays.size() > 10, "20 clients should not mostly pick the same delay: " + firstDelays);
    }

    @Test
    void rejectsNonsensicalBounds() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random()));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()));
        assertEquals(Duration.ofSeconds(10), backoff.max());
    }
}
