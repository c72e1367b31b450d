package dev.streamsight.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Valid but unusual encodings of one photo (grayscale, progressive, alpha, 16-bit, EXIF-rotated,
 * BMP, GIF) classify as the same content as the original.
 */
class UnusualImagesIT {

    @Test
    void unusualEncodingsClassifyAsTheSameContent(@TempDir Path dir) throws Exception {
        Path original = Shared.photo("pytorch_hub_dog_samoyed.jpg");
        BufferedImage img = TestImages.read(original);
        List<String> variants = new ArrayList<>();
        variants.add(write(dir, "grey.jpg", TestImages.jpeg(TestImages.grey(img), false)));
        variants.add(write(dir, "progressive.jpg", TestImages.jpeg(img, true)));
        variants.add(write(dir, "alpha.png", TestImages.png(TestImages.withAlpha(img))));
        variants.add(write(dir, "sixteen.png", TestImages.png(TestImages.sixteenBit(img))));
        variants.add(write(dir, "rotated.jpg", TestImages.withExifOrientation(
                TestImages.jpeg(TestImages.rotateCounterClockwise(img), false), 6)));
        variants.add(write(dir, "plain.bmp", TestImages.encode(img, "bmp")));
        variants.add(write(dir, "palette.gif", TestImages.encode(img, "gif")));

        List<String> args = new ArrayList<>(List.of("classify", "--json", "--top=5", original.toString()));
        args.addAll(variants);
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err() + run.out());
        List<JsonNode> lines = run.jsonLines();
        assertEquals("Samoyed", lines.get(0).get("top").get(0).get("label").asText(), lines.get(0).toString());
        for (int i = 1; i < lines.size(); i++) {
            JsonNode line = lines.get(i);
            String top1 = line.get("top").get(0).get("label").asText();
            assertEquals("Samoyed", top1, line.get("image").asText() + ": " + line.get("top"));
        }
        assertTrue(lines.size() == variants.size() + 1);
    }

    @Test
    void exifOrientationIsAppliedToTheReportedSize(@TempDir Path dir) throws Exception {
        BufferedImage img = TestImages.read(Shared.photo("darknet_dog_bicycle_truck.jpg")); // 768x576
        String rotated = write(dir, "rotated.jpg", TestImages.withExifOrientation(
                TestImages.jpeg(TestImages.rotateCounterClockwise(img), false), 6));
        Cli.Run run = Cli.run("detect", "--json", "--model=yolox-nano", rotated);
        assertEquals(0, run.exitCode(), run.err());
        JsonNode line = run.jsonLines().get(0);
        assertEquals(768, line.get("width").asInt());
        assertEquals(576, line.get("height").asInt());
        boolean dogAtLeft = false;
        for (JsonNode d : line.get("detections")) {
            if (d.get("label").asText().equals("dog")) {
                // README: dog [132,219,308,539] on the upright photo.
                dogAtLeft |= d.get("box").get(0).asDouble() < 200 && d.get("box").get(3).asDouble() > 450;
            }
        }
        assertTrue(dogAtLeft, "the dog is where it is in the upright photo: " + line);
    }

    private static String write(Path dir, String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p.toString();
    }
}
