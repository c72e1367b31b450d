package dev.streamsight.embedded;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

/**
 * Formats a KRaft data directory with Kafka's own {@code kafka-storage format}, run in this JVM.
 * A directory that is already formatted is left as it is ({@code --ignore-formatted}).
 */
final class StorageFormatter {

    private StorageFormatter() {
    }

    /** Formats the directories named by {@code log.dirs} in the given server.properties file. */
    static void format(Path serverProperties) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            String[] args = {
                "format",
                "--config", serverProperties.toString(),
                "--cluster-id", Uuid.randomUuid().toString(),
                "--ignore-formatted",
            };
            try {
                rc = StorageTool.execute(args, out);
            } catch (Exception e) {
                throw new EmbeddedKafkaException("kafka-storage format failed for " + serverProperties
                        + ": " + buffer.toString(StandardCharsets.UTF_8), e);
            }
        }
        if (rc != 0) {
            throw new EmbeddedKafkaException("kafka-storage format exited " + rc + " for "
                    + serverProperties + ": " + buffer.toString(StandardCharsets.UTF_8));
        }
    }
}
