package dev.switchboard.carrier.smpp.server;

/**
 * A token bucket per account, shared by all its binds: a burst of one second's worth is allowed,
 * anything faster is answered ESME_RTHROTTLED so the peer slows down instead of being queued.
 */
final class Throughput {
    private final double perSecond;
    private double tokens;
    private long last;

    Throughput(int perSecond, long nowNanos) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.last = nowNanos;
    }

    synchronized boolean tryAcquire(long nowNanos) {
        tokens = Math.min(perSecond, tokens + (nowNanos - last) / 1e9 * perSecond);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
