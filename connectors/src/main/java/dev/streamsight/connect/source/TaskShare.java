package dev.streamsight.connect.source;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which files one task of {@code count} owns: those whose URI hashes (murmur2, as Kafka's default
 * partitioner) to its {@code index}. Deterministic across JVMs and restarts, so every file has
 * exactly one owner and its offset stays with its URI whatever the task count.
 */
record TaskShare(int index, int count) {

    boolean owns(String uri) {
        return count == 1 || Utils.toPositive(Utils.murmur2(uri.getBytes(StandardCharsets.UTF_8))) % count == index;
    }
}
