package dev.streamsight.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed, truncated, empty, non-image and oversized inputs each give their own error line with a
 * specific code; the good images among them are still classified, and the exit status is 1.
 */
class BadInputIT {

    @Test
    void everyBadInputGetsItsOwnErrorLine(@TempDir Path dir) throws Exception {
        byte[] photo = Files.readAllBytes(Shared.photo("winml_hummingbird.jpg"));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(write(dir, "empty.jpg", new byte[0]), "EMPTY_INPUT");
        expected.put(write(dir, "notes.jpg", "just some text, not an image\n".getBytes(StandardCharsets.UTF_8)), "UNSUPPORTED_FORMAT");
        expected.put(write(dir, "paper.png", "%PDF-1.7\n%âãÏÓ\n1 0 obj\n".getBytes(StandardCharsets.ISO_8859_1)), "UNSUPPORTED_FORMAT");
        expected.put(write(dir, "truncated.jpg", Arrays.copyOf(photo, photo.length / 2)), "TRUNCATED");
        byte[] corrupt = photo.clone();
        for (int i = 4; i < 400; i++) { // keep the JPEG magic FF D8 FF E0, garble the headers
            corrupt[i] = (byte) (i * 31);
        }
        expected.put(write(dir, "corrupt.jpg", corrupt), "DECODE_FAILED");
        expected.put(write(dir, "bomb.png", TestImages.pngHeaderOnly(100_000, 100_000)), "IMAGE_TOO_LARGE");
        expected.put(dir.resolve("missing.jpg").toString(), "NOT_FOUND");
        expected.put("ftp://127.0.0.1/cat.jpg", "UNSUPPORTED_URI");
        String good = Shared.photo("winml_hummingbird.jpg").toString();

        List<String> args = new java.util.ArrayList<>(List.of("classify", "--json"));
        args.addAll(expected.keySet());
        args.add(good);
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        assertEquals(1, run.exitCode(), "some images failed: exit 1\n" + run.err());
        List<JsonNode> lines = run.jsonLines();
        assertEquals(expected.size() + 1, lines.size(), run.out());
        int i = 0;
        for (Map.Entry<String, String> e : expected.entrySet()) {
            JsonNode line = lines.get(i++);
            assertEquals(e.getKey(), line.get("image").asText());
            assertTrue(line.has("error"), line.toString());
            assertEquals(e.getValue(), line.get("error").get("code").asText(), line.toString());
            assertFalse(line.get("error").get("message").asText().isBlank());
        }
        JsonNode last = lines.get(i);
        assertEquals(good, last.get("image").asText());
        assertEquals("hummingbird", last.get("top").get(0).get("label").asText());
    }

    @Test
    void anImageOverTheByteLimitIsTooLarge() {
        String photo = Shared.photo("winml_hummingbird.jpg").toString();
        Cli.Run run = Cli.run("classify", "--json", "--max-image-bytes=1000", photo);
        assertEquals(1, run.exitCode());
        assertEquals("TOO_LARGE", run.jsonLines().get(0).get("error").get("code").asText());
    }

    @Test
    void anUnknownModelFailsAtStartNamingEveryPlaceLooked() {
        Cli.Run run = Cli.run("classify", "--model=no-such-model", Shared.photo("winml_cat.jpg").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("no-such-model"), run.err());
        assertTrue(run.out().isEmpty(), run.out());
    }

    private static String write(Path dir, String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p.toString();
    }
}
