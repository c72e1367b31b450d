package dev.streamsight.topology;

import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.Lineage;
import dev.streamsight.observe.PipelineMetrics;
import dev.streamsight.serde.AvroSerdes;
import dev.streamsight.serde.InvalidPayloadException;
import dev.streamsight.serde.RegistryException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an input record that cannot be deserialized into a {@link DeadLetter} (the raw value kept
 * unless the dead letter would then not fit its topic: {@link RecordSizeLimits}) on the input topic's
 * dead-letter topic, and lets the stream go on. The reason code says what is wrong with the value
 * ({@link #reasonCode}): {@code NOT_WIRE_FORMAT}, {@code UNKNOWN_SCHEMA_ID}, {@code SCHEMA_MISMATCH},
 * {@code MALFORMED_AVRO}, or {@code DESERIALIZATION_FAILED} for any other failure. Built on Kafka Streams' own dead-letter mechanism (KIP-1034): the record is returned to Kafka
 * Streams, which produces it with the task's other output, in the same transaction under
 * exactly_once_v2.
 *
 * <p>A schema registry that cannot be reached is not the record's fault: that failure stops the
 * task (it is retried after restart) instead of dead-lettering good records.
 *
 * <p>Instantiated by Kafka Streams from {@code deserialization.exception.handler}, configured with
 * the application's properties ({@value #DLQ_TOPIC_CONFIG}, {@value RecordSizeLimits#CONFIG},
 * {@value PipelineMetrics#CONFIG} and the serde keys); called by stream threads, holds no mutable state.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    /** Dead-letter topic template ({@code {input}} is replaced by the record's topic). */
    public static final String DLQ_TOPIC_CONFIG = "streamsight.dlq.topic";

    /** A replay's range ({@link OffsetRange#toConfigValue()}): records outside it are skipped, not dead letters. */
    public static final String RANGE_CONFIG = "streamsight.replay.range";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private String topicTemplate = PipelineSettings.DEFAULT_DLQ_TOPIC;
    private DeadLetterFitter fitter;
    private OffsetRange range;
    private PipelineMetrics metrics = PipelineMetrics.noop();

    @Override
    public void configure(Map<String, ?> configs) {
        Object template = configs.get(DLQ_TOPIC_CONFIG);
        if (template != null) {
            topicTemplate = template.toString();
        }
        fitter = new DeadLetterFitter(AvroSerdes.generic(configs, false).serializer(),
                RecordSizeLimits.from(configs));
        Object r = configs.get(RANGE_CONFIG);
        range = r == null ? null : OffsetRange.fromConfigValue(r.toString());
        metrics = PipelineMetrics.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        if (range != null && !range.contains(record.topic(), record.partition(), record.offset())) {
            return Response.resume(); // a replay reads past its range; those records are not its to judge
        }
        if (RegistryException.isOutageIn(exception)) {
            RecordLog.fields(LOG.atWarn(), null, record.topic(), record.partition(), record.offset())
                    .log("schema registry unavailable while reading {}-{}@{} ({}); the stream thread stops and its"
                            + " replacement reads the record again", record.topic(), record.partition(),
                            record.offset(), rootMessage(exception));
            return Response.fail();
        }
        metrics.eventIn(record.topic());
        String topic = topicTemplate.replace("{input}", record.topic());
        byte[] raw = record.value() == null ? new byte[0] : record.value();
        DeadLetter dl = ResultRecords.deadLetter(null, raw, reasonCode(exception),
                String.valueOf(exception.getMessage()), Stage.DESERIALIZE,
                new Lineage(record.topic(), record.partition(), record.offset()), null);
        DeadLetter withoutRaw = DeadLetter.newBuilder(dl).setRawValue(null).setMessage(dl.getMessage()
                + " (the raw value of " + raw.length + " bytes is left out: with it the dead letter does not fit "
                + topic + ")").build();
        ProducerRecord<byte[], byte[]> out = fitter.fit(topic, record.key(), record.timestamp(), record.headers(),
                List.of(dl, withoutRaw));
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (out == null) {
            RecordLog.fields(LOG.atError(), key, record.topic(), record.partition(), record.offset())
                    .log("record {}-{}@{} cannot be deserialized ({}), and not even a dead letter without its value"
                            + " fits {}; nothing is written for it", record.topic(), record.partition(),
                            record.offset(), exception.getMessage(), topic);
            return Response.resume();
        }
        metrics.deadLetter(String.valueOf(dl.getReasonCode()));
        RecordLog.fields(LOG.atWarn(), key, record.topic(), record.partition(), record.offset())
                .log("record {}-{}@{} cannot be deserialized ({}); dead letter to {}", record.topic(),
                        record.partition(), record.offset(), exception.getMessage(), topic);
        return Response.resume(List.of(out));
    }

    private static String rootMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RegistryException r) {
                return r.getMessage();
            }
        }
        return String.valueOf(e);
    }

    /**
     * The dead letter's reason code: the deserializer's classification of a bad value
     * ({@link InvalidPayloadException.Problem}'s name), else {@code DESERIALIZATION_FAILED}.
     */
    static String reasonCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidPayloadException invalid) {
                return invalid.problem().name();
            }
        }
        return "DESERIALIZATION_FAILED";
    }
}
