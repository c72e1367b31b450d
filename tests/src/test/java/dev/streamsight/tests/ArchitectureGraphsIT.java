package dev.streamsight.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every architecture graph in ../shared/models/arch (gzipped, placeholder weights) loads by path and
 * runs a batch of 8 photos through {@code classify}: any label, but the right number of results and
 * classes, so shapes, input sizes and preprocessing all fit.
 */
class ArchitectureGraphsIT {

    static Stream<String> graphs() throws IOException {
        try (Stream<Path> files = Files.list(Shared.arch())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".onnx.gz"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("graphs")
    void runsABatchOfEight(String graph) {
        List<String> args = new ArrayList<>(List.of("classify", "--model=" + Shared.arch().resolve(graph),
                "--json", "--top=3", "--batch-size=8"));
        List<Path> photos = Shared.photos().toFile().listFiles() == null ? List.of()
                : Stream.of(Shared.photos().toFile().listFiles()).map(java.io.File::toPath).sorted().limit(8).toList();
        assertEquals(8, photos.size());
        photos.forEach(p -> args.add(p.toString()));
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        List<JsonNode> lines = run.jsonLines();
        assertEquals(8, lines.size());
        for (JsonNode line : lines) {
            JsonNode top = line.get("top");
            assertEquals(3, top.size(), line.toString());
            for (JsonNode t : top) {
                int index = t.get("index").asInt();
                assertEquals(true, index >= 0 && index < 1000, line.toString());
                // Placeholder weights give all-zero logits: softmax spreads evenly over 1000 classes.
                assertEquals(0.001, t.get("score").asDouble(), 1e-4, line.toString());
            }
        }
    }
}
