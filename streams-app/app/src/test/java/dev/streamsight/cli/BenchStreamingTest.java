package dev.streamsight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench pipeline} and {@code bench baseline} end to end on a broker started for them (a child
 * JVM, and in-process): every event gets a result and the JSON line carries the fields the issue
 * names. What is measured, not how fast.
 */
class BenchStreamingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode onlyLine(CliRun run) throws Exception {
        assertEquals(0, run.status(), run::toString);
        assertEquals(1, run.lines().size(), run::toString);
        return JSON.readTree(run.lines().getFirst());
    }

    private static void assertStreamingLine(JsonNode line, String mode, int events, int batchSize) {
        assertEquals(mode, line.get("mode").asText(), line::toString);
        assertEquals("mobilenetv2-12-int8", line.get("model").asText());
        assertEquals(batchSize, line.get("batch_size").asInt());
        assertEquals(Runtime.getRuntime().availableProcessors(), line.get("threads").asInt());
        assertTrue(line.get("images_per_second").asDouble() > 0, line::toString);
        assertEquals(events, line.get("events").asInt(), line::toString);
        assertEquals(0, line.get("missing").asInt());
        assertEquals(0, line.get("dead_letters").asInt());
        double p50 = line.get("p50_ms").asDouble();
        double p95 = line.get("p95_ms").asDouble();
        double p99 = line.get("p99_ms").asDouble();
        assertTrue(p50 > 0 && p50 <= p95 && p95 <= p99, line::toString);
        assertTrue(line.get("rss_mb").asDouble() > 50, line::toString);
        int seen = 0;
        var sizes = line.get("batch_sizes_seen").properties().iterator();
        while (sizes.hasNext()) {
            var e = sizes.next();
            assertTrue(Integer.parseInt(e.getKey()) <= batchSize, line::toString);
            seen += e.getValue().asInt();
        }
        assertEquals(events, seen, "every result reports its batch size: " + line);
        JsonNode stages = line.get("mean_stage_ms");
        assertTrue(stages.get("decode").asDouble() > 0 && stages.get("inference_per_image").asDouble() > 0
                && stages.get("queue_wait").asDouble() >= 0 && stages.get("fetch").asDouble() >= 0, line::toString);
        // an engine call's time per image is never more than the whole call
        assertTrue(stages.get("inference_per_image").asDouble() < p99, line::toString);
        assertEquals("exactly_once_v2", line.get("processing_guarantee").asText());
    }

    @Test
    @Timeout(90)
    void pipelineBacklogThroughAChildJvmBroker() throws Exception {
        JsonNode line = onlyLine(CliRun.of("bench", "pipeline", "--events", "60", "--json"));
        assertStreamingLine(line, "pipeline", 60, 16);
        assertEquals("backlog", line.get("load").asText());
        // one stream thread per core, up to the 6 partitions
        assertEquals(Math.min(6, Runtime.getRuntime().availableProcessors()), line.get("stream_threads").asInt());
        assertTrue(line.get("broker").asText().startsWith("child JVM"), line::toString);
        assertTrue(!line.get("rss_includes").asText().contains("broker"), line::toString);
        JsonNode curve = line.get("rss_curve");
        assertTrue(curve.size() >= 10, "about 20 samples of the resident set: " + curve);
        assertEquals(60, curve.get(curve.size() - 1).get(0).asInt(), "the last sample at the last result");
        assertTrue(curve.get(0).get(2).asDouble() > 50, curve::toString);
        assertTrue(line.get("steady_p99_ms") == null, "a backlog has no steady-state latency: " + line);
        assertTrue(line.get("steady_images_per_second").asDouble() > 0, line::toString);
    }

    @Test
    @Timeout(90)
    void baselineAtARateThroughAnInProcessBroker() throws Exception {
        JsonNode line = onlyLine(CliRun.of("bench", "baseline", "--events", "30", "--rate", "20", "--partitions", "2",
                "--broker", "in-process", "--warmup-seconds", "0.5", "--json"));
        assertStreamingLine(line, "baseline", 30, 1);
        assertEquals(1, line.get("stream_threads").asInt(), "the naive design runs one stream thread: " + line);
        assertEquals("rate", line.get("load").asText());
        assertEquals(20.0, line.get("rate").asDouble());
        assertEquals(30, line.get("batch_sizes_seen").get("1").asInt());
        assertTrue(line.get("rss_includes").asText().contains("broker"), line::toString);
        // At a rate: the events of the first 0.5 s (about 10 at 20/s) are left out of the steady latency.
        assertEquals(0.5, line.get("warmup_s").asDouble());
        int steady = line.get("steady_events").asInt();
        assertTrue(steady >= 15 && steady <= 25, line::toString);
        assertTrue(line.get("steady_p50_ms").asDouble() <= line.get("steady_p99_ms").asDouble(), line::toString);
        // The baseline has no pending store: nothing of its latency is a batch wait.
        for (String p : List.of("p50", "p95", "p99")) {
            assertEquals(line.get("steady_" + p + "_ms").asDouble(), line.get("steady_beyond_wait_" + p + "_ms")
                    .asDouble(), line::toString);
        }
    }

    @Test
    @Timeout(90)
    void pipelineAtARateTellsItsLatencyBeyondTheBatchWait() throws Exception {
        // 10 events/s a partition: no batch of 16 fills within the 200 ms max wait, so the events wait in the store.
        JsonNode line = onlyLine(CliRun.of("bench", "pipeline", "--events", "40", "--rate", "20", "--partitions", "2",
                "--broker", "in-process", "--warmup-seconds", "0.5", "--json", "-p", "batch.max.wait=200ms"));
        assertStreamingLine(line, "pipeline", 40, 16);
        assertEquals(Math.min(2, Runtime.getRuntime().availableProcessors()), line.get("stream_threads").asInt());
        assertTrue(line.get("mean_stage_ms").get("queue_wait").asDouble() > 0, line::toString);
        for (String p : List.of("p50", "p95", "p99")) {
            double latency = line.get("steady_" + p + "_ms").asDouble();
            double beyond = line.get("steady_beyond_wait_" + p + "_ms").asDouble();
            assertTrue(beyond >= 0 && beyond <= latency, p + ": " + line);
        }
        assertTrue(line.get("steady_beyond_wait_p50_ms").asDouble() < line.get("steady_p50_ms").asDouble(),
                line::toString);
    }

    @Test
    void engineRunsBothWaysOfUsingAllCoresUnlessToldOne() {
        BenchOptions o = new BenchOptions();
        assertEquals(List.of("4x1", "1x4"), o.engineConfigurations(4).stream().map(c -> c[0] + "x" + c[1]).toList());
        assertEquals(List.of("1x1"), o.engineConfigurations(1).stream().map(c -> c[0] + "x" + c[1]).toList());
        o.threads = 2;
        assertEquals(List.of("2x1"), o.engineConfigurations(4).stream().map(c -> c[0] + "x" + c[1]).toList());
        o.callers = 3;
        assertEquals(List.of("2x3"), o.engineConfigurations(4).stream().map(c -> c[0] + "x" + c[1]).toList());
    }

    @Test
    @Timeout(60)
    void engineWithSeveralCallers() throws Exception {
        JsonNode line = onlyLine(CliRun.of("bench", "engine", "--batch-size", "2", "--threads", "1", "--callers", "2",
                "--rounds", "2", "--json"));
        assertEquals(2, line.get("callers").asInt());
        assertEquals(1, line.get("threads").asInt());
        assertEquals(2, line.get("batch_size").asInt());
        assertTrue(line.get("images_per_second").asDouble() > 0, line::toString);
        assertEquals(0, line.get("runs").asLong() % 2, "both callers did the same runs: " + line);
    }

    @Test
    void batchSizesAndImageRootsAreParsed() throws Exception {
        BenchOptions o = new BenchOptions();
        assertEquals(List.of(1, 8, 16, 32), o.batchSizeList());
        o.batchSizes = "4, 2,4";
        assertEquals(List.of(4, 2), o.batchSizeList());
        o.batchSizes = "8,x";
        assertThrows(IllegalArgumentException.class, o::batchSizeList);
        Path shared = Path.of(System.getenv("STREAMSIGHT_SHARED_DIR"), "images");
        assertEquals(BenchModes.commonRoot(List.of(shared.resolve("photos/winml_cat.jpg"))),
                BenchModes.commonRoot(List.of(shared.resolve("photos/winml_cat.jpg"),
                        shared.resolve("photos/winml_hummingbird.jpg"))));
        Path sample;
        try (var files = java.nio.file.Files.list(shared.resolve("imagenet-sample"))) {
            sample = files.filter(java.nio.file.Files::isRegularFile).findFirst().orElseThrow();
        }
        assertEquals(shared.toRealPath(), BenchModes.commonRoot(List.of(shared.resolve("photos/winml_cat.jpg"), sample)));
        assertEquals(List.of(shared.resolve("imagenet-sample").toAbsolutePath().normalize()),
                BenchOptions.defaultImages(), "the default images: the imagenet sample beside the models");
    }

    @Test
    void imagesThatAreNotThereAreNamed(@TempDir Path empty) {
        BenchOptions o = new BenchOptions();
        o.images = empty.resolve("absent").toString();
        var e = assertThrows(IllegalArgumentException.class, () -> o.imageFiles(List.of()));
        assertEquals("--images: no image files in " + o.images + " (no such file or directory)", e.getMessage());
        o.images = empty.toString();
        e = assertThrows(IllegalArgumentException.class, () -> o.imageFiles(List.of()));
        assertEquals("--images: no image files in " + empty, e.getMessage());
    }
}
