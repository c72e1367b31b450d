package dev.streamsight.topology;

import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.DetectionResult;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value serializer of the topology's sinks: the registry serializer, then a check that the
 * record fits its topic ({@link RecordSizeLimits}). A record that does not fit is refused with an
 * {@link OutputTooLargeException} on the stream thread, before the producer sees it, so that Kafka
 * Streams hands it to {@link DeadLetterProductionHandler}, whose dead letter goes out in the same
 * transaction; had the producer or the broker refused it, the transaction would be lost.
 *
 * <p>A value serializer does not see the record's key. The topology keys every output by the event
 * id its value holds, so that is what is counted; only the dead letter of an event without an id is
 * keyed by its input record's key, which is not counted (should that make it too large, the broker's
 * refusal is learnt, {@link RecordSizeLimits#refused}).
 *
 * <p>Shared by the sinks of every task: thread-safe, like the serializer it wraps.
 */
final class SizeCheckingSerializer implements Serializer<SpecificRecord> {
    private final Serializer<SpecificRecord> delegate;
    private final RecordSizeLimits limits;

    SizeCheckingSerializer(Serializer<SpecificRecord> delegate, RecordSizeLimits limits) {
        this.delegate = delegate;
        this.limits = limits;
    }

    @Override
    public byte[] serialize(String topic, SpecificRecord value) {
        return serialize(topic, new RecordHeaders(), value);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, SpecificRecord value) {
        byte[] bytes = delegate.serialize(topic, headers, value);
        if (bytes != null) {
            long size = RecordSizeLimits.recordSize(keyBytes(value), bytes.length, headers);
            long limit = limits.limit(topic);
            if (size > limit) {
                throw new OutputTooLargeException(topic, size, limit);
            }
        }
        return bytes;
    }

    /** The UTF-8 length of the event id the topology keys {@code value} by, when the value holds it. */
    static int keyBytes(SpecificRecord value) {
        String id = switch (value) {
            case ClassificationResult c -> c.getEventId();
            case DetectionResult d -> d.getEventId();
            case DeadLetter d -> d.getEvent() == null ? null : d.getEvent().getId();
            case null, default -> null;
        };
        return id == null ? 0 : id.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
