package dev.streamsight.topology;

import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.avro.ImageEvent;
import dev.streamsight.serde.AvroSerdes;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * The Streamsight topology, as a pure factory: parameterised by settings (topics, models, batching),
 * the loaded models, the shared resources and the serde configuration, so that the same topology
 * serves {@code run}, {@code demo}, tests with {@code TopologyTestDriver} and, later, replays under
 * their own application id.
 *
 * <pre>
 * [input topics] → images (ImageEvent, Confluent Avro) → inference (pending store, batching)
 *     → results-&lt;model&gt; → &lt;input&gt;.&lt;model&gt;   (ClassificationResult / DetectionResult, keyed by event id)
 *     → dead-letters     → &lt;input&gt;.dlq       (DeadLetter)
 * </pre>
 *
 * <p>An output too large for its topic is refused while it is serialized and replaced with a small
 * dead letter ({@link SizeCheckingSerializer}, {@link DeadLetterProductionHandler}).
 */
public final class ImagePipeline {
    private ImagePipeline() {
    }

    /**
     * Builds the topology.
     *
     * @param serdeConfig {@code schema.registry.url} and the other serde keys, and the {@link
     *     RecordSizeLimits} of the output topics under {@value RecordSizeLimits#CONFIG} (none: only
     *     what a broker refuses is learnt)
     */
    public static Topology build(PipelineSettings settings, ModelSet models, PipelineResources resources,
            Map<String, ?> serdeConfig) {
        return build(settings, models, resources, serdeConfig, null);
    }

    /**
     * Builds the topology of a replay when {@code range} is not null: only the records in the range are
     * processed, every one through every model (whatever models an event names), and a partition's last
     * partial batch runs as soon as the end of its range is read.
     */
    public static Topology build(PipelineSettings settings, ModelSet models, PipelineResources resources,
            Map<String, ?> serdeConfig, OffsetRange range) {
        for (String id : settings.models()) {
            models.get(id);
        }
        RecordSizeLimits limits = RecordSizeLimits.from(serdeConfig);
        Topology topology = new Topology();
        var events = AvroSerdes.specific(ImageEvent.class, serdeConfig, false);
        topology.addSource("images", Serdes.String().deserializer(), events.deserializer(),
                settings.inputTopics().toArray(String[]::new));
        FlushWaves waves = new FlushWaves(settings.batchPolicy().punctuateInterval());
        topology.addProcessor("inference",
                () -> new InferenceProcessor(settings, models, resources, range, limits, waves), "images");
        // Persistent (RocksDB) rather than in-memory: besides surviving a restart locally, a persistent
        // store makes Kafka Streams keep its process id in the state directory, so a restarted
        // instance reuses its transactional ids and fences its killed predecessor at once instead of
        // waiting for the old transactions to time out.
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(InferenceProcessor.STORE), Serdes.String(), new PendingImageSerde())
                .withLoggingEnabled(Map.of()).withCachingEnabled(), "inference");
        @SuppressWarnings("unchecked")
        Serializer<SpecificRecord> registry = (Serializer<SpecificRecord>) (Serializer<?>)
                AvroSerdes.generic(serdeConfig, false).serializer();
        // Too large for its topic: refused before the producer, replaced by DeadLetterProductionHandler.
        Serializer<SpecificRecord> values = new SizeCheckingSerializer(registry, limits);
        for (String model : settings.models()) {
            TopicNameExtractor<String, SpecificRecord> topic = (key, value, ctx) ->
                    settings.resultTopic(inputTopicOf(value), model);
            topology.addSink(InferenceProcessor.resultChild(model), topic, Serdes.String().serializer(), values,
                    "inference");
        }
        TopicNameExtractor<String, SpecificRecord> dlq = (key, value, ctx) ->
                settings.deadLetterTopic(inputTopicOf(value));
        topology.addSink(InferenceProcessor.DLQ_CHILD, dlq, Serdes.String().serializer(), values, "inference");
        return topology;
    }

    /** The Kafka Streams properties the topology relies on, to merge over the user's. */
    public static Map<String, Object> requiredStreamsConfig(PipelineSettings settings) {
        return requiredStreamsConfig(settings, null);
    }

    /** The same for a replay of {@code range} (null: a live pipeline). */
    public static Map<String, Object> requiredStreamsConfig(PipelineSettings settings, OffsetRange range) {
        Map<String, Object> m = new HashMap<>();
        if (range != null) {
            m.put(DeadLetterDeserializationHandler.RANGE_CONFIG, range.toConfigValue());
        }
        m.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        m.put(DeadLetterDeserializationHandler.DLQ_TOPIC_CONFIG, settings.deadLetterTopicTemplate());
        m.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class.getName());
        // The topology has no global stores; this only states the behaviour Kafka 5.0 makes the default,
        // which Kafka Streams otherwise warns about at every start.
        m.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return m;
    }

    private static String inputTopicOf(SpecificRecord value) {
        return switch (value) {
            case ClassificationResult c -> c.getLineage().getTopic();
            case DetectionResult d -> d.getLineage().getTopic();
            case DeadLetter d -> d.getLineage().getTopic();
            default -> throw new IllegalStateException("unexpected output " + value.getClass());
        };
    }
}
