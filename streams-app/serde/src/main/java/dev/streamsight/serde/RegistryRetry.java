package dev.streamsight.serde;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;

/**
 * How long a registry call keeps trying through an outage: exponential backoff with jitter from
 * {@code initialBackoff} up to {@code maxBackoff}, until {@code timeout} has passed since the first
 * attempt. An outage is a call that got no response or a 5xx, 408 or 429
 * ({@link RegistryException#isRetriable()}), except a TLS failure, which is a configuration problem
 * that waiting does not fix. {@link Duration#ZERO} as timeout means one attempt.
 *
 * <p>Immutable and thread-safe.
 *
 * @param initialBackoff the first wait ({@code schema.registry.retry.backoff.ms})
 * @param maxBackoff the longest wait ({@code schema.registry.retry.backoff.max.ms})
 * @param timeout how long to keep trying ({@code schema.registry.retry.timeout.ms})
 */
public record RegistryRetry(Duration initialBackoff, Duration maxBackoff, Duration timeout) {

    /** 200 ms doubling to 5 s, for up to 60 s: rides through a registry restart without blocking a task for long. */
    public static final RegistryRetry DEFAULT =
            new RegistryRetry(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(60));
    /** A single attempt. */
    public static final RegistryRetry NONE = new RegistryRetry(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    /** True when {@code failure} is an outage that a later attempt may get through. */
    static boolean isOutage(RegistryException failure) {
        if (!failure.isRetriable()) {
            return false;
        }
        for (Throwable t = failure.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException) {
                return false;
            }
        }
        return true;
    }

    /** The wait after the {@code attempt}-th failed attempt (1-based): doubling, capped, with ±20% jitter. */
    Duration backoff(int attempt) {
        long base = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(Math.max(base, 1), Math.max(maxBackoff.toMillis(), 1));
        long jitter = (long) (capped * 0.2 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
        return Duration.ofMillis(Math.max(1, capped + jitter));
    }
}
