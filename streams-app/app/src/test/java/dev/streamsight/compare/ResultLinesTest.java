package dev.streamsight.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.model.Task;
import dev.streamsight.postprocess.Detection;
import dev.streamsight.postprocess.ScoredLabel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON lines of classify, detect and tail, as the README shows them, read into results. */
class ResultLinesTest {
    @TempDir
    Path dir;

    @Test
    void readsTheThreeShapesKeyedByIdElseImage() throws IOException {
        Path file = write("""
                {"image":"photo.jpg","model":"mobilenetv2-12-int8","top":[{"index":281,"label":"tabby","score":0.83},{"index":282,"label":"tiger cat","score":0.1}]}

                {"image":"street.jpg","model":"yolox-nano","width":768,"height":576,"detections":[{"index":16,"label":"dog","score":0.86,"box":[133.0,207.0,326.0,543.5]}]}
                {"image":"broken.jpg","error":{"code":"TRUNCATED","message":"..."}}
                {"image":"file:///p/cat.jpg","model":"yolox-nano","width":2,"height":3,"detections":[],"id":"ev-7","topic":"images.yolox-nano","partition":0,"offset":12}
                {"error":{"code":"DESERIALIZATION_FAILED","message":"bad magic byte","stage":"deserialize"},"topic":"images.dlq","partition":1,"offset":5}
                """);
        List<ModelResult> results = new ArrayList<>();
        ResultLines.read(file, results::add);
        assertEquals(List.of(
                new ModelResult.Classified("photo.jpg", "mobilenetv2-12-int8", List.of(
                        new ScoredLabel(281, "tabby", 0.83f), new ScoredLabel(282, "tiger cat", 0.1f))),
                new ModelResult.Detected("street.jpg", "yolox-nano", 768, 576, List.of(
                        new Detection(16, "dog", 0.86f, 133f, 207f, 326f, 543.5f))),
                new ModelResult.Failed("broken.jpg", null, "TRUNCATED"),
                new ModelResult.Detected("ev-7", "yolox-nano", 2, 3, List.of()),
                new ModelResult.Failed("images.dlq[1]@5", null, "DESERIALIZATION_FAILED")), results);
    }

    @Test
    void theTaskOfAFileIsThatOfItsFirstSuccessfulLine() throws IOException {
        assertEquals(Optional.of(Task.DETECTION), ResultLines.task(write("""
                {"image":"broken.jpg","error":{"code":"TRUNCATED","message":"..."}}
                {"image":"a.jpg","model":"m","width":1,"height":1,"detections":[]}
                this line is never read
                """)));
        assertEquals(Optional.empty(), ResultLines.task(write("""
                {"image":"broken.jpg","error":{"code":"TRUNCATED","message":"..."}}
                """)));
    }

    @Test
    void anInvalidLineIsAnErrorNamingFileAndLine() throws IOException {
        assertInvalid("line 2: not JSON", """
                {"image":"a.jpg","model":"m","top":[{"index":1,"label":"x","score":0.5}]}
                {"image":"b.jpg",
                """);
        assertInvalid("line 1: neither a classification (\"top\"), a detection (\"detections\") nor an error",
                "{\"image\":\"a.jpg\",\"model\":\"m\",\"value\":\"something else\"}\n");
        assertInvalid("line 1: not a JSON object", "[1,2]\n");
        assertInvalid("line 1: not JSON", "{\"image\":\"a.jpg\"} trailing\n");
        assertInvalid("line 3: no \"id\" or \"image\" to join on", "\n\n{\"top\":[]}\n");
        assertInvalid("line 1: \"top\" is not a non-empty list", "{\"image\":\"a\",\"top\":[]}\n");
        assertInvalid("line 1: top[0]: \"score\" is not a number",
                "{\"image\":\"a\",\"top\":[{\"index\":1,\"label\":\"x\",\"score\":\"high\"}]}\n");
        assertInvalid("line 1: detections[0]: \"box\" is not a list of 4 numbers",
                "{\"image\":\"a\",\"width\":1,\"height\":1,\"detections\":[{\"index\":1,\"score\":1,\"box\":[1,2,3]}]}\n");
        assertInvalid("line 1: \"width\" is not an integer",
                "{\"image\":\"a\",\"detections\":[]}\n");
        assertInvalid("line 1: error: no \"code\"", "{\"image\":\"a\",\"error\":\"it broke\"}\n");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("missing.jsonl");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResultLines.read(missing, r -> { }));
        assertEquals("cannot read " + missing + ": no such file", e.getMessage());
    }

    private void assertInvalid(String expected, String content) throws IOException {
        Path file = write(content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultLines.read(file, r -> { }));
        assertTrue(e.getMessage().startsWith(file + " " + expected), e.getMessage());
    }

    private Path write(String content) throws IOException {
        Path file = Files.createTempFile(dir, "results", ".jsonl");
        Files.writeString(file, content);
        return file;
    }
}
