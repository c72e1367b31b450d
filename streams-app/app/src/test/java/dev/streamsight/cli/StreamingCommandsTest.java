package dev.streamsight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamsight.config.StreamsightConfig;
import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.serde.InProcessSchemaRegistry;
import dev.streamsight.topology.PipelineRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code produce}, the pipeline runner and {@code tail --json} against a real in-process broker and
 * schema registry: one result per image per model, and a dead letter for a file that is not an
 * image.
 */
@Timeout(180)
class StreamingCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLASSIFIER = "mobilenetv2-12-int8";
    private static final String DETECTOR = "yolox-nano";

    private static EmbeddedKafka kafka;
    private static InProcessSchemaRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        registry = InProcessSchemaRegistry.start();
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    static Path photosDir() {
        String p = System.getenv("STREAMSIGHT_IMAGE_PATH");
        assertNotNull(p, "surefire sets STREAMSIGHT_IMAGE_PATH");
        return Path.of(p.split(":")[0]);
    }

    private String[] connection() {
        return new String[] {"--bootstrap-server", kafka.bootstrapServers(), "--schema-registry", registry.url()};
    }

    private String[] args(String... rest) {
        return Stream.concat(Stream.of(rest), Stream.of(connection())).toArray(String[]::new);
    }

    @Test
    void produceRunAndTailGiveOneResultPerImagePerModelAndDeadLetters() throws Exception {
        List<Path> photos;
        try (Stream<Path> s = Files.list(photosDir())) {
            photos = s.filter(f -> f.toString().endsWith(".jpg")).sorted().limit(3).toList();
        }
        Path broken = tmp.resolve("broken.jpg");
        Files.write(broken, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F'});
        kafka.createTopics(2, "cams");

        List<String> produceArgs = new ArrayList<>(List.of("produce", "--topic", "cams", "--id-prefix", "t-", "--json"));
        photos.forEach(p -> produceArgs.add(p.toString()));
        produceArgs.add(broken.toString());
        CliRun produced = CliRun.of(args(produceArgs.toArray(String[]::new)));
        assertEquals(0, produced.status(), produced::toString);
        JsonNode summary = JSON.readTree(produced.lines().getFirst());
        assertEquals(4, summary.get("sent").asInt(), produced::toString);
        assertEquals(0, summary.get("failed").asInt());

        // Inline bytes, asking for the classifier only.
        CliRun inline = CliRun.of(args("produce", "--topic", "cams", "--id-prefix", "inline-", "--inline",
                "--models", CLASSIFIER, photos.getFirst().toString()));
        assertEquals(0, inline.status(), inline::toString);
        assertEquals("sent 1 image event to cams", inline.lines().getFirst());

        // A missing file is reported and not sent.
        CliRun missing = CliRun.of(args("produce", "--topic", "cams", tmp.resolve("nope.jpg").toString()));
        assertEquals(1, missing.status(), missing::toString);
        assertTrue(missing.err().contains("no such file"), missing::toString);

        Path state = Files.createDirectories(tmp.resolve("state"));
        StreamsightConfig config = StreamsightConfig.builder().properties(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "schema.registry.url", registry.url(),
                "application.id", "streaming-commands-test",
                "input.topics", "cams",
                "models", CLASSIFIER + "," + DETECTOR,
                "batch.max.wait", "50ms",
                "commit.interval.ms", "100",
                "state.dir", state.toString(),
                "fetch.file.roots", photosDir() + "," + tmp)).build();
        try (PipelineRunner runner = PipelineRunner.start(config)) {
            assertTrue(runner.awaitRunning(Duration.ofSeconds(60)), "Kafka Streams is running");
            assertEquals(2, runner.topics().get("cams." + CLASSIFIER), "output topics like their input");
            assertEquals(2, runner.topics().get("cams.dlq"));

            Map<String, JsonNode> classified = tail("cams." + CLASSIFIER, 4);
            assertEquals(Set.of("t-1", "t-2", "t-3", "inline-1"), classified.keySet());
            for (int i = 0; i < 3; i++) {
                JsonNode line = classified.get("t-" + (i + 1));
                assertEquals(photos.get(i).toAbsolutePath().normalize().toUri().toString(), line.get("image").asText());
                assertEquals(CLASSIFIER, line.get("model").asText());
                assertEquals(5, line.get("top").size());
                assertTrue(line.get("top").get(0).get("score").asDouble() >= line.get("top").get(1).get("score").asDouble());
                assertEquals("cams." + CLASSIFIER, line.get("topic").asText());
                assertTrue(line.has("partition") && line.has("offset"));
            }
            assertTrue(classified.get("inline-1").get("image").isNull(), "inline images have no URI");
            assertEquals(classified.get("t-1").get("top").get(0).get("label"),
                    classified.get("inline-1").get("top").get(0).get("label"));

            Map<String, JsonNode> detected = tail("cams." + DETECTOR, 3);
            assertEquals(Set.of("t-1", "t-2", "t-3"), detected.keySet());
            for (JsonNode line : detected.values()) {
                assertEquals(DETECTOR, line.get("model").asText());
                assertTrue(line.get("width").asInt() > 0 && line.get("height").asInt() > 0);
                assertTrue(line.get("detections").isArray());
                for (JsonNode d : line.get("detections")) {
                    assertEquals(4, d.get("box").size());
                }
            }

            Map<String, JsonNode> dead = tail("cams.dlq", 1);
            JsonNode dl = dead.get("t-4");
            assertNotNull(dl, dead::toString);
            assertEquals(broken.toAbsolutePath().normalize().toUri().toString(), dl.get("image").asText());
            assertEquals("decode", dl.get("error").get("stage").asText());
            assertFalse(dl.get("error").get("code").asText().isEmpty());
            assertFalse(dl.get("error").get("message").asText().isEmpty());

            // Nothing more: exactly one result per image per model, one dead letter.
            for (String topic : List.of("cams." + CLASSIFIER, "cams." + DETECTOR, "cams.dlq")) {
                CliRun all = CliRun.of(args("tail", "--topic", topic, "--from-beginning", "--timeout", "1s", "--json"));
                assertEquals(0, all.status(), all::toString);
                assertEquals(topic.endsWith("dlq") ? 1 : topic.endsWith(CLASSIFIER) ? 4 : 3, all.lines().size(),
                        all::toString);
            }
            // Text output.
            CliRun text = CliRun.of(args("tail", "--topic", "cams.dlq", "--from-beginning", "--count", "1"));
            assertEquals(0, text.status(), text::toString);
            assertTrue(text.out().contains("t-4") && text.out().contains("ERROR"), text::toString);
        }
    }

    private Map<String, JsonNode> tail(String topic, int count) throws IOException {
        CliRun run = CliRun.of(args("tail", "--topic", topic, "--from-beginning", "--count", Integer.toString(count),
                "--timeout", "60s", "--json"));
        assertEquals(0, run.status(), run::toString);
        Map<String, JsonNode> byId = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (String l : run.lines()) {
            JsonNode n = JSON.readTree(l);
            assertTrue(seen.add(n.get("id").asText()), () -> "duplicate id in " + run);
            byId.put(n.get("id").asText(), n);
        }
        assertEquals(count, byId.size(), run::toString);
        return byId;
    }

    @Test
    void tailTimesOutWithFewerRecordsThanAskedFor() {
        kafka.createTopics(1, "empty-results");
        CliRun run = CliRun.of(args("tail", "--topic", "empty-results", "--from-beginning", "--count", "2",
                "--timeout", "300ms"));
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().contains("0 of 2 records"), run::toString);
    }

    @Test
    void configurationErrorsExitWithStatus2AndNameTheKey() {
        CliRun run = CliRun.of(args("run", "--batch-size", "0"));
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().contains("batch.size: must be between 1 and 4096, got 0"), run::toString);

        CliRun guarantee = CliRun.of(args("run", "--processing-guarantee", "exactly_once"));
        assertEquals(2, guarantee.status(), guarantee::toString);
        assertTrue(guarantee.err().contains("processing.guarantee"), guarantee::toString);

        CliRun noKafka = CliRun.of("produce", "--topic", "x", photosDir().toString());
        if (System.getenv("STREAMSIGHT_BOOTSTRAP_SERVERS") == null) {
            assertEquals(2, noKafka.status(), noKafka::toString);
            assertTrue(noKafka.err().contains("bootstrap.servers"), noKafka::toString);
        }

        CliRun missingTopic = CliRun.of(args("tail", "--topic", "no-such-topic", "--timeout", "1s"));
        assertEquals(2, missingTopic.status(), missingTopic::toString);
        assertTrue(missingTopic.err().contains("no-such-topic does not exist"), missingTopic::toString);
    }

    @Test
    void everyStreamingCommandHasHelp() {
        for (String cmd : List.of("run", "produce", "tail", "demo")) {
            CliRun help = CliRun.of(cmd, "--help");
            assertEquals(0, help.status(), help::toString);
            assertTrue(help.out().contains("--bootstrap-server"), help::toString);
            assertTrue(help.out().contains("--schema-registry"), help::toString);
            assertTrue(help.out().contains("--property"), help::toString);
        }
    }

    @Test
    void runnerStopsCleanlyAndLeavesNoStateBehindInTheJvm() throws Exception {
        kafka.createTopics(1, "idle");
        StreamsightConfig config = StreamsightConfig.builder().properties(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(), "schema.registry.url", registry.url(),
                "application.id", "idle-test", "input.topics", "idle", "models", CLASSIFIER,
                "state.dir", Files.createDirectories(tmp.resolve("state")).toString())).build();
        PipelineRunner runner = PipelineRunner.start(config);
        assertTrue(runner.awaitRunning(Duration.ofSeconds(60)));
        assertTrue(runner.close(Duration.ofSeconds(30)));
        assertEquals(KafkaStreams.State.NOT_RUNNING, runner.state());
        assertEquals(KafkaStreams.State.NOT_RUNNING, runner.awaitTermination(Duration.ofSeconds(1)).orElseThrow());
        assertTrue(runner.close(Duration.ofSeconds(1)), "close is idempotent");
    }
}
