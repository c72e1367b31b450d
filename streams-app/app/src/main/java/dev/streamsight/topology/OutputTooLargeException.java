package dev.streamsight.topology;

import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * An output record refused on the stream thread, before the producer, because its topic would not
 * take it ({@link RecordSizeLimits}); {@link DeadLetterProductionHandler} turns it into a dead letter
 * that fits. Carries the sizes for that dead letter's message.
 */
final class OutputTooLargeException extends RecordTooLargeException {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final long size;
    private final long limit;

    OutputTooLargeException(String topic, long size, long limit) {
        super("a record of " + size + " bytes does not fit topic " + topic + ", whose limit is " + limit
                + " bytes (max.message.bytes, the producer's max.request.size)");
        this.topic = topic;
        this.size = size;
        this.limit = limit;
    }

    String topic() {
        return topic;
    }

    long size() {
        return size;
    }

    long limit() {
        return limit;
    }
}
