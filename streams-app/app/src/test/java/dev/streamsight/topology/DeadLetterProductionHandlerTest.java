package dev.streamsight.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.ImageSize;
import dev.streamsight.avro.Lineage;
import dev.streamsight.avro.ModelRef;
import dev.streamsight.avro.Timings;
import dev.streamsight.serde.RegistryException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.junit.jupiter.api.Test;

/**
 * What the production exception handler answers, outside a topology: a registry outage fails the
 * task (the record is retried), a record the registry can write but Avro cannot becomes a dead
 * letter, and a broker's refusal after start teaches the limits and fails the task.
 */
class DeadLetterProductionHandlerTest {
    private final RecordSizeLimits limits = RecordSizeLimits.unlimited();

    private DeadLetterProductionHandler handler() {
        DeadLetterProductionHandler h = new DeadLetterProductionHandler();
        h.configure(Map.of("schema.registry.url", "mock://" + UUID.randomUUID(), RecordSizeLimits.CONFIG, limits));
        return h;
    }

    private static ClassificationResult result() {
        return ClassificationResult.newBuilder().setEventId("e1").setModel(new ModelRef("m", "1", "abc"))
                .setExecutionProvider("cpu").setLabels(List.of()).setImageSize(new ImageSize(1, 1))
                .setTimings(new Timings(0.0, 0.0, 0.0, 0.0, 1)).setLineage(new Lineage("images", 2, 7L)).build();
    }

    @Test
    void aRegistryThatCannotBeReachedFailsTheTask() {
        var record = new ProducerRecord<Object, Object>("images.m", null, 1L, "e1", result());
        Exception outage = new SerializationException("cannot serialize",
                new RegistryException("no answer from the registry", new IOException("connection refused")));
        Response r = handler().handleSerializationError(null, record, outage, SerializationExceptionOrigin.VALUE);
        assertEquals(Result.FAIL, r.result());
        assertTrue(r.deadLetterQueueRecords().isEmpty());
    }

    @Test
    void aRecordAvroCannotWriteBecomesADeadLetter() {
        var record = new ProducerRecord<Object, Object>("images.m", null, 1L, "e1", result());
        Response r = handler().handleSerializationError(null, record, new SerializationException("Cannot encode"),
                SerializationExceptionOrigin.VALUE);
        assertEquals(Result.RESUME, r.result());
        assertEquals(1, r.deadLetterQueueRecords().size());
        ProducerRecord<byte[], byte[]> dl = r.deadLetterQueueRecords().get(0);
        assertEquals("images.dlq", dl.topic());
        assertEquals("e1", new String(dl.key()));
    }

    @Test
    void aBrokersRefusalTeachesTheLimitAndFailsTheTask() {
        byte[] value = new byte[5_000];
        var record = new ProducerRecord<>("images.m", null, 1L, "e1".getBytes(), value);
        DeadLetterProductionHandler h = handler();
        assertEquals(Result.FAIL, h.handleError(null, record, new RecordTooLargeException("too large")).result());
        assertTrue(limits.limit("images.m") < RecordSizeLimits.recordSize(2, value.length, null));
        assertEquals(Long.MAX_VALUE, limits.limit("images.other"));
        assertEquals(Result.RETRY, h.handleError(null, record, new NotEnoughReplicasException("later")).result());
    }
}
