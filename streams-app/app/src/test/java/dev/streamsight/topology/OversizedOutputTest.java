package dev.streamsight.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.avro.InlineImage;
import dev.streamsight.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records too large for their topic, under {@link TopologyTestDriver} with the real models and the
 * production exception handler: a result or a dead letter that does not fit becomes one small
 * {@code PRODUCTION_FAILED} dead letter, an event whose pending record does not fit the changelog is
 * refused before the store, a dead letter of an unreadable record leaves its raw value out, and
 * every other output is as usual. (The same on a real broker: {@code OversizedOutputIT}.)
 */
class OversizedOutputTest {
    private static final Path PHOTOS = Path.of(System.getenv("STREAMSIGHT_SHARED_DIR"), "images/photos");
    private static final String APP = "oversized-test";
    private static final String CLASSIFICATIONS = "images.mobilenetv2-12-int8";
    private static PipelineFixture models;

    private TopologyTestDriver driver;
    private String scope;
    private TestInputTopic<String, ImageEvent> input;
    private TestInputTopic<String, byte[]> rawInput;

    @BeforeAll
    static void loadModels() {
        models = PipelineFixture.load();
    }

    @AfterAll
    static void close() {
        models.close();
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void start(Map<String, Long> topicLimits) {
        scope = "mock://" + UUID.randomUUID();
        RecordSizeLimits limits = new RecordSizeLimits(Long.MAX_VALUE, Long.MAX_VALUE, topicLimits);
        Map<String, Object> serde = Map.of("schema.registry.url", scope, RecordSizeLimits.CONFIG, limits);
        PipelineSettings settings = PipelineSettings.defaults("images",
                List.of(models.classifier().id(), models.detector().id())).withBatch(2, Duration.ofMillis(500));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.putAll(serde);
        props.putAll(ImagePipeline.requiredStreamsConfig(settings));
        driver = new TopologyTestDriver(ImagePipeline.build(settings, new ModelSet(List.of(models.classifier(),
                models.detector())), models.resources(), serde), props);
        input = driver.createInputTopic("images", Serdes.String().serializer(),
                AvroSerdes.specific(ImageEvent.class, serde, false).serializer());
        rawInput = driver.createInputTopic("images", Serdes.String().serializer(), Serdes.ByteArray().serializer());
    }

    private TestOutputTopic<String, byte[]> raw(String topic) {
        return driver.createOutputTopic(topic, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    private Object value(byte[] bytes, String topic) {
        Deserializer<Object> d = AvroSerdes.generic(new HashMap<>(Map.of("schema.registry.url", scope,
                "specific.avro.reader", true)), false).deserializer();
        return d.deserialize(topic, bytes);
    }

    private static ImageEvent fileEvent(String id, String photo) {
        return ImageEvent.newBuilder().setId(id).setImage(new ImageRef(PHOTOS.resolve(photo).toUri().toString()))
                .build();
    }

    private static ImageEvent inlineEvent(String id, byte[] bytes) {
        return ImageEvent.newBuilder().setId(id).setImage(new InlineImage(ByteBuffer.wrap(bytes))).build();
    }

    @Test
    void aResultTooLargeForItsTopicBecomesOneSmallDeadLetterAndTheOtherModelsResultsGoOut() {
        start(Map.of(CLASSIFICATIONS, 300L));
        input.pipeInput("a", fileEvent("bird", "winml_hummingbird.jpg"));
        input.pipeInput("b", fileEvent("bear", "coco_000000000285_bear.jpg"));

        assertTrue(raw(CLASSIFICATIONS).isEmpty());
        List<TestRecord<String, byte[]>> boxes = raw("images.yolox-nano").readRecordsToList();
        assertEquals(List.of("bird", "bear"), boxes.stream().map(TestRecord::key).toList());
        assertTrue(value(boxes.get(0).value(), "images.yolox-nano") instanceof DetectionResult);
        List<TestRecord<String, byte[]>> dead = raw("images.dlq").readRecordsToList();
        assertEquals(List.of("bird", "bear"), dead.stream().map(TestRecord::key).toList());
        for (int i = 0; i < dead.size(); i++) {
            DeadLetter dl = (DeadLetter) value(dead.get(i).value(), "images.dlq");
            assertEquals("PRODUCTION_FAILED", dl.getReasonCode());
            assertEquals("produce", dl.getStage());
            assertEquals(models.classifier().id(), dl.getModel().getId());
            assertEquals(i, dl.getLineage().getOffset());
            assertNull(dl.getEvent(), "a result holds no event");
            assertTrue(dl.getMessage().contains("does not fit topic " + CLASSIFICATIONS)
                    && dl.getMessage().contains("limit of 300 bytes"), dl.getMessage());
        }
    }

    @Test
    void aDeadLetterTooLargeForItsTopicLeavesTheInlineImageOut() {
        start(Map.of("images.dlq", 4_000L));
        byte[] text = new byte[20_000];
        Arrays.fill(text, (byte) 'x');
        input.pipeInput("a", inlineEvent("text", text));
        input.pipeInput("b", fileEvent("bird", "winml_hummingbird.jpg"));

        List<TestRecord<String, byte[]>> dead = raw("images.dlq").readRecordsToList();
        assertEquals(1, dead.size());
        assertTrue(dead.get(0).value().length < 4_000);
        DeadLetter dl = (DeadLetter) value(dead.get(0).value(), "images.dlq");
        assertEquals("text", dead.get(0).key());
        assertEquals("PRODUCTION_FAILED", dl.getReasonCode());
        assertEquals("text", dl.getEvent().getId());
        assertEquals(0, ((InlineImage) dl.getEvent().getImage()).getBytes().remaining());
        assertTrue(dl.getMessage().startsWith("the dead letter UNSUPPORTED_FORMAT (decode: ")
                && dl.getMessage().contains("inline image (20000 bytes) is left out"), dl.getMessage());
        assertEquals(List.of("bird"), raw(CLASSIFICATIONS).readRecordsToList().stream().map(TestRecord::key).toList());
    }

    @Test
    void anEventTooLargeForThePendingStoresChangelogIsRefusedBeforeTheStore() throws Exception {
        start(Map.of(InferenceProcessor.changelogTopic(APP), 20_000L));
        byte[] photo = Files.readAllBytes(PHOTOS.resolve("winml_hummingbird.jpg"));
        assertTrue(photo.length > 20_000);
        input.pipeInput("a", inlineEvent("inline", photo));
        assertEquals(0, driver.getKeyValueStore(InferenceProcessor.STORE).approximateNumEntries());
        List<TestRecord<String, byte[]>> dead = raw("images.dlq").readRecordsToList();
        assertEquals(1, dead.size());
        DeadLetter dl = (DeadLetter) value(dead.get(0).value(), "images.dlq");
        assertEquals("TOO_LARGE", dl.getReasonCode());
        assertEquals(0, ((InlineImage) dl.getEvent().getImage()).getBytes().remaining());
        assertTrue(dl.getMessage().contains("changelog topic " + InferenceProcessor.changelogTopic(APP))
                && dl.getMessage().contains("left out"), dl.getMessage());

        input.pipeInput("b", fileEvent("bird", "winml_hummingbird.jpg"));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertEquals(List.of("bird"), raw(CLASSIFICATIONS).readRecordsToList().stream().map(TestRecord::key).toList());
    }

    @Test
    void aDeadLetterOfAnUnreadableRecordLeavesItsRawValueOutWhenItWouldNotFit() {
        start(Map.of("images.dlq", 4_000L));
        rawInput.pipeInput("small", "not avro".getBytes());
        rawInput.pipeInput("large", new byte[10_000]);
        List<TestRecord<String, byte[]>> dead = raw("images.dlq").readRecordsToList();
        assertEquals(List.of("small", "large"), dead.stream().map(TestRecord::key).toList());
        DeadLetter small = (DeadLetter) value(dead.get(0).value(), "images.dlq");
        DeadLetter large = (DeadLetter) value(dead.get(1).value(), "images.dlq");
        assertEquals("not avro", new String(small.getRawValue().array()));
        assertEquals("UNKNOWN_SCHEMA_ID", large.getReasonCode(), large.getMessage());
        assertNull(large.getRawValue());
        assertTrue(large.getMessage().contains("raw value of 10000 bytes is left out"), large.getMessage());
    }
}
