package dev.streamsight.tests.streaming;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.serde.InProcessSchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline in-process (Kafka Streams, exactly_once_v2, two stream threads, a classifier and
 * a detector) against a real KRaft broker (in-process) and the in-process schema registry, fed 232
 * records on three partitions: 170 good events (file:// URIs and inline bytes, some asking for one
 * model only) and 62 bad records, a shuffled mix of every kind the pipeline answers with its own
 * reason code (see {@link MixedEventsScenario}). A read_committed consumer then checks the committed
 * output record by record (see {@link OutputAssertions}).
 */
class PipelineMixedEventsIT {
    @TempDir
    Path stateDir;

    @Test
    @Timeout(180)
    void everyGoodEventGetsOneResultPerModelAndEveryBadOneOneDeadLetter() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                InProcessSchemaRegistry registry = InProcessSchemaRegistry.start()) {
            var s = MixedEventsScenario.run(kafka.bootstrapServers(), registry.url(), "mixed-events", "images",
                    170, 8, stateDir, Duration.ofSeconds(120));
            System.out.printf("PipelineMixedEventsIT: %d records in (%d good), %d results and %d dead letters"
                    + " committed, %d classifications inferred in batches > 1, %.1f s%n", s.records(), s.good(),
                    s.results(), s.deadLetters(), s.batchedClassifications(), s.seconds());
            assertTrue(s.records() >= 200 && s.good() >= 150, s.toString());
            assertTrue(s.batchedClassifications() > 0, "some images were inferred in real batches");
        }
    }
}
