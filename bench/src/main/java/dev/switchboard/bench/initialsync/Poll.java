package dev.switchboard.bench.initialsync;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a condition only the database can tell, re-checking it on a timer (no sleeping thread). */
final class Poll {
    private static final long EVERY_MS = 50;

    private Poll() {}

    /** True once {@code condition} held, false if it still did not after {@code timeout}. */
    static boolean until(Callable<Boolean> condition, Duration timeout) throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        CompletableFuture<Boolean> held = new CompletableFuture<>();
        try {
            timer.scheduleWithFixedDelay(() -> {
                try {
                    if (condition.call()) {
                        held.complete(true);
                    }
                } catch (Exception e) {
                    held.completeExceptionally(e);
                }
            }, 0, EVERY_MS, TimeUnit.MILLISECONDS);
            return held.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return false;
        } finally {
            timer.shutdownNow();
        }
    }
}
