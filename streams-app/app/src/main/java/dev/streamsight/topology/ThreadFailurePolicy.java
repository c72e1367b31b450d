package dev.streamsight.topology;

import dev.streamsight.serde.RegistryClientConfig;
import dev.streamsight.serde.RegistryException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Streamsight instance does when a stream thread dies of an exception that Kafka Streams
 * did not handle itself.
 *
 * <p>Per-image failures never get here (they are dead letters), nor do rebalances or fenced
 * producers (Kafka Streams recovers from those by itself). What gets here is transient trouble that
 * outlasted the clients' own retries (a schema registry outage, which the dead-letter handler
 * refuses to blame on the record; broker timeouts), or a bug. A registry outage is replaced without
 * limit: the registry client has already retried it for {@code schema.registry.retry.timeout.ms},
 * and the replaced thread retries again, with a WARN line each time, until the registry is back. The default answer is
 * {@code REPLACE_THREAD}: the thread's tasks restart from their last commit, and under
 * exactly_once_v2 the restored pending store replays exactly the unfinished work. When threads
 * keep dying ({@code maxReplacements} within {@code window}) the failure is not transient, and the
 * answer becomes {@code SHUTDOWN_CLIENT}, so that the process exits with an error and its
 * supervisor can see it, instead of spinning. An {@link Error} (out of memory, a broken native
 * library) shuts the client down at once.
 *
 * <p>Called by dying stream threads, possibly at once: thread-safe.
 */
public final class ThreadFailurePolicy implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailurePolicy.class);

    private final int maxReplacements;
    private final Duration window;
    private final LongSupplier clock;
    private final Deque<Long> replacements = new ArrayDeque<>();
    /** Stream threads that died in this process, under any instance of this policy. */
    private static final AtomicLong DEATHS = new AtomicLong();

    /** Replaces up to 5 threads within 5 minutes. */
    public ThreadFailurePolicy() {
        this(5, Duration.ofMinutes(5), System::currentTimeMillis);
    }

    public ThreadFailurePolicy(int maxReplacements, Duration window, LongSupplier clockMs) {
        this.maxReplacements = maxReplacements;
        this.window = window;
        this.clock = clockMs;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        DEATHS.incrementAndGet();
        if (rootCause(exception) instanceof Error error) {
            LOG.error("stream thread died of {}; shutting this instance down", error, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        if (RegistryException.isOutageIn(exception)) {
            // Known to be transient and not the data's fault: retry without end, and without counting it
            // towards the limit, so that a long registry outage never becomes a crash loop.
            LOG.warn("the schema registry has been unavailable for longer than {}; replacing the stream thread,"
                    + " its tasks retry from their last commit ({})", RegistryClientConfig.RETRY_TIMEOUT_MS,
                    rootCause(exception).toString());
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        long now = clock.getAsLong();
        while (!replacements.isEmpty() && now - replacements.peekFirst() > window.toMillis()) {
            replacements.removeFirst();
        }
        if (replacements.size() >= maxReplacements) {
            LOG.error("stream threads died {} times within {}; the failure is not transient, shutting this"
                    + " instance down", replacements.size() + 1, window, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        LOG.warn("stream thread died ({}); replacing it, its tasks resume from their last commit",
                exception.toString(), exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /**
     * How many stream threads have died in this process so far, under any instance of this policy.
     * A healthy application keeps this at 0: a per-image failure is a dead letter, not a death.
     */
    public static long streamThreadDeaths() {
        return DEATHS.get();
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            if (c instanceof Error) {
                return c;
            }
            c = c.getCause();
        }
        return c;
    }
}
