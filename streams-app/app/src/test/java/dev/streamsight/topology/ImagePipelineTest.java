package dev.streamsight.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.avro.InlineImage;
import dev.streamsight.config.StreamsightConfig;
import dev.streamsight.fetch.FetchOptions;
import dev.streamsight.fetch.FileAccess;
import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoders;
import dev.streamsight.inference.EngineOptions;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.ModelLoader;
import dev.streamsight.model.LabelResolver;
import dev.streamsight.model.ModelLocator;
import dev.streamsight.postprocess.DetectionOptions;
import dev.streamsight.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The topology under {@link TopologyTestDriver} with the real models: batching by size and by
 * wall-clock time, results per model keyed by event id, and a dead letter per bad input with its
 * reason code.
 */
class ImagePipelineTest {
    private static final Path PHOTOS = PipelineFixture.PHOTOS;
    private static PipelineFixture fixture;
    private static LoadedModel classifier;
    private static LoadedModel detector;
    private static PipelineResources resources;

    private TopologyTestDriver driver;
    private TestInputTopic<String, ImageEvent> input;
    private TestInputTopic<String, byte[]> rawInput;
    private TestOutputTopic<String, Object> classifications;
    private TestOutputTopic<String, Object> detections;
    private TestOutputTopic<String, Object> deadLetters;

    @BeforeAll
    static void loadModels() {
        fixture = PipelineFixture.load();
        classifier = fixture.classifier();
        detector = fixture.detector();
        resources = fixture.resources();
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @BeforeEach
    void start() {
        start(4, Duration.ofMillis(500));
    }

    private void start(int batchSize, Duration maxWait) {
        start(PipelineSettings.defaults("images", List.of(classifier.id(), detector.id())).withBatch(batchSize, maxWait),
                List.of(classifier, detector), resources);
    }

    /** A fresh driver (and mock registry scope) running {@code models} with {@code settings}. */
    private void start(PipelineSettings settings, List<LoadedModel> models, PipelineResources shared) {
        if (driver != null) {
            driver.close();
        }
        String scope = "mock://" + UUID.randomUUID();
        Map<String, Object> serde = Map.of("schema.registry.url", scope);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "pipeline-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.putAll(serde);
        props.putAll(ImagePipeline.requiredStreamsConfig(settings));
        driver = new TopologyTestDriver(ImagePipeline.build(settings, new ModelSet(models), shared, serde), props,
                Instant.ofEpochMilli(1_000_000));
        input = driver.createInputTopic("images", Serdes.String().serializer(),
                AvroSerdes.specific(ImageEvent.class, serde, false).serializer());
        rawInput = driver.createInputTopic("images", Serdes.String().serializer(), Serdes.ByteArray().serializer());
        var values = AvroSerdes.generic(new HashMap<>(Map.of("schema.registry.url", scope,
                "specific.avro.reader", true)), false).deserializer();
        classifications = driver.createOutputTopic("images.mobilenetv2-12-int8", Serdes.String().deserializer(), values);
        detections = driver.createOutputTopic("images.yolox-nano", Serdes.String().deserializer(), values);
        deadLetters = driver.createOutputTopic("images.dlq", Serdes.String().deserializer(), values);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static ImageEvent fileEvent(String id, String photo) {
        return ImageEvent.newBuilder().setId(id)
                .setImage(new ImageRef(PHOTOS.resolve(photo).toUri().toString())).build();
    }

    private static ImageEvent inlineEvent(String id, byte[] bytes) {
        return ImageEvent.newBuilder().setId(id).setImage(new InlineImage(ByteBuffer.wrap(bytes))).build();
    }

    @Test
    void aFullBatchFlushesAtOnceWithOneResultPerModelKeyedByEventId() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", new byte[] {1, 2, 3});
        input.pipeInput(new TestRecord<>("k1", fileEvent("bear", "coco_000000000285_bear.jpg"), headers, 42L));
        input.pipeInput("k2", fileEvent("bird", "winml_hummingbird.jpg"), 43L);
        input.pipeInput("k3", fileEvent("dogs", "darknet_dog_bicycle_truck.jpg"), 44L);
        assertTrue(classifications.isEmpty(), "nothing before the batch is full or the wait is over");
        input.pipeInput("k4", fileEvent("apples", "coco_000000002149_green_apples.jpg"), 45L);

        List<TestRecord<String, Object>> out = classifications.readRecordsToList();
        assertEquals(List.of("bear", "bird", "dogs", "apples"), out.stream().map(TestRecord::key).toList());
        ClassificationResult bear = (ClassificationResult) out.get(0).value();
        assertEquals("brown bear", bear.getLabels().get(0).getLabel());
        assertEquals(3, bear.getLabels().size());
        assertEquals("mobilenetv2-12-int8", bear.getModel().getId());
        assertEquals("cpu", bear.getExecutionProvider());
        assertEquals(4, bear.getTimings().getBatchSize());
        assertEquals("images", bear.getLineage().getTopic());
        assertEquals(0L, bear.getLineage().getOffset());
        assertEquals(42L, out.get(0).timestamp());
        assertEquals(3, out.get(0).headers().lastHeader("trace").value().length);
        assertEquals("hummingbird", ((ClassificationResult) out.get(1).value()).getLabels().get(0).getLabel());

        List<TestRecord<String, Object>> boxes = detections.readRecordsToList();
        assertEquals(4, boxes.size());
        DetectionResult dogs = (DetectionResult) boxes.get(2).value();
        assertTrue(dogs.getDetections().stream().anyMatch(d -> d.getLabel().equals("dog")), dogs.toString());
        assertEquals(768, dogs.getImageSize().getWidth());
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void aPartialBatchFlushesWhenTheMaxWaitHasPassed() {
        input.pipeInput("k", fileEvent("bird", "winml_hummingbird.jpg"));
        driver.advanceWallClockTime(Duration.ofMillis(100));
        assertTrue(classifications.isEmpty());
        driver.advanceWallClockTime(Duration.ofMillis(500));
        List<TestRecord<String, Object>> out = classifications.readRecordsToList();
        assertEquals(1, out.size());
        assertEquals(1, ((ClassificationResult) out.get(0).value()).getTimings().getBatchSize());
        assertEquals(1, detections.readRecordsToList().size());
    }

    @Test
    void eachBadInputBecomesOneDeadLetterWithItsReasonCode() throws Exception {
        byte[] photo = Files.readAllBytes(PHOTOS.resolve("winml_hummingbird.jpg"));
        input.pipeInput("a", fileEvent("missing", "no_such_photo.jpg"));
        input.pipeInput("b", inlineEvent("text", "not an image".getBytes()));
        input.pipeInput("c", inlineEvent("truncated", java.util.Arrays.copyOf(photo, photo.length / 2)));
        input.pipeInput("d", ImageEvent.newBuilder().setId("ftp").setImage(new ImageRef("ftp://127.0.0.1/x.jpg")).build());
        input.pipeInput("e", ImageEvent.newBuilder(inlineEvent("unknown-model", photo))
                .setModels(List.of("mobilenetv2-12-int8", "resnet-9000")).build());
        input.pipeInput("f", inlineEvent("empty", new byte[0]));
        input.pipeInput("f2", ImageEvent.newBuilder().setId("blank-uri").setImage(new ImageRef(" ")).build());
        rawInput.pipeInput("g", "definitely not avro".getBytes());
        input.pipeInput("h", inlineEvent("good", photo));
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        Map<String, String> codes = new HashMap<>();
        for (TestRecord<String, Object> r : deadLetters.readRecordsToList()) {
            DeadLetter dl = (DeadLetter) r.value();
            String id = dl.getEvent() != null ? dl.getEvent().getId() : "raw";
            assertNull(codes.put(id, dl.getReasonCode()), "one dead letter per bad event: " + id);
            if (id.equals("raw")) {
                assertEquals("definitely not avro", new String(dl.getRawValue().array()));
                assertEquals("deserialize", dl.getStage());
            }
        }
        assertEquals(Map.of("missing", "NOT_FOUND", "text", "UNSUPPORTED_FORMAT", "truncated", "TRUNCATED",
                "ftp", "UNSUPPORTED_URI", "unknown-model", "UNKNOWN_MODEL", "empty", "INVALID_EVENT",
                "blank-uri", "INVALID_EVENT", "raw", "NOT_WIRE_FORMAT"), codes);
        // The event that asked for one known and one unknown model still gets its known model's result,
        // and only that one; the good event gets both.
        List<String> classified = classifications.readRecordsToList().stream().map(TestRecord::key).toList();
        assertEquals(List.of("unknown-model", "good"), classified);
        assertEquals(List.of("good"), detections.readRecordsToList().stream().map(TestRecord::key).toList());
    }

    @Test
    void aModelThatFailsOnABatchDeadLettersItsImagesAndTheStreamGoesOn() {
        ModelLoader loader = new ModelLoader(ModelLocator.fromEnvironment(), LabelResolver.fromEnvironment(),
                ImageDecoders.standard(DecoderOptions.DEFAULTS), EngineOptions.cpu());
        LoadedModel broken = loader.load("mobilenetv2-12-int8");
        broken.close(); // its session is gone: every call fails, as a native failure would
        PipelineSettings settings = PipelineSettings.defaults("images", List.of(broken.id(), detector.id()))
                .withBatch(2, Duration.ofSeconds(1));
        try (PipelineResources own = new PipelineResources(new ImageFetcher(PipelineFixture.photosOnly()),
                ImageDecoders.standard(DecoderOptions.DEFAULTS), 4, 1, DetectionOptions.DEFAULT)) {
            start(settings, List.of(broken, detector), own);
            input.pipeInput("a", fileEvent("bird", "winml_hummingbird.jpg"));
            input.pipeInput("b", fileEvent("bear", "coco_000000000285_bear.jpg"));
            List<TestRecord<String, Object>> dead = deadLetters.readRecordsToList();
            assertEquals(List.of("bird", "bear"), dead.stream().map(TestRecord::key).toList());
            for (TestRecord<String, Object> r : dead) {
                DeadLetter dl = (DeadLetter) r.value();
                assertEquals("INFERENCE_FAILED", dl.getReasonCode());
                assertEquals("inference", dl.getStage());
                assertEquals("mobilenetv2-12-int8", dl.getModel().getId());
            }
            assertEquals(2, detections.readRecordsToList().size(), "the other model still answers");
        }
    }

    @Test
    void runsDefaultConfigurationDeadLettersLocalFilesAndNonPublicAddresses() {
        StreamsightConfig run = StreamsightConfig.defaultConfig(); // no fetch.* keys, as run and replay start
        PipelineSettings settings = run.pipelineSettings().withBatch(3, Duration.ofSeconds(1));
        try (PipelineResources own = new PipelineResources(new ImageFetcher(run.fetchOptions()),
                ImageDecoders.standard(DecoderOptions.DEFAULTS), 4, 1, DetectionOptions.DEFAULT)) {
            start(settings, List.of(classifier, detector), own);
            input.pipeInput("a", fileEvent("file", "winml_hummingbird.jpg"));
            input.pipeInput("b", ImageEvent.newBuilder().setId("metadata")
                    .setImage(new ImageRef("http://169.254.169.254/latest/meta-data/")).build());
            input.pipeInput("c", ImageEvent.newBuilder().setId("loopback")
                    .setImage(new ImageRef("http://127.0.0.1:9/a.jpg")).build());
            Map<String, String> messages = new HashMap<>();
            for (Object value : deadLetters.readValuesToList()) {
                DeadLetter dl = (DeadLetter) value;
                assertEquals("FETCH_REFUSED", dl.getReasonCode(), dl.getMessage());
                assertEquals("fetch", dl.getStage());
                messages.put(dl.getEvent().getId(), dl.getMessage());
            }
            assertEquals(java.util.Set.of("file", "metadata", "loopback"), messages.keySet());
            assertTrue(messages.get("file").contains("set fetch.file.roots"), messages.get("file"));
            assertTrue(messages.get("metadata").contains("cloud metadata service"), messages.get("metadata"));
            assertTrue(messages.get("loopback").contains("loopback"), messages.get("loopback"));
        }
    }

    @Test
    void anInlineImageOverTheByteLimitIsTooLargeBeforeItIsStored() {
        start(PipelineSettings.defaults("images", List.of(classifier.id()))
                .withFetch(FetchOptions.forEvents().withMaxBytes(100)), List.of(classifier), resources);
        input.pipeInput("k", inlineEvent("big", new byte[101]));
        DeadLetter dl = (DeadLetter) deadLetters.readValue();
        assertEquals("TOO_LARGE", dl.getReasonCode());
        assertEquals(0, driver.getKeyValueStore(InferenceProcessor.STORE).approximateNumEntries());
    }

    @Test
    void eventsWaitInThePendingStoreUntilTheirBatchRuns() {
        input.pipeInput("k", fileEvent("bird", "winml_hummingbird.jpg"));
        input.pipeInput("k", fileEvent("bear", "coco_000000000285_bear.jpg"));
        assertTrue(classifications.isEmpty());
        // The pending store (changelogged, so a restarted task restores it) holds them until the flush;
        // the crash/restart behaviour itself is proven on a real broker by ExactlyOnceCrashIT.
        var store = driver.<String, dev.streamsight.avro.PendingImage>getKeyValueStore(InferenceProcessor.STORE);
        assertEquals(2, store.approximateNumEntries());
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertEquals(2, classifications.readRecordsToList().size());
        assertEquals(0, store.approximateNumEntries());
    }

    @Test
    void anEventRunBeforeTheCommitReachesTheChangelogOnlyAsATombstone() {
        start(2, Duration.ofSeconds(1));
        var changelog = driver.createOutputTopic(InferenceProcessor.changelogTopic("pipeline-test"),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        // The test driver commits after each input record: the first event is still pending then.
        input.pipeInput("k", fileEvent("bird", "winml_hummingbird.jpg"));
        var first = changelog.readRecordsToList();
        assertEquals(1, first.size());
        assertTrue(first.get(0).value() != null && first.get(0).value().length > 0, "the first is stored");
        // The second fills the batch, so both run and are deleted before the next commit.
        input.pipeInput("k", fileEvent("bear", "coco_000000000285_bear.jpg"));
        assertEquals(2, classifications.readRecordsToList().size());
        var after = changelog.readRecordsToList();
        assertEquals(2, after.size(), "one tombstone each, and no put for the second: " + after);
        assertTrue(after.stream().allMatch(r -> r.value() == null), after::toString);
        assertEquals(first.get(0).key(), after.get(0).key());
    }
}
