package dev.streamsight.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPolicyTest {
    private final BatchPolicy policy = new BatchPolicy(8, Duration.ofMillis(200));

    @Test
    void flushesWhenFull() {
        assertFalse(policy.shouldFlush(7, 1000, 1000));
        assertTrue(policy.shouldFlush(8, 1000, 1000));
    }

    @Test
    void flushesWhenTheOldestHasWaitedLongEnough() {
        assertFalse(policy.shouldFlush(1, 1000, 1199));
        assertTrue(policy.shouldFlush(1, 1000, 1200));
    }

    @Test
    void neverFlushesNothing() {
        assertFalse(policy.shouldFlush(0, Long.MAX_VALUE, Long.MAX_VALUE));
    }

    @Test
    void punctuatesAtATenthOfTheWaitWithinBounds() {
        assertEquals(Duration.ofMillis(20), policy.punctuateInterval());
        assertEquals(Duration.ofMillis(5), new BatchPolicy(1, Duration.ofMillis(5)).punctuateInterval());
        assertEquals(Duration.ofSeconds(1), new BatchPolicy(1, Duration.ofMinutes(1)).punctuateInterval());
    }

    @Test
    void settingsNameTheKeyThatIsWrong() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> PipelineSettings.defaults("images", List.of("m")).withBatch(0, Duration.ofMillis(10)));
        assertTrue(e.getMessage().startsWith("batch.size:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PipelineSettings.defaults("images", List.of("m")).withBatch(4, Duration.ZERO));
        assertTrue(e.getMessage().startsWith("batch.max.wait:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PipelineSettings(List.of("images", "images.dlq"),
                List.of("m"), 4, Duration.ofMillis(10), PipelineSettings.DEFAULT_RESULT_TOPIC, "{input}.dlq",
                dev.streamsight.fetch.FetchOptions.forEvents(), 4));
        assertTrue(e.getMessage().startsWith("dlq.topic:"), e.getMessage());
        assertEquals(List.of("images.a", "images.b", "images.dlq"),
                PipelineSettings.defaults("images", List.of("a", "b")).outputTopics());
    }
}
