package dev.streamsight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamsight.image.ImageDecoders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench preprocess} runs both decoders over the same images in alternating rounds and
 * reports consistent figures: what is measured, not how fast (timings are not asserted).
 */
class BenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path photos() {
        return Path.of(System.getenv("STREAMSIGHT_SHARED_DIR"), "images", "photos");
    }

    /**
     * The benchmark needs the JPEG fast path: skipped without it, but failed where the environment
     * requires it (STREAMSIGHT_REQUIRE_NATIVE=true; the core's tests follow the same policy).
     */
    private static void assumeFastJpeg() {
        ImageDecoders.fastJpegUnavailableReason().ifPresent(why -> {
            if ("true".equals(System.getenv("STREAMSIGHT_REQUIRE_NATIVE"))) {
                fail("JPEG fast path unavailable: " + why + " (STREAMSIGHT_REQUIRE_NATIVE=true)");
            }
            assumeTrue(false, "JPEG fast path unavailable: " + why);
        });
    }

    @Test
    void reportsBothPathsTheirAgreementAndConsistentSpeedups(@TempDir Path dir) throws IOException {
        assumeFastJpeg();
        for (String name : new String[] {"winml_cat.jpg", "pytorch_hub_dog_samoyed.jpg", "winml_hummingbird.jpg"}) {
            Files.copy(photos().resolve(name), dir.resolve(name));
        }
        Files.write(dir.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00});
        CliRun run = CliRun.of("bench", "preprocess", "--json", "--rounds", "3", "--warmup", "1", dir.toString());
        assertEquals(0, run.status(), run::toString);
        JsonNode report = JSON.readTree(run.lines().get(0));
        assertEquals("mobilenetv2-12-int8", report.get("model").asText());
        assertEquals("224x224", report.get("target").asText());
        assertEquals(4, report.get("images").asInt());
        JsonNode fast = report.get("fast");
        JsonNode fallback = report.get("fallback");
        assertTrue(fast.get("decoder").asText().startsWith("fast (libjpeg-turbo"), fast::toString);
        for (JsonNode side : new JsonNode[] {fast, fallback}) {
            assertEquals(3, side.get("rounds").asInt());
            assertEquals(1, side.get("failures").asInt(), "the broken file fails on both paths: " + side);
            assertTrue(side.get("images_per_s").asDouble() >= side.get("mean_images_per_s").asDouble() - 0.01);
            // Both are rounded to 0.01: images_per_s's rounding moves 1000 / images_per_s by up to
            // 5 / images_per_s^2, which exceeds 0.01 below about 22 images/s.
            double perSecond = side.get("images_per_s").asDouble();
            assertEquals(1000 / perSecond, side.get("ms_per_image").asDouble(), 0.006 + 5 / (perSecond * perSecond));
        }
        double speedup = fast.get("images_per_s").asDouble() / fallback.get("images_per_s").asDouble();
        assertEquals(speedup, report.get("speedup").asDouble(), 0.01);
        assertTrue(report.get("median_round_speedup").asDouble() > 0);
        assertEquals(3, report.get("top1_compared").asInt(), "the broken file is not compared");
        assertEquals(3, report.get("top1_agreement").asInt());
    }
}
