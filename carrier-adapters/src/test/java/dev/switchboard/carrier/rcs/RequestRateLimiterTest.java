package dev.switchboard.carrier.rcs;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestRateLimiterTest {
    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, SECONDS);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, SECONDS);
    }

    @Test
    void noLimitWhenTheRateIsZero() {
        RequestRateLimiter limiter = new RequestRateLimiter(vertx, 0);
        for (int i = 0; i < 1000; i++) {
            assertTrue(limiter.acquire().succeeded());
        }
    }

    @Test
    void oneSecondsWorthPassesAtOnceAndTheNextWaits() {
        AtomicLong frozen = new AtomicLong(0);
        RequestRateLimiter limiter = new RequestRateLimiter(vertx, 3, frozen::get);

        assertTrue(limiter.acquire().succeeded());
        assertTrue(limiter.acquire().succeeded());
        assertTrue(limiter.acquire().succeeded());
        assertFalse(limiter.acquire().isComplete());
    }

    @Test
    void waitingCallerIsReleasedOnceTimeHasPassed() throws Exception {
        AtomicLong nanos = new AtomicLong(0);
        RequestRateLimiter limiter = new RequestRateLimiter(vertx, 1, nanos::get);
        assertTrue(limiter.acquire().succeeded());

        Future<Void> second = limiter.acquire();
        nanos.addAndGet(1_000_000_000L);

        await(second);
        assertTrue(second.succeeded());
    }

    @Test
    void waitingCallersAreReleasedInArrivalOrder() throws Exception {
        RequestRateLimiter limiter = new RequestRateLimiter(vertx, 20);
        List<Integer> released = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> all = new CompletableFuture<>();
        Context context = vertx.getOrCreateContext();

        context.runOnContext(v -> {
            List<Future<Void>> waits = new ArrayList<>();
            for (int i = 0; i < 45; i++) {
                int caller = i;
                waits.add(limiter.acquire().onSuccess(x -> released.add(caller)));
            }
            Future.all(waits).onComplete(ar -> all.complete(null));
        });

        all.get(10, SECONDS);
        assertEquals(IntStream.range(0, 45).boxed().toList(), released);
    }
}
