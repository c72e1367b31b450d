package dev.streamsight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare} on the real outputs of two classifiers and two detectors over the shared images:
 * its figures equal the ones worked out here from the raw lines.
 */
class CompareCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLASSIFIED_A =
            "{\"image\":\"a.jpg\",\"model\":\"m\",\"top\":[{\"index\":1,\"label\":\"x\",\"score\":0.5}]}\n";

    @TempDir
    Path dir;

    private static Path images(String name) {
        return Path.of(System.getenv("STREAMSIGHT_SHARED_DIR"), "images", name);
    }

    /** Runs a command whose stdout is JSON lines, and keeps them in a file. */
    private Path output(String name, String... args) throws IOException {
        CliRun run = CliRun.of(args);
        assertEquals(0, run.status(), run::toString);
        Path file = dir.resolve(name);
        Files.writeString(file, run.out());
        return file;
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> {
            try {
                return JSON.readTree(l);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    void twoClassifiersAgreeAsOftenAsTheirLinesSay() throws IOException {
        String sample = images("imagenet-sample").toString();
        Path old = output("mobilenet.jsonl", "classify", "--json", "--model", "mobilenetv2-12-int8", sample);
        Path candidate = output("squeezenet.jsonl", "classify", "--json", "--model", "squeezenet1.0-fp16", sample);
        Map<String, Integer> oldTop1 = new HashMap<>();
        for (JsonNode line : lines(old)) {
            oldTop1.put(line.get("image").asText(), line.get("top").get(0).get("index").asInt());
        }
        int joined = 0;
        int agree = 0;
        for (JsonNode line : lines(candidate)) {
            Integer before = oldTop1.get(line.get("image").asText());
            if (before != null) {
                joined++;
                agree += before == line.get("top").get(0).get("index").asInt() ? 1 : 0;
            }
        }
        assertEquals(50, joined, "the same 50 images on both sides");
        assertTrue(agree > 25 && agree < 50, "two different classifiers mostly agree: " + agree);

        Path html = dir.resolve("report.html");
        CliRun run = CliRun.of("compare", "--json", "--report", html.toString(), old.toString(), candidate.toString());
        assertEquals(0, run.status(), run::toString);
        JsonNode report = JSON.readTree(run.lines().getFirst());
        assertEquals("classification", report.get("task").asText());
        assertEquals("mobilenetv2-12-int8", report.get("old").get("model").asText());
        assertEquals("squeezenet1.0-fp16", report.get("new").get("model").asText());
        assertEquals(joined, report.get("joined").asInt());
        assertEquals(agree, report.get("top1_agree_count").asInt());
        assertEquals((double) agree / joined, report.get("top1_agreement").asDouble(), 1e-6);
        int changes = 0;
        for (JsonNode change : report.get("label_changes")) {
            changes += change.get("count").asInt();
        }
        assertEquals(joined - agree, changes, "fewer than 20 kinds of change: all are listed");
        String page = Files.readString(html);
        assertTrue(page.contains("<h1>classification: mobilenetv2-12-int8 (old) vs squeezenet1.0-fp16 (new)</h1>"));
        assertTrue(page.contains(String.format(java.util.Locale.ROOT, "<td>%d of %d (%.1f%%)</td>", agree, joined,
                100.0 * agree / joined)), page);

        CliRun text = CliRun.of("compare", old.toString(), candidate.toString());
        assertEquals(0, text.status(), text::toString);
        assertTrue(text.out().contains("top-1 agreement    " + agree + " of " + joined + " ("), text.out());
    }

    @Test
    void twoDetectorsCountTheObjectsTheirLinesHold() throws IOException {
        String photos = images("photos").toString();
        Path old = output("yolox.jsonl", "detect", "--json", "--model", "yolox-nano", photos);
        Path candidate = output("yolov8.jsonl", "detect", "--json", "--model", "yolov8n-int8", photos);
        CliRun run = CliRun.of("compare", "--json", old.toString(), candidate.toString());
        assertEquals(0, run.status(), run::toString);
        JsonNode report = JSON.readTree(run.lines().getFirst());
        assertEquals("detection", report.get("task").asText());
        assertEquals(17, report.get("joined").asInt());

        Map<Integer, int[]> expected = new TreeMap<>();
        count(old, expected, 0);
        count(candidate, expected, 1);
        Map<Integer, int[]> reported = new TreeMap<>();
        for (JsonNode c : report.get("per_class")) {
            reported.put(c.get("index").asInt(), new int[] {c.get("old").asInt(), c.get("new").asInt()});
            assertTrue(c.get("matched").asInt() <= Math.min(c.get("old").asInt(), c.get("new").asInt()), c::toString);
        }
        assertEquals(expected.keySet(), reported.keySet());
        expected.forEach((index, counts) -> assertEquals(List.of(counts[0], counts[1]),
                List.of(reported.get(index)[0], reported.get(index)[1]), "class " + index));
        int oldObjects = expected.values().stream().mapToInt(c -> c[0]).sum();
        int newObjects = expected.values().stream().mapToInt(c -> c[1]).sum();
        int matched = report.get("matched").asInt();
        assertEquals(oldObjects, report.get("old_objects").asInt());
        assertEquals(newObjects, report.get("new_objects").asInt());
        assertTrue(matched > oldObjects / 2, "two COCO detectors find mostly the same objects: " + report);
        assertEquals((double) matched / newObjects, report.get("precision").asDouble(), 1e-6);
        assertEquals((double) matched / oldObjects, report.get("recall").asDouble(), 1e-6);
        assertTrue(report.get("mean_iou").asDouble() >= 0.5 && report.get("mean_iou").asDouble() <= 1);
    }

    private static void count(Path file, Map<Integer, int[]> perClass, int side) throws IOException {
        for (JsonNode line : lines(file)) {
            for (JsonNode d : line.get("detections")) {
                perClass.computeIfAbsent(d.get("index").asInt(), i -> new int[2])[side]++;
            }
        }
    }

    @Test
    void resultsOfDifferentTasksAreAConfigurationError() throws IOException {
        Path classified = dir.resolve("classified.jsonl");
        Files.writeString(classified, CLASSIFIED_A);
        Path detected = dir.resolve("detected.jsonl");
        Files.writeString(detected, "{\"image\":\"a.jpg\",\"error\":{\"code\":\"TRUNCATED\",\"message\":\"...\"}}\n"
                + "{\"image\":\"a.jpg\",\"model\":\"d\",\"width\":1,\"height\":1,\"detections\":[]}\n");
        CliRun run = CliRun.of("compare", classified.toString(), detected.toString());
        assertEquals(2, run.status(), run::toString);
        assertEquals("streamsight compare: " + classified + " holds classification results but " + detected
                + " holds detection results: results of different tasks cannot be compared\n", run.err());
        assertEquals("", run.out());
    }

    @Test
    void anInvalidLineOrMissingFileIsAConfigurationErrorNamingIt() throws IOException {
        Path good = dir.resolve("good.jsonl");
        Files.writeString(good, CLASSIFIED_A);
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, Files.readString(good) + "{\"image\":\"b.jpg\",\"model\":\"m\"}\n");
        CliRun run = CliRun.of("compare", good.toString(), bad.toString());
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().startsWith("streamsight compare: " + bad + " line 2: neither a classification"),
                run.err());

        CliRun missing = CliRun.of("compare", good.toString(), dir.resolve("nope.jsonl").toString());
        assertEquals(2, missing.status(), missing::toString);
        assertTrue(missing.err().contains("nope.jsonl: no such file"), missing.err());

        CliRun usage = CliRun.of("compare", good.toString());
        assertEquals(2, usage.status(), usage::toString);
        assertTrue(usage.err().contains("Missing required parameter: 'NEW.jsonl'"), usage.err());
    }

    @Test
    void helpNamesTheInputsAndTheExitStatus() {
        CliRun help = CliRun.of("compare", "--help");
        assertEquals(0, help.status(), help::toString);
        assertTrue(help.out().contains("OLD.jsonl            Results of the old (reference) model."), help::toString);
        assertTrue(help.out().contains("--report=FILE.html"), help::toString);
        assertTrue(help.out().contains("Exit status: 0 when results were compared, 1 when no key is in both files"),
                help::toString);
    }

    @Test
    void nothingInCommonExitsOne() throws IOException {
        Path a = dir.resolve("a.jsonl");
        Files.writeString(a, CLASSIFIED_A);
        Path b = dir.resolve("b.jsonl");
        Files.writeString(b, CLASSIFIED_A.replace("a.jpg", "b.jpg"));
        CliRun run = CliRun.of("compare", "--json", a.toString(), b.toString());
        assertEquals(1, run.status(), run::toString);
        JsonNode report = JSON.readTree(run.lines().getFirst());
        assertEquals(0, report.get("joined").asInt());
        assertEquals(1, report.get("only_old").asInt());
        assertTrue(report.get("top1_agreement").isNull());
        assertTrue(run.err().contains("no key has a result in both files"), run.err());
    }
}
