package dev.streamsight.topology;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamsight.serde.RegistryException;
import dev.streamsight.testing.ProvokesStreamThreadDeath;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

@ProvokesStreamThreadDeath
class ThreadFailurePolicyTest {
    @Test
    void replacesThreadsUntilFailuresAreNotTransient() {
        AtomicLong now = new AtomicLong(0);
        ThreadFailurePolicy policy = new ThreadFailurePolicy(2, Duration.ofMinutes(1), now::get);
        RuntimeException e = new StreamsException("broker timeout");
        assertEquals(REPLACE_THREAD, policy.handle(e));
        assertEquals(REPLACE_THREAD, policy.handle(e));
        assertEquals(SHUTDOWN_CLIENT, policy.handle(e), "a third death within the window");
        now.addAndGet(Duration.ofMinutes(2).toMillis());
        assertEquals(REPLACE_THREAD, policy.handle(e), "old deaths leave the window");
    }

    @Test
    void aRegistryOutageIsRetriedWithoutLimit() {
        ThreadFailurePolicy policy = new ThreadFailurePolicy(2, Duration.ofMinutes(1), () -> 0L);
        RuntimeException outage = new StreamsException(new SerializationException("cannot read",
                new RegistryException("Schema registry unreachable", new java.net.ConnectException("refused"))));
        for (int i = 0; i < 10; i++) {
            assertEquals(REPLACE_THREAD, policy.handle(outage), "death " + (i + 1));
        }
        RuntimeException unauthorized = new StreamsException(new RegistryException(401, 401, "unauthorized"));
        assertEquals(REPLACE_THREAD, policy.handle(unauthorized));
        assertEquals(REPLACE_THREAD, policy.handle(unauthorized));
        assertEquals(SHUTDOWN_CLIENT, policy.handle(unauthorized), "not an outage: counted");
    }

    @Test
    void errorsShutDownAtOnce() {
        ThreadFailurePolicy policy = new ThreadFailurePolicy();
        assertEquals(SHUTDOWN_CLIENT, policy.handle(new StreamsException(new OutOfMemoryError("heap"))));
        assertEquals(SHUTDOWN_CLIENT, policy.handle(new OutOfMemoryError("heap")));
    }
}
