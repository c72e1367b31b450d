package dev.streamsight.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Top-1/top-5 accuracy of {@code classify} on the 50 ImageNet sample photos stays within one image
 * of the reference figures measured with the standard torchvision preprocessing and ONNX Runtime
 * (issue acceptance: mobilenetv2-12-int8 42/50 and 49/50; squeezenet1.0-fp16 32/50 and 44/50).
 */
class ImagenetAccuracyIT {

    @ParameterizedTest
    @CsvSource({"mobilenetv2-12-int8, 42, 49", "squeezenet1.0-fp16, 32, 44"})
    void accuracyMatchesTheReference(String model, int top1Reference, int top5Reference) {
        Path dir = Shared.imagenetSample();
        Cli.Run run = Cli.run("classify", "--model=" + model, "--json", "--top=5", dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<String> synsets = Shared.synsets();
        List<JsonNode> lines = run.jsonLines();
        assertEquals(50, lines.size());
        int top1 = 0;
        int top5 = 0;
        for (JsonNode line : lines) {
            String file = Path.of(line.get("image").asText()).getFileName().toString();
            int truth = synsets.indexOf(file.substring(0, file.indexOf('_')));
            assertTrue(truth >= 0, "synset of " + file);
            JsonNode top = line.get("top");
            if (top.get(0).get("index").asInt() == truth) {
                top1++;
            }
            for (JsonNode t : top) {
                if (t.get("index").asInt() == truth) {
                    top5++;
                    break;
                }
            }
        }
        System.out.printf("%s: top-1 %d/50, top-5 %d/50%n", model, top1, top5);
        assertTrue(Math.abs(top1 - top1Reference) <= 1, model + " top-1 " + top1 + "/50, reference " + top1Reference);
        assertTrue(Math.abs(top5 - top5Reference) <= 1, model + " top-5 " + top5 + "/50, reference " + top5Reference);
    }
}
