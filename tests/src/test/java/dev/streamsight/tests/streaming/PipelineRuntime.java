package dev.streamsight.tests.streaming;

import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.ImageDecoders;
import dev.streamsight.inference.EngineOptions;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.ModelLoader;
import dev.streamsight.model.LabelResolver;
import dev.streamsight.model.ModelLocator;
import dev.streamsight.postprocess.DetectionOptions;
import dev.streamsight.topology.ImagePipeline;
import dev.streamsight.topology.ModelSet;
import dev.streamsight.topology.PipelineResources;
import dev.streamsight.topology.PipelineSettings;
import dev.streamsight.topology.ThreadFailurePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * One running instance of the Streamsight pipeline, built exactly as the production application
 * builds it: {@link ImagePipeline#build}, {@link ImagePipeline#requiredStreamsConfig} merged over the
 * Streams properties, exactly_once_v2. Used in-process by the integration tests and, through
 * {@link PipelineMain}, as a child JVM by the crash test. Closing it stops Kafka Streams, then the
 * resources, then the models (the order the topology's contracts ask for).
 */
final class PipelineRuntime implements AutoCloseable {
    static final String CLASSIFIER = "mobilenetv2-12-int8";
    static final String DETECTOR = "yolox-nano";

    /** What one instance runs and where. */
    record Options(String bootstrap, String registryUrl, String applicationId, PipelineSettings settings,
            int threads, Path stateDir, Map<String, Object> extraStreamsConfig) {
    }

    private final List<LoadedModel> loaded;
    private final PipelineResources resources;
    private final KafkaStreams streams;

    private PipelineRuntime(List<LoadedModel> loaded, PipelineResources resources, KafkaStreams streams) {
        this.loaded = loaded;
        this.resources = resources;
        this.streams = streams;
    }

    /** Loads the models and creates (does not start) the Kafka Streams instance. */
    static PipelineRuntime create(Options o, UnaryOperator<ImageDecoder> decoderDecorator) {
        ImageDecoder decoder = ImageDecoders.standard(DecoderOptions.DEFAULTS);
        List<LoadedModel> loaded = loadModels(o.settings().models(), decoder);
        PipelineResources resources = new PipelineResources(new ImageFetcher(o.settings().fetch()),
                decoderDecorator.apply(decoder), o.settings().fetchConcurrency(), 5, DetectionOptions.DEFAULT);
        Map<String, Object> serdeConfig = Map.of("schema.registry.url", o.registryUrl());
        Topology topology = ImagePipeline.build(o.settings(), new ModelSet(loaded), resources, serdeConfig);
        KafkaStreams streams = new KafkaStreams(topology, streamsProperties(o));
        // The application's own policy, which also counts deaths for the suite's check.
        streams.setUncaughtExceptionHandler(new ThreadFailurePolicy());
        return new PipelineRuntime(loaded, resources, streams);
    }

    static List<LoadedModel> loadModels(List<String> ids, ImageDecoder decoder) {
        ModelLoader loader = new ModelLoader(ModelLocator.fromEnvironment(), LabelResolver.fromEnvironment(),
                decoder, EngineOptions.cpu());
        List<LoadedModel> models = new ArrayList<>();
        for (String id : ids) {
            models.add(loader.load(id));
        }
        return models;
    }

    static Properties streamsProperties(Options o) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, o.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, o.threads());
        p.put(StreamsConfig.STATE_DIR_CONFIG, o.stateDir().toString());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // The deserialization handler is configured from the application's properties: it needs the registry.
        p.put("schema.registry.url", o.registryUrl());
        p.putAll(o.extraStreamsConfig());
        p.putAll(ImagePipeline.requiredStreamsConfig(o.settings()));
        return p;
    }

    KafkaStreams streams() {
        return streams;
    }

    void start() {
        streams.start();
    }

    /** Waits (bounded) until the instance is RUNNING; fails fast if it died. */
    void awaitRunning(Duration timeout) {
        Await.until("Kafka Streams RUNNING (state now " + streams.state() + ")", timeout, () -> {
            KafkaStreams.State s = streams.state();
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING
                    || s == KafkaStreams.State.PENDING_ERROR) {
                throw new AssertionError("Kafka Streams stopped: " + s);
            }
            return s == KafkaStreams.State.RUNNING;
        });
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        resources.close();
        for (LoadedModel m : loaded) {
            m.close();
        }
    }
}
