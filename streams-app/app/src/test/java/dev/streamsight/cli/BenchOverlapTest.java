package dev.streamsight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench overlap}: a worker per core runs groups of images through a real model, decoding and
 * inferring at once, on the images that decode (a broken one is left out and counted); {@code bench
 * limit} runs it and sets it against the limit; wrong settings are named. What is measured, not how fast.
 */
class BenchOverlapTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** Three photos and a file that is not a JPEG. */
    private static Path photosAndABrokenFile(Path dir) throws IOException {
        Path photos = Path.of(System.getenv("STREAMSIGHT_SHARED_DIR"), "images", "photos");
        for (String name : new String[] {"winml_cat.jpg", "pytorch_hub_dog_samoyed.jpg", "winml_hummingbird.jpg"}) {
            Files.copy(photos.resolve(name), dir.resolve(name));
        }
        Files.write(dir.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00});
        return dir;
    }

    private static JsonNode onlyLine(CliRun run) throws IOException {
        assertEquals(0, run.status(), run::toString);
        assertEquals(1, run.lines().size(), run::toString);
        return JSON.readTree(run.lines().getFirst());
    }

    private static void assertCounts(JsonNode line, int rounds) {
        assertEquals("overlap", line.get("mode").asText(), line::toString);
        assertEquals(CORES, line.get("workers").asInt(), "a worker per core: " + line);
        assertEquals(16, line.get("group").asInt(), line::toString);
        assertEquals(rounds, line.get("rounds").asInt());
        assertEquals(3, line.get("images").asInt(), "the photos that decode: " + line);
        assertEquals(1, line.get("left_out").asInt(), "the broken file, left out before timing: " + line);
        assertTrue(line.get("timed_images").asLong() >= 16L * CORES * rounds, "a group per worker and round at least: "
                + line);
        assertEquals(0, line.get("failures").asLong(), line::toString);
        double best = line.get("images_per_second").asDouble();
        assertTrue(best > 0 && best >= line.get("mean_images_per_second").asDouble() - 0.01, line::toString);
    }

    @Test
    @Timeout(60)
    void classifierAtAFixedEngineBatch(@TempDir Path dir) throws Exception {
        JsonNode line = onlyLine(CliRun.of("bench", "overlap", "--images", photosAndABrokenFile(dir).toString(),
                "--batch-size", "2", "--rounds", "2", "--warmup-seconds", "0.5", "--json"));
        assertCounts(line, 2);
        assertEquals("mobilenetv2-12-int8", line.get("model").asText());
        assertEquals(2, line.get("batch_size").asInt(), "the engine batch asked for: " + line);
    }

    @Test
    @Timeout(90)
    void detectorAtItsOwnBatch(@TempDir Path dir) throws Exception {
        JsonNode line = onlyLine(CliRun.of("bench", "overlap", "--model", "yolox-nano", "--images",
                photosAndABrokenFile(dir).toString(), "--rounds", "1", "--warmup-seconds", "0", "--json"));
        assertCounts(line, 1);
        assertEquals("yolox-nano", line.get("model").asText());
        assertEquals(1, line.get("batch_size").asInt(), "yolox-nano's fixed batch: " + line);
    }

    @Test
    @Timeout(90)
    void limitRunsItAndSetsItAgainstTheLimit(@TempDir Path dir) throws Exception {
        // Two engine batch sizes: the engine's sweep, which overlap does not take as its own batch. The
        // engine's tensors of 8 take every image, the broken one left out.
        CliRun run = CliRun.of("bench", "limit", "--images", photosAndABrokenFile(dir).toString(), "--batch-size", "1,8",
                "--rounds", "1", "--json");
        assertEquals(0, run.status(), run::toString);
        JsonNode limit = null;
        JsonNode overlap = null;
        int engines = 0;
        for (String l : run.lines()) {
            JsonNode line = JSON.readTree(l);
            switch (line.get("mode").asText()) {
                case "limit" -> limit = line;
                case "overlap" -> overlap = line;
                case "engine" -> engines++;
                default -> { }
            }
        }
        assertTrue(limit != null && overlap != null, run::toString);
        assertEquals(2 * (CORES > 1 ? 2 : 1), engines, "batches 1 and 8, each way of using the cores: " + run);
        assertCounts(overlap, 1);
        assertEquals(limit.get("overlap_over_limit").asDouble(),
                overlap.get("images_per_second").asDouble() / limit.get("images_per_second").asDouble(), 0.01,
                limit::toString);
        assertTrue(run.err().contains("overlap/limit "), run::toString);
    }

    @Test
    @Timeout(60)
    void limitWithoutIt(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.of("bench", "limit", "--no-overlap", "--images", photosAndABrokenFile(dir).toString(),
                "--batch-size", "1", "--rounds", "1", "--json");
        assertEquals(0, run.status(), run::toString);
        for (String l : run.lines()) {
            JsonNode line = JSON.readTree(l);
            assertTrue(!"overlap".equals(line.get("mode").asText()) && !line.has("overlap_over_limit"), l);
        }
    }

    @Test
    void wrongSettingsAndImagesAreNamed(@TempDir Path dir) throws Exception {
        assertRefused("--batch-size: overlap takes one engine batch size, got [1, 8]", "--batch-size", "1,8");
        assertRefused("--rounds must be at least 1, got 0", "--rounds", "0");
        assertRefused("--warmup-seconds must be between 0 and 600, got -1.0", "--warmup-seconds", "-1");
        Files.write(dir.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00});
        assertRefused("--images: none of the 1 images decodes", "--images", dir.toString());
    }

    private static void assertRefused(String message, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "bench";
        command[1] = "overlap";
        System.arraycopy(args, 0, command, 2, args.length);
        CliRun run = CliRun.of(command);
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().contains(message), run::toString);
    }
}
