package dev.streamsight.benchmarks;

import dev.streamsight.avro.BoundingBox;
import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.Detection;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.avro.ImageSize;
import dev.streamsight.avro.Label;
import dev.streamsight.avro.Lineage;
import dev.streamsight.avro.ModelRef;
import dev.streamsight.avro.Timings;
import dev.streamsight.serde.AvroSerializer;
import dev.streamsight.serde.InProcessSchemaRegistry;
import dev.streamsight.serde.MockSchemaRegistry;
import dev.streamsight.serde.RegistryClientConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A result record to Confluent wire-format bytes through the project's {@link AvroSerializer}, as
 * the topology's result serde writes it: a {@code ClassificationResult} with the top 5 ImageNet
 * classes and a {@code DetectionResult} with 20 COCO boxes. Two registries:
 * <ul>
 *   <li>{@code in-process}: the REST client against the in-process registry on 127.0.0.1, as the
 *       application talks to a real one; it caches the schema id after the first call (made in
 *       setup), so this times the encoding;
 *   <li>{@code mock}: a {@code mock://} URL, as the tests configure it; that client keeps no cache,
 *       so every record also pays a registration in the in-memory store (the schema written out as
 *       JSON, parsed and compared).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.UNSAFE_ACCESS, JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX})
@State(Scope.Benchmark)
public class AvroBenchmark {
    private static final String SCOPE = "streamsight-benchmarks";
    private static final String CLASSIFICATION_TOPIC = "images.mobilenetv2-12-int8";
    private static final String DETECTION_TOPIC = "images.yolov8n-int8";

    @Param({"in-process", "mock"})
    public String registry;

    private InProcessSchemaRegistry server;
    private AvroSerializer<SpecificRecord> serializer;
    private ClassificationResult classification;
    private DetectionResult detection;

    @Setup
    public void setUp() {
        String url = switch (registry) {
            case "in-process" -> {
                server = InProcessSchemaRegistry.start();
                yield server.url();
            }
            case "mock" -> "mock://" + SCOPE;
            default -> throw new IllegalArgumentException("unknown registry " + registry);
        };
        serializer = new AvroSerializer<>();
        serializer.configure(Map.of(RegistryClientConfig.URL, url), false);
        classification = classification(Fixtures.labels("imagenet_classes.txt"));
        detection = detection(Fixtures.labels("coco80.txt"));
        serializer.serialize(CLASSIFICATION_TOPIC, classification); // registers the schemas
        serializer.serialize(DETECTION_TOPIC, detection);
    }

    @TearDown
    public void tearDown() {
        serializer.close();
        MockSchemaRegistry.dropScope(SCOPE);
        if (server != null) {
            server.close();
        }
    }

    @Benchmark
    public byte[] classificationTop5() {
        return serializer.serialize(CLASSIFICATION_TOPIC, classification);
    }

    @Benchmark
    public byte[] detection20Boxes() {
        return serializer.serialize(DETECTION_TOPIC, detection);
    }

    private static ClassificationResult classification(List<String> imagenet) {
        int[] top = {281, 282, 285, 287, 283};
        float[] scores = {0.7712f, 0.1689f, 0.0371f, 0.0089f, 0.0031f};
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < top.length; i++) {
            labels.add(new Label(top[i], imagenet.get(top[i]), scores[i]));
        }
        return ClassificationResult.newBuilder()
                .setEventId("0b6f6f0e-4a52-4bd4-9a1d-3c6c0e0f5a17")
                .setImageUri("file:///data/images/n02123045_tabby_0001.jpg")
                .setModel(model("mobilenetv2-12-int8"))
                .setExecutionProvider("CPU")
                .setLabels(labels)
                .setImageSize(new ImageSize(500, 375))
                .setTimings(new Timings(3.42, 0.21, 1.03, 38.6, 16))
                .setLineage(new Lineage("images", 3, 1_204_117L))
                .build();
    }

    private static DetectionResult detection(List<String> coco) {
        SplittableRandom random = new SplittableRandom(20);
        List<Detection> boxes = new ArrayList<>();
        float score = 0.93f;
        for (int i = 0; i < 20; i++) {
            int cls = random.nextInt(coco.size());
            float x1 = (float) random.nextDouble(0, 560);
            float y1 = (float) random.nextDouble(0, 400);
            boxes.add(new Detection(cls, coco.get(cls), score,
                    new BoundingBox(x1, y1, x1 + (float) random.nextDouble(16, 80), y1 + (float) random.nextDouble(16, 80))));
            score *= 0.92f;
        }
        return DetectionResult.newBuilder()
                .setEventId("6c1d5a3e-8f0b-4f7e-b1c2-9e4d2a7b3f01")
                .setImageUri("file:///data/images/coco_000000000139_living_room.jpg")
                .setModel(model("yolov8n-int8"))
                .setExecutionProvider("CPU")
                .setDetections(boxes)
                .setImageSize(new ImageSize(640, 480))
                .setTimings(new Timings(5.87, 0.34, 2.15, 61.2, 8))
                .setLineage(new Lineage("images", 1, 887_311L))
                .build();
    }

    private static ModelRef model(String id) {
        return ModelRef.newBuilder().setId(id).setVersion("1")
                .setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08").build();
    }
}
