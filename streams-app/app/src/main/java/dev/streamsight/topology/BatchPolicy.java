package dev.streamsight.topology;

import java.time.Duration;

/**
 * When a task's pending images are flushed into a batch: as soon as {@code maxSize} are waiting,
 * or when the oldest has waited {@code maxWait}. A plain value class so the rule is testable alone.
 */
public record BatchPolicy(int maxSize, Duration maxWait) {

    /** Whether a batch should run now. */
    public boolean shouldFlush(int pending, long oldestArrivalMs, long nowMs) {
        if (pending <= 0) {
            return false;
        }
        return pending >= maxSize || nowMs - oldestArrivalMs >= maxWait.toMillis();
    }

    /**
     * How often the wall-clock punctuator checks the max wait: a tenth of it, 5 ms to 1 s (an image
     * waits at most this much past the max wait; a check that finds nothing due costs next to nothing).
     */
    public Duration punctuateInterval() {
        long ms = Math.max(5, Math.min(1000, maxWait.toMillis() / 10));
        return Duration.ofMillis(ms);
    }
}
