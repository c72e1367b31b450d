package dev.streamsight.tests.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.embedded.KafkaBrokerProcess;
import dev.streamsight.serde.InProcessSchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mixed events scenario ({@link MixedEventsScenario}: 40 good events, 9 bad records of every
 * kind) with the pipeline in-process against a broker that is a separate JVM
 * ({@link KafkaBrokerProcess}: {@code kafka.Kafka} with its own server.properties) and a registry
 * reached only through its HTTP URL with the Confluent REST API (the in-process registry's
 * {@code http://127.0.0.1:port}, the same client path as a Confluent registry).
 */
class KafkaProcessBrokerIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void pipelineWorksAgainstABrokerInAnotherJvmAndARegistryAtAUrl() {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.builder().directory(dir.resolve("broker")).start();
                InProcessSchemaRegistry registry = InProcessSchemaRegistry.start()) {
            assertTrue(broker.isAlive());
            assertTrue(registry.url().startsWith("http://127.0.0.1:"), registry.url());
            long requestsBefore = registry.requestCount();
            var s = MixedEventsScenario.run(broker.bootstrapServers(), registry.url(), "process-broker",
                    "photos", 40, 1, dir.resolve("state"), Duration.ofSeconds(120));
            System.out.printf("KafkaProcessBrokerIT: broker pid %d, %d records in (%d good), %d results and %d"
                    + " dead letters, %d registry requests, %.1f s%n", broker.pid(), s.records(), s.good(),
                    s.results(), s.deadLetters(), registry.requestCount() - requestsBefore, s.seconds());
            assertEquals(40, s.good());
            assertTrue(registry.requestCount() > requestsBefore, "the serdes talked to the registry over HTTP");
        }
    }
}
