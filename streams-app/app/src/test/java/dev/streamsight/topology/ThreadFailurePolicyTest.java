package dev.streamsight.topology;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamsight.testing.ProvokesStreamThreadDeath;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

@ProvokesStreamThreadDeath
class ThreadFailurePolicyTest {
    @Test
    void replacesThreadsUntilFailuresAreNotTransient() {
        AtomicLong now = new AtomicLong(0);
        ThreadFailurePolicy policy = new ThreadFailurePolicy(2, Duration.ofMinutes(1), now::get);
        RuntimeException e = new StreamsException("registry down");
        assertEquals(REPLACE_THREAD, policy.handle(e));
        assertEquals(REPLACE_THREAD, policy.handle(e));
        assertEquals(SHUTDOWN_CLIENT, policy.handle(e), "a third death within the window");
        now.addAndGet(Duration.ofMinutes(2).toMillis());
        assertEquals(REPLACE_THREAD, policy.handle(e), "old deaths leave the window");
    }

    @Test
    void errorsShutDownAtOnce() {
        ThreadFailurePolicy policy = new ThreadFailurePolicy();
        assertEquals(SHUTDOWN_CLIENT, policy.handle(new StreamsException(new OutOfMemoryError("heap"))));
        assertEquals(SHUTDOWN_CLIENT, policy.handle(new OutOfMemoryError("heap")));
    }
}
