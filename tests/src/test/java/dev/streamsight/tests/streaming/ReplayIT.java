package dev.streamsight.tests.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.cli.Main;
import dev.streamsight.config.StreamsightConfig;
import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.serde.InProcessSchemaRegistry;
import dev.streamsight.tests.Cli;
import dev.streamsight.tests.streaming.StreamingIo.CommittedReader;
import dev.streamsight.tests.streaming.StreamingIo.EventProducer;
import dev.streamsight.tests.streaming.StreamingIo.Output;
import dev.streamsight.topology.PipelineRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamsight replay} on a real broker: a live pipeline first classifies and detects the 50
 * ImageNet samples (and two bad events) of an input topic; replays then run the same topic through
 * other models. Checked: one output per event of the range in a new topic, the comparison figures
 * equal to those computed here from {@code classify --json} / {@code detect --json} of the two models
 * on the same photos, a timestamp-bounded range, an interrupted replay resumed without duplicates or
 * gaps, a completed replay not run twice, and the errors for bad arguments.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INPUT = "replay-images";
    private static final String OLD_CLASSIFIER = "mobilenetv2-12-int8";
    private static final String NEW_CLASSIFIER = "squeezenet1.0-fp16";
    private static final String OLD_DETECTOR = "yolox-nano";
    private static final String NEW_DETECTOR = "yolov8n-int8";

    private static EmbeddedKafka kafka;
    private static InProcessSchemaRegistry registry;
    /** Event id -> photo, for the good events. */
    private static final Map<String, Path> PHOTOS = new LinkedHashMap<>();
    private static final List<String> ALL_IDS = new ArrayList<>();
    private static long midTimestamp;
    private static long lateTimestamp;

    @TempDir
    static Path dir;

    @BeforeAll
    static void liveRun() throws Exception {
        kafka = EmbeddedKafka.start();
        registry = InProcessSchemaRegistry.start();
        kafka.createTopics(3, INPUT);
        List<Path> photos = StreamingIo.imagenetSample();
        long t0 = System.currentTimeMillis() - 3_600_000;
        try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), registry.url())) {
            for (int i = 0; i < photos.size(); i++) {
                String id = String.format("ev-%03d", i);
                PHOTOS.put(id, photos.get(i));
                ALL_IDS.add(id);
                // Event time: one second apart, so a time range selects a known set.
                producer.send(INPUT, null, t0 + i * 1000L, id, StreamingIo.uriEvent(id,
                        photos.get(i).toUri().toString(), i == 7 ? List.of(OLD_DETECTOR) : null), new RecordHeaders());
            }
            producer.send(INPUT, null, t0 + 60_000, "bad-missing", StreamingIo.uriEvent("bad-missing",
                    dir.resolve("missing.jpg").toUri().toString(), null), new RecordHeaders());
            producer.sendRaw(INPUT, null, t0 + 61_000, "bad-bytes", "not avro".getBytes(), new RecordHeaders());
        }
        ALL_IDS.add("bad-missing");
        ALL_IDS.add("bad-bytes"); // its dead letter keeps the record's key
        midTimestamp = t0 + 20_000;
        lateTimestamp = t0 + 40_000;

        StreamsightConfig config = StreamsightConfig.builder().properties(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(), "schema.registry.url", registry.url(),
                "input.topics", INPUT, "models", OLD_CLASSIFIER + "," + OLD_DETECTOR,
                "application.id", "replay-it-live", "state.dir", dir.resolve("live-state").toString(),
                "commit.interval.ms", "100", "batch.max.wait", "50ms", "fetch.file.roots", fileRoots())).build();
        try (PipelineRunner live = PipelineRunner.start(config);
                CommittedReader reader = new CommittedReader(kafka.bootstrapServers(), registry.url(), Map.of(
                        INPUT + "." + OLD_CLASSIFIER, ClassificationResult.class,
                        INPUT + "." + OLD_DETECTOR, DetectionResult.class))) {
            reader.readUntil("live results", Duration.ofMinutes(3), seen -> seen.size() >= 2 * PHOTOS.size() - 1);
        }
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

    private static String[] connection() {
        return new String[] {"--bootstrap-server", kafka.bootstrapServers(), "--schema-registry", registry.url(),
            "-p", "state.dir=" + dir.resolve("replay-state"), "-p", "commit.interval.ms=100",
            "-p", "fetch.file.roots=" + fileRoots()};
    }

    /** Where the events' images are: the sample photos, and the temporary directory of the missing one. */
    private static String fileRoots() {
        return StreamingIo.SHARED.resolve("images/imagenet-sample") + "," + dir;
    }

    private static Cli.Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(connection()));
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    @Order(1)
    @Timeout(300)
    void classifierReplayComparesLikeTheTwoModelsOutputsOffline() throws Exception {
        Path html = dir.resolve("report.html");
        String[] args = {"replay", "--input-topic", INPUT, "--model", NEW_CLASSIFIER, "--output-topic",
            "replay-it.squeezenet", "--compare-with", INPUT + "." + OLD_CLASSIFIER, "--report", html.toString(),
            "--json"};
        Cli.Run run = cli(args);
        assertEquals(0, run.exitCode(), run.err());
        JsonNode summary = run.jsonLines().getLast();
        assertEquals("replay-it.squeezenet", summary.get("output_topic").asText());
        assertEquals(ALL_IDS.size(), summary.get("events").asInt(), summary.toString());
        assertEquals(PHOTOS.size(), summary.get("results").asInt(), summary.toString());
        assertEquals(0, summary.get("duplicates").asInt());
        assertEquals(1, summary.get("dead_letters_by_reason").get("NOT_FOUND").asInt());
        assertEquals(1, summary.get("dead_letters_by_reason").get("NOT_WIRE_FORMAT").asInt());

        Map<String, SpecificRecord> outputs = oneOutputPerEvent("replay-it.squeezenet", ClassificationResult.class);
        assertEquals(ALL_IDS.size(), outputs.size());
        ClassificationResult r = (ClassificationResult) outputs.get("ev-007"); // asked for the detector only
        assertEquals(NEW_CLASSIFIER, r.getModel().getId());
        assertEquals(64, r.getModel().getSha256().length());

        // The same figures, computed here from classify --json of both models on the same photos; the
        // live classifier skipped ev-007, which asked for the detector only.
        Map<Path, String> oldTop = topLabels(OLD_CLASSIFIER);
        Map<Path, String> newTop = topLabels(NEW_CLASSIFIER);
        int agree = 0;
        Map<String, Integer> changes = new TreeMap<>();
        List<Path> joined = PHOTOS.entrySet().stream().filter(e -> !e.getKey().equals("ev-007"))
                .map(Map.Entry::getValue).toList();
        for (Path p : joined) {
            if (oldTop.get(p).equals(newTop.get(p))) {
                agree++;
            } else {
                changes.merge(oldTop.get(p) + " -> " + newTop.get(p), 1, Integer::sum);
            }
        }
        JsonNode c = summary.get("comparison");
        assertEquals(joined.size(), c.get("joined").asInt(), c.toString());
        assertEquals(agree, c.get("top1_agree_count").asInt(), c.toString());
        int listed = 0;
        for (JsonNode change : c.get("label_changes")) {
            assertEquals(changes.get(change.get("from").asText() + " -> " + change.get("to").asText()),
                    change.get("count").asInt(), change.toString());
            listed += change.get("count").asInt();
        }
        assertEquals(Math.min(joined.size() - agree, listed), listed);
        String page = Files.readString(html);
        assertTrue(page.contains("<svg") && !page.contains("http://") && !page.contains("https://"), "offline report");

        // Run again: already complete, nothing done twice.
        Cli.Run again = cli(args);
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.err().contains("already complete"), again.err());
        assertEquals(ALL_IDS.size(), oneOutputPerEvent("replay-it.squeezenet", ClassificationResult.class).size());
    }

    @Test
    @Order(2)
    @Timeout(300)
    void timestampBoundedReplayTakesExactlyTheEventsInTheRange() throws Exception {
        Cli.Run run = cli("replay", "--input-topic", INPUT, "--model", NEW_CLASSIFIER, "--output-topic",
                "replay-it.window", "--from", Instant.ofEpochMilli(midTimestamp).toString(), "--until",
                Instant.ofEpochMilli(lateTimestamp).toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, SpecificRecord> outputs = oneOutputPerEvent("replay-it.window", ClassificationResult.class);
        Set<String> expected = new HashSet<>();
        for (int i = 20; i < 40; i++) {
            expected.add(String.format("ev-%03d", i));
        }
        assertEquals(expected, outputs.keySet());
    }

    @Test
    @Order(3)
    @Timeout(400)
    void interruptedReplayResumesWithoutDuplicatesOrGaps() throws Exception {
        String many = "replay-many";
        kafka.createTopics(3, many);
        Set<String> ids = new HashSet<>();
        List<Path> photos = new ArrayList<>(PHOTOS.values());
        try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), registry.url())) {
            for (int i = 0; i < 600; i++) {
                String id = String.format("many-%03d", i);
                ids.add(id);
                producer.sendAsync(many, null, System.currentTimeMillis(), id, StreamingIo.uriEvent(id,
                        photos.get(i % photos.size()).toUri().toString(), null), new RecordHeaders());
            }
            producer.flush();
        }
        Path log = dir.resolve("interrupted.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "replay", "--input-topic", many, "--model", NEW_CLASSIFIER, "--output-topic", "replay-it.resumed",
                "--batch-size", "1", "--max-wait", "20ms"));
        cmd.addAll(List.of(connection()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int seen;
        try (CommittedReader reader = awaitTopicReader("replay-it.resumed", child, log)) {
            reader.readUntil("some replay results", Duration.ofMinutes(3), s -> s.size() >= 6 || !child.isAlive());
            seen = reader.seen().size();
        } finally {
            child.destroy(); // SIGTERM: a clean stop
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        String text = Files.readString(log);
        assertEquals(130, child.exitValue(), text);
        assertTrue(text.contains("interrupted"), text);
        int before = countOutputs("replay-it.resumed");
        assertTrue(before >= seen && before < ids.size(), "stopped part-way: " + before + " outputs");

        Cli.Run resumed = cli("replay", "--input-topic", many, "--model", NEW_CLASSIFIER, "--output-topic",
                "replay-it.resumed", "--batch-size", "1", "--max-wait", "20ms", "--json");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.err().contains("resuming"), resumed.err());
        Map<String, SpecificRecord> outputs = oneOutputPerEvent("replay-it.resumed", ClassificationResult.class);
        assertEquals(ids, outputs.keySet());
    }

    @Test
    @Order(4)
    @Timeout(300)
    void detectorReplayCountsObjectsLikeTheTwoModelsOutputsOffline() throws Exception {
        Cli.Run run = cli("replay", "--input-topic", INPUT, "--model", NEW_DETECTOR, "--output-topic",
                "replay-it.yolov8", "--compare-with", INPUT + "." + OLD_DETECTOR, "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode c = run.jsonLines().getLast().get("comparison");
        // The old detector ran on every photo; the replay too.
        assertEquals(PHOTOS.size(), c.get("joined").asInt(), c.toString());
        Map<String, Integer> oldCounts = objectCounts(OLD_DETECTOR);
        Map<String, Integer> newCounts = objectCounts(NEW_DETECTOR);
        Map<String, int[]> reported = new TreeMap<>();
        for (JsonNode row : c.get("per_class")) {
            reported.put(row.get("label").asText(), new int[] {row.get("old").asInt(), row.get("new").asInt()});
        }
        Set<String> labels = new HashSet<>(oldCounts.keySet());
        labels.addAll(newCounts.keySet());
        for (String label : labels) {
            int[] r = reported.getOrDefault(label, new int[2]);
            assertEquals(oldCounts.getOrDefault(label, 0), r[0], "old count of " + label + " in " + c);
            assertEquals(newCounts.getOrDefault(label, 0), r[1], "new count of " + label + " in " + c);
        }
        double precision = c.get("precision").asDouble();
        double recall = c.get("recall").asDouble();
        assertTrue(precision > 0.3 && precision <= 1 && recall > 0.3 && recall <= 1, c.toString());
    }

    @Test
    @Order(5)
    void badArgumentsAreClearErrors() {
        Cli.Run unknown = cli("replay", "--input-topic", "no-such-topic", "--model", NEW_CLASSIFIER);
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("no-such-topic does not exist"), unknown.err());

        Cli.Run empty = cli("replay", "--input-topic", INPUT, "--model", NEW_CLASSIFIER, "--from",
                Instant.now().plusSeconds(3600).toString(), "--output-topic", "replay-it.empty");
        assertEquals(2, empty.exitCode());
        assertTrue(empty.err().contains("holds no events"), empty.err());

        Cli.Run notResults = cli("replay", "--input-topic", INPUT, "--model", NEW_CLASSIFIER, "--compare-with",
                INPUT + ".dlq");
        assertEquals(2, notResults.exitCode());
        assertTrue(notResults.err().contains("not a results topic"), notResults.err());

        Cli.Run mismatch = cli("replay", "--input-topic", INPUT, "--model", NEW_CLASSIFIER, "--compare-with",
                INPUT + "." + OLD_DETECTOR);
        assertEquals(2, mismatch.exitCode());
        assertTrue(mismatch.err().toLowerCase().contains("detection"), mismatch.err());

        Cli.Run badFrom = cli("replay", "--input-topic", INPUT, "--model", NEW_CLASSIFIER, "--from", "yesterday");
        assertEquals(2, badFrom.exitCode());
        assertTrue(badFrom.err().contains("--from"), badFrom.err());
    }

    // ------------------------------------------------------------------ helpers

    /** Every committed output of a replay (results and dead letters), one per event id, asserted. */
    private static Map<String, SpecificRecord> oneOutputPerEvent(String topic,
            Class<? extends SpecificRecord> resultType) {
        try (CommittedReader reader = new CommittedReader(kafka.bootstrapServers(), registry.url(),
                Map.of(topic, resultType, topic + ".dlq", DeadLetter.class))) {
            List<Output> out = reader.drainToEnd(Duration.ofSeconds(60));
            Map<String, SpecificRecord> byId = new HashMap<>();
            List<String> duplicates = new ArrayList<>();
            for (Output o : out) {
                if (o.key() == null) {
                    continue; // the dead letter of the record that is no event at all
                }
                if (byId.put(o.key(), o.value()) != null) {
                    duplicates.add(o.key());
                }
            }
            assertEquals(List.of(), duplicates, "duplicates in " + topic);
            return byId;
        }
    }

    private static int countOutputs(String topic) {
        try (CommittedReader reader = new CommittedReader(kafka.bootstrapServers(), registry.url(),
                Map.of(topic, ClassificationResult.class, topic + ".dlq", DeadLetter.class))) {
            return reader.drainToEnd(Duration.ofSeconds(60)).size();
        }
    }

    /** A reader of {@code topic} once the replay in {@code child} has created it. */
    private static CommittedReader awaitTopicReader(String topic, Process child, Path log) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try (var admin = org.apache.kafka.clients.admin.Admin.create(kafka.clientProperties())) {
            while (true) {
                if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                    return new CommittedReader(kafka.bootstrapServers(), registry.url(),
                            Map.of(topic, ClassificationResult.class));
                }
                if (System.nanoTime() > deadline || !child.isAlive()) {
                    throw new AssertionError("no topic " + topic + "\n" + read(log));
                }
                Thread.sleep(500);
            }
        } catch (Exception e) {
            throw new AssertionError("no topic " + topic + ": " + e + "\n" + read(log), e);
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static Map<Path, String> topLabels(String model) {
        List<String> args = new ArrayList<>(List.of("classify", "--json", "--top", "1", "--model", model));
        PHOTOS.values().forEach(p -> args.add(p.toString()));
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        Map<Path, String> top = new HashMap<>();
        for (JsonNode line : run.jsonLines()) {
            top.put(Path.of(line.get("image").asText()), line.get("top").get(0).get("label").asText());
        }
        return top;
    }

    private static Map<String, Integer> objectCounts(String model) {
        List<String> args = new ArrayList<>(List.of("detect", "--json", "--model", model));
        PHOTOS.values().forEach(p -> args.add(p.toString()));
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        return run.jsonLines().stream().flatMap(l -> java.util.stream.StreamSupport.stream(
                l.get("detections").spliterator(), false)).collect(Collectors.toMap(d -> d.get("label").asText(),
                        d -> 1, Integer::sum, TreeMap::new));
    }
}
