package dev.switchboard.gateway.http;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** At most {@code limit} calls per client address in a sliding window; memory is bounded by forgetting idle addresses. */
final class AddressRateLimiter {
    private static final int MAX_ADDRESSES = 100_000;

    private final int limit;
    private final long windowNanos;
    private final Map<String, Deque<Long>> calls = new ConcurrentHashMap<>();

    AddressRateLimiter(int limit, Duration window) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
    }

    boolean tryAcquire(String address) {
        long now = System.nanoTime();
        if (calls.size() > MAX_ADDRESSES) {
            calls.clear();
        }
        Deque<Long> times = calls.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && now - times.peekFirst() > windowNanos) {
                times.pollFirst();
            }
            if (times.size() >= limit) {
                return false;
            }
            times.addLast(now);
            return true;
        }
    }
}
