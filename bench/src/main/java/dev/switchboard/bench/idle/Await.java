package dev.switchboard.bench.idle;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waiting for a condition that nothing signals (descriptors closing in the kernel): checked every few ms, bounded. */
public final class Await {
    private Await() {}

    /** True once {@code condition} holds, false when {@code timeout} passed first. */
    public static boolean until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        CompletableFuture<Void> met = new CompletableFuture<>();
        timer.scheduleAtFixedRate(() -> {
            if (condition.getAsBoolean()) {
                met.complete(null);
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        try {
            met.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            timer.shutdownNow();
        }
    }
}
