package dev.streamsight.tests.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The mixed events scenario ({@link MixedEventsScenario}, smaller: 20 good events, 9 bad records of
 * every kind) with the pipeline in-process against containers: Apache Kafka ({@code apache/kafka},
 * KRaft, the version of the Kafka clients: {@code kafka.version} of the root POM, passed by surefire) and Confluent Schema Registry
 * ({@code confluentinc/cp-schema-registry}) on a shared network, the registry storing its schemas
 * in that Kafka. Proves that the pipeline's serdes interoperate with Confluent's registry, not only
 * with the in-process one. Skipped where there is no Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersPipelineIT {
    private static final Network NETWORK = Network.newNetwork();
    private static final String KAFKA_INTERNAL = "kafka:19092";

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(
            DockerImageName.parse("apache/kafka:" + System.getProperty("streamsight.kafka.version", "4.4.0")))
            .withNetwork(NETWORK)
            // A listener for containers on the network; "kafka" becomes a network alias.
            .withListener(KAFKA_INTERNAL);

    @Container
    static final GenericContainer<?> REGISTRY = new GenericContainer<>(
            DockerImageName.parse("confluentinc/cp-schema-registry:8.0.0"))
            .withNetwork(NETWORK)
            .withNetworkAliases("schema-registry")
            .withExposedPorts(8081)
            .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
            .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
            .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://" + KAFKA_INTERNAL)
            .withEnv("SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR", "1")
            .dependsOn(KAFKA)
            .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(2)));

    @TempDir
    Path stateDir;

    @Test
    @Timeout(240)
    void mixedEventsThroughContainerizedKafkaAndConfluentRegistry() {
        String registryUrl = "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081);
        var s = MixedEventsScenario.run(KAFKA.getBootstrapServers(), registryUrl, "tc-mixed-events", "images",
                20, 1, stateDir, Duration.ofSeconds(120));
        System.out.printf("TestcontainersPipelineIT: %d records in (%d good), %d results and %d dead letters,"
                + " %.1f s%n", s.records(), s.good(), s.results(), s.deadLetters(), s.seconds());
        assertEquals(20, s.good());
    }
}
