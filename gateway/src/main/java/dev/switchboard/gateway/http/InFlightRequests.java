package dev.switchboard.gateway.http;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts requests being served, so shutdown can let their commits finish before the pool closes. */
public final class InFlightRequests {
    private final AtomicInteger count = new AtomicInteger();

    void started() { count.incrementAndGet(); }

    void finished() { count.decrementAndGet(); }

    public int current() { return count.get(); }
}
