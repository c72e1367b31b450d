package dev.streamsight.tests.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.cli.Main;
import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.serde.InProcessSchemaRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamsight run} (its own JVM) with a model that is missing, corrupt or not the model its
 * descriptor describes refuses to start: exit status 2, one line on stderr naming the model and the
 * problem, no stack trace, and nothing done on the cluster (no topic created, no consumer group).
 * Each case gets its own {@code STREAMSIGHT_MODEL_PATH} directory and an empty model cache.
 */
class BadModelStartupIT {
    private static final Path SHARED_MODELS = StreamingIo.SHARED.resolve("models");
    private static EmbeddedKafka kafka;
    private static InProcessSchemaRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() {
        kafka = EmbeddedKafka.start();
        registry = InProcessSchemaRegistry.start();
    }

    @AfterAll
    static void stopCluster() {
        registry.close();
        kafka.close();
    }

    @Test
    @Timeout(120)
    void aCatalogModelWhoseFileIsNowhere() throws Exception {
        refuses("mobilenetv2-12-int8", models("nowhere"), "model 'mobilenetv2-12-int8' not found");
    }

    @Test
    @Timeout(120)
    void aDescriptorWhoseModelFileIsMissing() throws Exception {
        Path models = models("lonely");
        descriptor(models, "lonely", "classification", 224, "nchw", "imagenet", null);
        refuses("lonely", models, "model 'lonely' (descriptor ", "its model file lonely.onnx missing");
    }

    @Test
    @Timeout(120)
    void aTruncatedCopyOfACatalogModel() throws Exception {
        Path models = models("truncated");
        byte[] real = Files.readAllBytes(SHARED_MODELS.resolve("mobilenetv2-12-int8.onnx"));
        Files.write(models.resolve("mobilenetv2-12-int8.onnx"), Arrays.copyOf(real, real.length / 3));
        refuses("mobilenetv2-12-int8", models, "model 'mobilenetv2-12-int8': file ", "has sha256",
                "expects 83530ad8", "truncated, corrupt or another model");
    }

    @Test
    @Timeout(120)
    void aTruncatedModelWithoutAChecksum() throws Exception {
        Path models = models("half");
        byte[] real = Files.readAllBytes(SHARED_MODELS.resolve("mobilenetv2-12-int8.onnx"));
        Files.write(models.resolve("half.onnx"), Arrays.copyOf(real, real.length / 2));
        descriptor(models, "half", "classification", 224, "nchw", "imagenet", null);
        refuses("half", models, "model 'half': ONNX Runtime cannot load");
    }

    @Test
    @Timeout(120)
    void randomBytesAsAModel() throws Exception {
        Path models = models("junk");
        byte[] junk = new byte[64 * 1024];
        new Random(11).nextBytes(junk);
        Files.write(models.resolve("junk.onnx"), junk);
        descriptor(models, "junk", "classification", 224, "nchw", "imagenet", null);
        refuses("junk", models, "model 'junk': ONNX Runtime cannot load");
    }

    @Test
    @Timeout(120)
    void aClassifierDescriptorOnADetector() throws Exception {
        Path models = models("detector");
        Files.copy(SHARED_MODELS.resolve("yolox_nano.onnx"), models.resolve("looks-like-a-classifier.onnx"));
        descriptor(models, "looks-like-a-classifier", "classification", 416, "nchw", "imagenet", null);
        refuses("looks-like-a-classifier", models, "model looks-like-a-classifier: its descriptor says"
                + " classification", "is it a detector?");
    }

    @Test
    @Timeout(120)
    void aDescriptorWithTheWrongInputSize() throws Exception {
        Path models = models("size");
        Files.copy(SHARED_MODELS.resolve("mobilenetv2-12-int8.onnx"), models.resolve("wrong-size.onnx"));
        descriptor(models, "wrong-size", "classification", 300, "nchw", "imagenet", null);
        refuses("wrong-size", models, "wrong-size: the descriptor's input height is 300", "(height 224)");
    }

    @Test
    @Timeout(120)
    void aDescriptorWithTheWrongLayout() throws Exception {
        Path models = models("layout");
        Files.copy(SHARED_MODELS.resolve("mobilenetv2-12-int8.onnx"), models.resolve("wrong-layout.onnx"));
        descriptor(models, "wrong-layout", "classification", 224, "nhwc", "imagenet", null);
        refuses("wrong-layout", models, "wrong-layout: the descriptor's layout is NHWC", "set the descriptor's"
                + " layout to nchw");
    }

    @Test
    @Timeout(120)
    void labelsThatAreNotOnePerClass() throws Exception {
        Path models = models("labels");
        Files.copy(SHARED_MODELS.resolve("mobilenetv2-12-int8.onnx"), models.resolve("ten-labels.onnx"));
        Path labels = Files.writeString(models.resolve("ten.txt"), "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n");
        descriptor(models, "ten-labels", "classification", 224, "nchw", labels.toString(), null);
        refuses("ten-labels", models, "model ten-labels: its output 'output' has 1000 classes but its labels",
                "have 10");
    }

    @Test
    @Timeout(120)
    void aDescriptorChecksumThatDoesNotMatch() throws Exception {
        Path models = models("checksum");
        Files.copy(SHARED_MODELS.resolve("mobilenetv2-12-int8.onnx"), models.resolve("other-sha.onnx"));
        descriptor(models, "other-sha", "classification", 224, "nchw", "imagenet", "ab".repeat(32));
        refuses("other-sha", models, "model 'other-sha': file ", "expects " + "ab".repeat(32));
    }

    private Path models(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    private static void descriptor(Path models, String id, String task, int size, String layout, String labels,
            String sha256) throws IOException {
        Files.writeString(models.resolve(id + ".json"), """
                {"id":"%s","task":"%s","file":"%s.onnx",%s
                 "input":{"size":[%d,%d],"layout":"%s"},
                 "preprocess":{"resize":"center_crop","resizeShortSide":%d},
                 "output":{"scores":"logits"},"labels":"%s"}
                """.formatted(id, task, id, sha256 == null ? "" : "\"sha256\":\"" + sha256 + "\",", size, size,
                layout, size * 8 / 7, labels));
    }

    /**
     * Runs {@code streamsight run --models id} with {@code models} as the whole model path and asserts
     * that it refuses to start, naming the problem, before touching the cluster.
     */
    private void refuses(String id, Path models, String... expected) throws Exception {
        String app = "bad-model-" + Math.abs(id.hashCode());
        String input = "in-" + app;
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                "--bootstrap-server", kafka.bootstrapServers(), "--schema-registry", registry.url(),
                "--input-topic", input, "--models", id, "--application-id", app));
        Path out = dir.resolve(app + ".out");
        Path err = dir.resolve(app + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(Map.of("STREAMSIGHT_MODEL_PATH", models.toString(),
                "STREAMSIGHT_CACHE_DIR", dir.resolve("cache-" + app).toString(), "STREAMSIGHT_OFFLINE", "true",
                "STREAMSIGHT_STATE_ROOT", dir.resolve("state-" + app).toString()));
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean exited = p.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String stderr = Files.readString(err);
        assertTrue(exited, "run did not exit:\n" + stderr);
        System.out.printf("BadModelStartupIT %s: exit %d after %.1f s: %s%n", id, p.exitValue(),
                (System.nanoTime() - t0) / 1e9, stderr.lines().filter(l -> l.startsWith("streamsight run:"))
                        .findFirst().orElse("(no error line)"));
        assertEquals(2, p.exitValue(), stderr);
        List<String> errorLines = stderr.lines().filter(l -> l.startsWith("streamsight run: ")).toList();
        assertEquals(1, errorLines.size(), stderr);
        String line = errorLines.getFirst();
        assertTrue(line.contains(id), "the error line names the model: " + line);
        for (String e : expected) {
            assertTrue(line.contains(e), "the error line says '" + e + "': " + line);
        }
        assertFalse(stderr.contains("\tat ") || stderr.contains("Exception in thread") || stderr.contains("Caused by"),
                "no stack trace:\n" + stderr);
        assertEquals("", Files.readString(out).strip(), "nothing on stdout");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            var topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertFalse(topics.stream().anyMatch(t -> t.startsWith(input)), "no topic was created: " + topics);
            var groups = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(ConsumerGroupListing::groupId).toList();
            assertFalse(groups.contains(app), "no consumer group: " + groups);
        }
    }
}
