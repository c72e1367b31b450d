package dev.streamsight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.ReasonCode;
import dev.streamsight.config.StreamsightConfig;
import dev.streamsight.fetch.FetchException;
import dev.streamsight.fetch.ImageFetcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code streamsight demo} end to end: in-process broker and registry, the sample photos, two models. */
class DemoCommandTest {
    @Test
    void demoReadsTheImagesItIsGivenWhereRunsDefaultsReadNoFile() throws IOException {
        Path photo;
        try (Stream<Path> s = Files.list(StreamingCommandsTest.photosDir())) {
            photo = s.filter(p -> p.toString().endsWith(".jpg")).findFirst().orElseThrow();
        }
        Map<String, String> demo = DemoCommand.fetchDefaults(List.of(photo.toString(),
                "http://127.0.0.1:8080/a.jpg", "https://images.example/b.jpg", "http://[::1]/c.jpg"));
        assertEquals(photo.getParent().toRealPath().toString(), demo.get(StreamsightConfig.FETCH_FILE_ROOTS));
        assertEquals("127.0.0.1,images.example,[::1]", demo.get(StreamsightConfig.FETCH_HTTP_ALLOW));
        StreamsightConfig demoConfig = StreamsightConfig.builder().commandDefaults(demo, "demo default").build();
        assertEquals(Files.size(photo), new ImageFetcher(demoConfig.fetchOptions()).fetch(photo.toUri().toString()).length);

        ImageFetcher run = new ImageFetcher(StreamsightConfig.defaultConfig().fetchOptions());
        FetchException refused = assertThrows(FetchException.class, () -> run.fetch(photo.toUri().toString()));
        assertEquals(ReasonCode.FETCH_REFUSED, refused.code());
        assertTrue(refused.getMessage().contains("fetch.file.roots"), refused.getMessage());
    }

    @Test
    @Timeout(120)
    void demoPrintsALinePerSampleImageAndExitsZero() throws IOException {
        if (System.getenv("STREAMSIGHT_BOOTSTRAP_SERVERS") != null) {
            return; // the demo would use that cluster; this test is about the in-process one
        }
        List<String> names;
        try (Stream<Path> s = Files.list(StreamingCommandsTest.photosDir())) {
            names = s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
        long t0 = System.nanoTime();
        CliRun run = CliRun.of("demo");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, run.status(), run::toString);
        for (String name : names) {
            List<String> rows = run.lines().stream().filter(l -> l.startsWith(name + " ")).toList();
            assertEquals(1, rows.size(), () -> name + " has one row in\n" + run);
            assertTrue(rows.getFirst().matches(".*\\s\\S.* \\d\\.\\d\\d\\s+.*"), () -> "top-1 and score: " + rows);
        }
        assertTrue(run.out().contains(names.size() + " images, " + 2 * names.size() + " results, 0 dead letters"),
                run::toString);
        System.err.printf("demo took %.1f s in-process%n", seconds);
    }
}
