package dev.streamsight.topology;

import dev.streamsight.avro.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes the dead letters that the exception handlers hand back to Kafka Streams, which sends
 * them as they are: so each must fit its topic ({@link RecordSizeLimits}) here. Given a dead letter
 * and smaller stand-ins for it, the first that fits is taken; when none does with the input
 * record's headers, the last is tried without them. Thread-safe.
 */
final class DeadLetterFitter {
    private final Serializer<Object> serializer;
    private final RecordSizeLimits limits;

    DeadLetterFitter(Serializer<Object> serializer, RecordSizeLimits limits) {
        this.serializer = serializer;
        this.limits = limits;
    }

    /**
     * The first of {@code candidates} that fits {@code topic}, as a record; null when not even the
     * last fits without headers.
     */
    ProducerRecord<byte[], byte[]> fit(String topic, byte[] key, Long timestamp, Headers headers,
            List<DeadLetter> candidates) {
        long limit = limits.limit(topic);
        long keyBytes = key == null ? 0 : key.length;
        byte[] value = null;
        for (DeadLetter candidate : candidates) {
            value = serializer.serialize(topic, (SpecificRecord) candidate);
            if (RecordSizeLimits.recordSize(keyBytes, value.length, headers) <= limit) {
                return new ProducerRecord<>(topic, null, timestamp, key, value, headers);
            }
        }
        if (value != null && RecordSizeLimits.recordSize(keyBytes, value.length, null) <= limit) {
            return new ProducerRecord<>(topic, null, timestamp, key, value, new RecordHeaders());
        }
        return null;
    }

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
