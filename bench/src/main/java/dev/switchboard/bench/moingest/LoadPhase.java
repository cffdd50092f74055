package dev.switchboard.bench.moingest;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * One stretch of load and what was measured in it. {@code offeredPerSecond} 0 means closed loop:
 * every submitter sends its next submit_sm as soon as the last is acknowledged (the maximum rate).
 * Otherwise submits are scheduled at that rate and latency counts from the scheduled time, so a
 * gateway that falls behind is charged for the wait (no coordinated omission).
 */
public final class LoadPhase {
    private final String name;
    private final double offeredPerSecond;
    private final int offeredPercent;
    private final int seconds;
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong firstDeviceFrames = new AtomicLong();
    final ConcurrentHistogram ackMicros = new ConcurrentHistogram(3);
    final ConcurrentHistogram deliveryMicros = new ConcurrentHistogram(3);
    volatile double elapsedSeconds;

    private LoadPhase(String name, double offeredPerSecond, int offeredPercent, int seconds) {
        this.name = name;
        this.offeredPerSecond = offeredPerSecond;
        this.offeredPercent = offeredPercent;
        this.seconds = seconds;
    }

    public static LoadPhase closedLoop(String name, int seconds) {
        return new LoadPhase(name, 0, 100, seconds);
    }

    public static LoadPhase paced(int percent, double maxPerSecond, int seconds) {
        return new LoadPhase(percent + "%", maxPerSecond * percent / 100.0, percent, seconds);
    }

    public String name() { return name; }

    public boolean closed() { return offeredPerSecond == 0; }

    public double offeredPerSecond() { return offeredPerSecond; }

    public int offeredPercent() { return offeredPercent; }

    public int seconds() { return seconds; }

    public long acknowledged() { return acknowledged.get(); }

    public double achievedPerSecond() {
        return elapsedSeconds == 0 ? 0 : acknowledged.get() / elapsedSeconds;
    }

    public ConcurrentHistogram deliveryMicros() { return deliveryMicros; }

    public ConcurrentHistogram ackMicros() { return ackMicros; }

    /** A device saw one of this phase's messages for the first time. */
    public void delivered(long micros, int devicesPerNumber) {
        deliveryMicros.recordValue(Math.max(0, micros));
        if (firstDeviceFrames.incrementAndGet() >= devicesPerNumber * acknowledged.get()) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Waits until every device saw every message acknowledged in this phase, or the timeout; true if they did. */
    public synchronized boolean awaitDelivered(int devicesPerNumber, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (firstDeviceFrames.get() < devicesPerNumber * acknowledged.get()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(Math.min(left, 50));
        }
        return true;
    }

    public JsonObject toJson() {
        return new JsonObject().put("phase", name).put("offeredPercent", closed() ? null : offeredPercent)
                .put("offeredPerSecond", closed() ? null : Math.round(offeredPerSecond * 10) / 10.0)
                .put("achievedPerSecond", Math.round(achievedPerSecond() * 10) / 10.0)
                .put("acknowledged", acknowledged.get()).put("refusedOrFailed", refused.get())
                .put("seconds", Math.round(elapsedSeconds * 100) / 100.0)
                .put("latencyMs", dev.switchboard.bench.support.Percentiles.json(deliveryMicros))
                .put("submitToAckMs", dev.switchboard.bench.support.Percentiles.json(ackMicros));
    }
}
