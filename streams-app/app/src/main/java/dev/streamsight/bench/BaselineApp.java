package dev.streamsight.bench;

import dev.streamsight.avro.BoundingBox;
import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.avro.ImageSize;
import dev.streamsight.avro.Label;
import dev.streamsight.avro.Lineage;
import dev.streamsight.avro.ModelRef;
import dev.streamsight.avro.Timings;
import dev.streamsight.config.StreamsightConfig;
import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.image.ImageDecoders;
import dev.streamsight.inference.Classification;
import dev.streamsight.inference.ImageInput;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.ModelLoader;
import dev.streamsight.inference.Prediction;
import dev.streamsight.inference.StageTimings;
import dev.streamsight.model.LabelResolver;
import dev.streamsight.model.ModelLocator;
import dev.streamsight.model.Task;
import dev.streamsight.postprocess.DetectionOptions;
import dev.streamsight.serde.AvroSerde;
import dev.streamsight.serde.AvroSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The naive design {@code bench baseline} compares the pipeline with: a Kafka Streams application
 * that, per record, fetches the image, decodes it with {@code javax.imageio} (the project's fallback
 * decoder: {@code ImageIO.read} plus EXIF orientation), resizes and normalises it (the project's
 * preprocessing), runs the model on a batch of one and produces the same result record, in a
 * value mapper ({@code processValues}, a {@code mapValues} that also sees the record's position for
 * the lineage). No pending store, no batching, no overlap of fetching, decoding and inference; the
 * same Kafka Streams settings otherwise (exactly_once_v2 unless configured, one stream thread unless
 * {@code num.stream.threads} is set, the model's intra-op threads as {@code engine.threads}). An image
 * that fails is logged and dropped.
 */
public final class BaselineApp implements StreamBenchmark.Running {
    private static final Logger LOG = LoggerFactory.getLogger(BaselineApp.class);

    private final LoadedModel model;
    private final KafkaStreams streams;
    private final CompletableFuture<Void> running = new CompletableFuture<>();
    private final List<AutoCloseable> serdes;

    private BaselineApp(LoadedModel model, KafkaStreams streams, List<AutoCloseable> serdes) {
        this.model = model;
        this.streams = streams;
        this.serdes = serdes;
    }

    /**
     * Loads {@code modelId} (javax.imageio decoder, batches of one) and starts the application on
     * {@code inputTopic}, writing to {@code outputTopic}. Kafka Streams settings: {@code config}'s
     * pass-through keys ({@code application.id}, {@code state.dir}, {@code processing.guarantee}...).
     */
    public static BaselineApp start(StreamsightConfig config, String modelId, String inputTopic, String outputTopic) {
        ModelLoader loader = new ModelLoader(ModelLocator.fromEnvironment(), LabelResolver.fromEnvironment(),
                ImageDecoders.fallback(config.decoderOptions()), config.engineOptions().withMaxBatchSize(1));
        LoadedModel model = loader.load(modelId);
        try {
            Map<String, Object> props = config.kafkaProperties();
            AvroSerde<ImageEvent> events = AvroSerdes.specific(ImageEvent.class, props, false);
            ImageFetcher fetcher = new ImageFetcher(config.fetchOptions());
            StreamsBuilder builder = new StreamsBuilder();
            var stream = builder.stream(inputTopic, Consumed.with(Serdes.String(), events));
            AutoCloseable resultSerde;
            if (model.task() == Task.CLASSIFICATION) {
                AvroSerde<ClassificationResult> serde = AvroSerdes.specific(ClassificationResult.class, props, false);
                int topK = config.topK();
                stream.processValues(() -> new PerRecord<>(model, fetcher, (event, lineage, bytes) ->
                                classify(model, event, lineage, bytes, topK)))
                        .filter((k, v) -> v != null)
                        .to(outputTopic, Produced.with(Serdes.String(), serde));
                resultSerde = serde;
            } else {
                AvroSerde<DetectionResult> serde = AvroSerdes.specific(DetectionResult.class, props, false);
                DetectionOptions options = config.detectionOptions();
                stream.processValues(() -> new PerRecord<>(model, fetcher, (event, lineage, bytes) ->
                                detect(model, event, lineage, bytes, options)))
                        .filter((k, v) -> v != null)
                        .to(outputTopic, Produced.with(Serdes.String(), serde));
                resultSerde = serde;
            }
            Topology topology = builder.build();
            Properties streamsProps = new Properties();
            streamsProps.putAll(props);
            KafkaStreams streams = new KafkaStreams(topology, streamsProps);
            BaselineApp app = new BaselineApp(model, streams, List.of(events, resultSerde));
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    app.running.complete(null);
                }
            });
            LOG.info("starting the baseline application {} ({}) with model {} on {}",
                    props.get(StreamsConfig.APPLICATION_ID_CONFIG), props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG),
                    model.id(), model.provider().id());
            streams.start();
            return app;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        try {
            running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

    @Override
    public int streamThreads() {
        try {
            return streams.metadataForLocalThreads().size();
        } catch (IllegalStateException | StreamsException e) {
            return 0; // not running (any more)
        }
    }

    @Override
    public void close() {
        try {
            streams.close(Duration.ofSeconds(30));
        } finally {
            for (AutoCloseable s : serdes) {
                try {
                    s.close();
                } catch (Exception e) {
                    LOG.debug("closing a serde: {}", e.toString());
                }
            }
            model.close();
        }
    }

    /** One image's work: the result record, or null when the image failed (logged). */
    @FunctionalInterface
    private interface Work<R> {
        R apply(ImageEvent event, Lineage lineage, FetchedImage image);
    }

    private record FetchedImage(byte[] bytes, long fetchNanos) {
    }

    /** Fetch, then the work, one record at a time. */
    private static final class PerRecord<R extends SpecificRecord> implements FixedKeyProcessor<String, ImageEvent, R> {
        private final LoadedModel model;
        private final ImageFetcher fetcher;
        private final Work<R> work;
        private FixedKeyProcessorContext<String, R> context;

        PerRecord(LoadedModel model, ImageFetcher fetcher, Work<R> work) {
            this.model = model;
            this.fetcher = fetcher;
            this.work = work;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, R> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, ImageEvent> record) {
            ImageEvent event = record.value();
            RecordMetadata md = context.recordMetadata().orElseThrow();
            Lineage lineage = new Lineage(md.topic(), md.partition(), md.offset());
            R result = null;
            if (event != null && event.getImage() instanceof ImageRef ref) {
                try {
                    long t0 = System.nanoTime();
                    byte[] bytes = fetcher.fetch(ref.getUri());
                    result = work.apply(event, lineage, new FetchedImage(bytes, System.nanoTime() - t0));
                } catch (RuntimeException e) {
                    LOG.warn("event {} of model {} failed: {}", event.getId(), model.id(), e.toString());
                }
            }
            context.forward(record.withValue(result));
        }
    }

    private static ClassificationResult classify(LoadedModel model, ImageEvent event, Lineage lineage,
            FetchedImage image, int topK) {
        Prediction<Classification> p = model.classify(List.of(ImageInput.encoded(image.bytes())), topK).getFirst();
        if (!p.ok()) {
            LOG.warn("event {}: {}", event.getId(), p.error().getMessage());
            return null;
        }
        return ClassificationResult.newBuilder()
                .setEventId(event.getId())
                .setImageUri(((ImageRef) event.getImage()).getUri())
                .setModel(modelRef(model))
                .setExecutionProvider(model.provider().id())
                .setLabels(p.value().top().stream().map(s -> new Label(s.index(), s.label(), s.score())).toList())
                .setImageSize(new ImageSize(p.value().width(), p.value().height()))
                .setTimings(timings(p.timings(), image.fetchNanos()))
                .setLineage(lineage)
                .build();
    }

    private static DetectionResult detect(LoadedModel model, ImageEvent event, Lineage lineage, FetchedImage image,
            DetectionOptions options) {
        Prediction<dev.streamsight.inference.DetectionResult> p =
                model.detect(List.of(ImageInput.encoded(image.bytes())), options).getFirst();
        if (!p.ok()) {
            LOG.warn("event {}: {}", event.getId(), p.error().getMessage());
            return null;
        }
        return DetectionResult.newBuilder()
                .setEventId(event.getId())
                .setImageUri(((ImageRef) event.getImage()).getUri())
                .setModel(modelRef(model))
                .setExecutionProvider(model.provider().id())
                .setDetections(p.value().detections().stream().map(d -> dev.streamsight.avro.Detection.newBuilder()
                        .setIndex(d.index()).setLabel(d.label()).setScore(d.score())
                        .setBox(new BoundingBox(d.x1(), d.y1(), d.x2(), d.y2())).build()).toList())
                .setImageSize(new ImageSize(p.value().width(), p.value().height()))
                .setTimings(timings(p.timings(), image.fetchNanos()))
                .setLineage(lineage)
                .build();
    }

    private static ModelRef modelRef(LoadedModel m) {
        return ModelRef.newBuilder().setId(m.id()).setVersion(m.descriptor().version()).setSha256(m.sha256()).build();
    }

    private static Timings timings(StageTimings t, long fetchNanos) {
        return new Timings(0.0, fetchNanos / 1e6, (t.decodeNanos() + t.preprocessNanos()) / 1e6,
                t.inferenceNanos() / 1e6, 1);
    }
}
