package dev.streamsight.topology;

import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.Lineage;
import dev.streamsight.observe.PipelineMetrics;
import dev.streamsight.serde.AvroSerdes;
import dev.streamsight.serde.RegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces an output record that cannot be written, a result or a dead letter, with a small dead
 * letter ({@code PRODUCTION_FAILED}, stage {@code produce}, keyed by the event id, with the lineage
 * and the model, and a message saying which topic refused what size) on the input topic's
 * dead-letter topic, and lets the stream go on. Built on Kafka Streams' dead-letter mechanism
 * (KIP-1034): the record is handed back to Kafka Streams, which sends it with the task's other
 * output, in the same transaction under exactly_once_v2.
 *
 * <p>What it replaces is refused on the stream thread while being serialized: a record too large for
 * its topic ({@link SizeCheckingSerializer} checks before the producer sees it) or one Avro cannot
 * write. A refused dead letter keeps its event without the inline image bytes; a result keeps none.
 * A registry that cannot be reached, or that refuses the schema, is not the record's fault (every
 * record would fail alike): that stops the task, so the record is retried after the restart.
 *
 * <p>A record the producer or the broker refuses after that (the topic's {@code max.message.bytes}
 * was lowered while running) has already cost the transaction, so it cannot be replaced in it: the
 * refusal is noted ({@link RecordSizeLimits#refused}, which reads the topic's limit again) and the
 * task fails; the thread's replacement retries the input, and the record is then caught while being
 * serialized, like every later one. Other send
 * errors are retried when Kafka calls them retriable and fail the task otherwise, as Kafka's default
 * handler does.
 *
 * <p>Instantiated by Kafka Streams from {@code production.exception.handler}, configured with the
 * application's properties ({@value DeadLetterDeserializationHandler#DLQ_TOPIC_CONFIG}, {@value
 * RecordSizeLimits#CONFIG} and the serde keys); called by stream threads and producer I/O threads,
 * holds no mutable state of its own.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

    private String topicTemplate = PipelineSettings.DEFAULT_DLQ_TOPIC;
    private RecordSizeLimits limits = RecordSizeLimits.unlimited();
    private DeadLetterFitter fitter;
    private PipelineMetrics metrics = PipelineMetrics.noop();

    @Override
    public void configure(Map<String, ?> configs) {
        Object template = configs.get(DeadLetterDeserializationHandler.DLQ_TOPIC_CONFIG);
        if (template != null) {
            topicTemplate = template.toString();
        }
        limits = RecordSizeLimits.from(configs);
        Serializer<Object> serializer = AvroSerdes.generic(configs, false).serializer();
        fitter = new DeadLetterFitter(serializer, limits);
        metrics = PipelineMetrics.from(configs);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
            SerializationExceptionOrigin origin) {
        if (isRegistryProblem(exception)) {
            LOG.error("schema registry unavailable, or refusing the schema, while writing to {}; stopping the task"
                    + " so the record is retried", record.topic(), exception);
            return Response.fail();
        }
        String why = exception instanceof OutputTooLargeException big
                ? "does not fit topic " + big.topic() + ": " + big.size() + " bytes, over its limit of " + big.limit()
                        + " bytes (max.message.bytes, the producer's max.request.size)"
                : "cannot be written to topic " + record.topic() + ": " + ResultRecords.shorten(exception.toString());
        DeadLetter replacement = ResultRecords.productionFailed(record.value(), why);
        if (replacement == null) {
            LOG.error("cannot serialize a record for {} that is not the pipeline's", record.topic(), exception);
            return Response.fail();
        }
        String topic = topicTemplate.replace("{input}", replacement.getLineage().getTopic());
        Object key = record.key();
        ProducerRecord<byte[], byte[]> out;
        try {
            out = fitter.fit(topic, DeadLetterFitter.utf8(key == null ? null : key.toString()), record.timestamp(),
                    record.headers(), candidates(replacement));
        } catch (RuntimeException e) {
            LOG.error("cannot write the dead letter that replaces a record for {}; stopping the task so the record is"
                    + " retried", record.topic(), e);
            return Response.fail();
        }
        Lineage l = replacement.getLineage();
        String eventId = key == null ? null : key.toString();
        if (out == null) {
            RecordLog.fields(LOG.atError(), eventId, l.getTopic(), l.getPartition(), l.getOffset())
                    .log("the record for {} of input {}-{}@{} {}; not even a dead letter without the event fits {},"
                            + " so nothing is written for it", record.topic(), l.getTopic(), l.getPartition(),
                            l.getOffset(), why, topic);
            return Response.resume();
        }
        metrics.deadLetter(String.valueOf(replacement.getReasonCode()));
        RecordLog.fields(LOG.atWarn(), eventId, l.getTopic(), l.getPartition(), l.getOffset())
                .log("the record for {} of input {}-{}@{} {}; dead letter to {}", record.topic(), l.getTopic(),
                        l.getPartition(), l.getOffset(), why, topic);
        return Response.resume(List.of(out));
    }

    /** The replacement, then without its event (and so without the event's other fields). */
    private static List<DeadLetter> candidates(DeadLetter replacement) {
        List<DeadLetter> c = new ArrayList<>(List.of(replacement));
        if (replacement.getEvent() != null) {
            c.add(DeadLetter.newBuilder(replacement).setEvent(null).build());
        }
        return c;
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
            Exception exception) {
        if (exception instanceof RecordTooLargeException) {
            long size = RecordSizeLimits.recordSize(record.key() == null ? 0 : record.key().length,
                    record.value() == null ? 0 : record.value().length, record.headers());
            limits.refused(record.topic(), size);
            LOG.error("{} refused a record of {} bytes, after the limit read at start; the task fails, and its"
                    + " retry catches the record before it is sent", record.topic(), size, exception);
            return Response.fail();
        }
        return exception instanceof RetriableException ? Response.retry() : Response.fail();
    }

    private static boolean isRegistryProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RegistryException) {
                return true;
            }
        }
        return false;
    }
}
