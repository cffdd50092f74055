package dev.switchboard.carrier.rcs;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A token bucket that keeps requests to one provider under its agreed rate. Callers over the rate
 * get a future that a Vert.x timer completes later, in arrival order, so no thread ever waits.
 * The bucket holds one second's worth of requests, so a quiet provider may take a short burst.
 */
final class RequestRateLimiter {
    private final Vertx vertx;
    private final double perSecond;
    private final double capacity;
    private final LongSupplier nanoTime;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private double tokens;
    private long refilledAt;
    private boolean timerArmed;

    /** {@code perSecond} of zero or less means no limit. */
    RequestRateLimiter(Vertx vertx, int perSecond) {
        this(vertx, perSecond, System::nanoTime);
    }

    RequestRateLimiter(Vertx vertx, int perSecond, LongSupplier nanoTime) {
        this.vertx = vertx;
        this.perSecond = perSecond;
        this.capacity = Math.max(1, perSecond);
        this.nanoTime = nanoTime;
        this.tokens = capacity;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Completes when the caller may send one request. */
    Future<Void> acquire() {
        if (perSecond <= 0) {
            return Future.succeededFuture();
        }
        synchronized (this) {
            refill();
            // Queued callers go first even if a token has meanwhile come back: keeps the order fair.
            if (waiting.isEmpty() && tokens >= 1) {
                tokens -= 1;
                return Future.succeededFuture();
            }
            Promise<Void> promise = Promise.promise();
            waiting.add(new Waiter(vertx.getOrCreateContext(), promise));
            armTimer();
            return promise.future();
        }
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) / 1e9 * perSecond);
        refilledAt = now;
    }

    private void armTimer() {
        if (timerArmed) {
            return;
        }
        timerArmed = true;
        long delayMs = Math.max(1, (long) Math.ceil((1 - tokens) / perSecond * 1000));
        vertx.setTimer(delayMs, id -> release());
    }

    private void release() {
        List<Waiter> ready = new ArrayList<>();
        synchronized (this) {
            timerArmed = false;
            refill();
            while (!waiting.isEmpty() && tokens >= 1) {
                tokens -= 1;
                ready.add(waiting.poll());
            }
            if (!waiting.isEmpty()) {
                armTimer();
            }
        }
        // Each caller resumes on its own context, not on the timer's.
        ready.forEach(w -> w.context.runOnContext(v -> w.promise.complete()));
    }

    private record Waiter(Context context, Promise<Void> promise) {}
}
