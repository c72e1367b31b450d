package dev.streamsight.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamsight.model.Task;
import dev.streamsight.postprocess.Detection;
import dev.streamsight.postprocess.ScoredLabel;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reads the JSON lines of {@code classify --json}, {@code detect --json} and {@code tail --json} into
 * {@link ModelResult}s. A line's key is its {@code "id"} when it has one (tail), else its
 * {@code "image"}; a tail line about a record it could not read has neither and is keyed by
 * {@code topic[partition]@offset}. Blank lines are skipped; any other line that is not one of the three
 * shapes (a {@code "top"} list, {@code "width"}/{@code "height"}/{@code "detections"}, or an
 * {@code "error"} with a {@code "code"}) is an {@link IllegalArgumentException} naming the file and the
 * line number. Stateless and thread-safe.
 */
public final class ResultLines {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ResultLines() {
    }

    /** Reads every result of {@code file}, in order, into {@code sink}. */
    public static void read(Path file, Consumer<ModelResult> sink) {
        scan(file, result -> {
            sink.accept(result);
            return true;
        });
    }

    /** The task of the first successful result in {@code file}; empty when it has none. */
    public static Optional<Task> task(Path file) {
        Task[] found = new Task[1];
        scan(file, result -> {
            found[0] = result.task();
            return found[0] == null;
        });
        return Optional.ofNullable(found[0]);
    }

    /**
     * Parses one line.
     *
     * @throws IllegalArgumentException when it is not JSON or not of a result's shape
     */
    public static ModelResult parse(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String key = key(node);
        String model = text(node, "model");
        boolean top = node.has("top");
        boolean detections = node.has("detections");
        if (node.hasNonNull("error")) {
            return new ModelResult.Failed(key, model, requiredText(node.get("error"), "code", "error"));
        }
        if (top && detections) {
            throw new IllegalArgumentException("has both \"top\" and \"detections\"");
        }
        if (top) {
            return new ModelResult.Classified(key, model, labels(node.get("top")));
        }
        if (detections) {
            return new ModelResult.Detected(key, model, requiredInt(node, "width", null),
                    requiredInt(node, "height", null), detections(node.get("detections")));
        }
        throw new IllegalArgumentException("neither a classification (\"top\"), a detection (\"detections\")"
                + " nor an error (\"error\")");
    }

    /** Calls {@code visitor} with each result until it returns false. */
    private static void scan(Path file, Predicate<ModelResult> visitor) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                ModelResult result;
                try {
                    result = parse(line);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + number + ": " + e.getMessage(), e);
                }
                if (!visitor.test(result)) {
                    return;
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read " + file + ": no such file", e);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("cannot read " + file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String key(JsonNode node) {
        String id = text(node, "id");
        if (id != null) {
            return id;
        }
        String image = text(node, "image");
        if (image != null) {
            return image;
        }
        if (node.hasNonNull("topic") && node.hasNonNull("partition") && node.hasNonNull("offset")) {
            return node.get("topic").asText() + "[" + node.get("partition").asText() + "]@"
                    + node.get("offset").asText();
        }
        throw new IllegalArgumentException("no \"id\" or \"image\" to join on");
    }

    private static List<ScoredLabel> labels(JsonNode top) {
        if (!top.isArray() || top.isEmpty()) {
            throw new IllegalArgumentException("\"top\" is not a non-empty list");
        }
        List<ScoredLabel> labels = new ArrayList<>(top.size());
        for (int i = 0; i < top.size(); i++) {
            labels.add(scored(top.get(i), "top[" + i + "]"));
        }
        return labels;
    }

    private static List<Detection> detections(JsonNode list) {
        if (!list.isArray()) {
            throw new IllegalArgumentException("\"detections\" is not a list");
        }
        List<Detection> detections = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String where = "detections[" + i + "]";
            ScoredLabel scored = scored(list.get(i), where);
            JsonNode box = list.get(i).get("box");
            if (box == null || !box.isArray() || box.size() != 4 || !allNumbers(box)) {
                throw new IllegalArgumentException(where + ": \"box\" is not a list of 4 numbers");
            }
            detections.add(new Detection(scored.index(), scored.label(), scored.score(), box.get(0).floatValue(),
                    box.get(1).floatValue(), box.get(2).floatValue(), box.get(3).floatValue()));
        }
        return detections;
    }

    /**
     * The {@code index}, {@code label} and {@code score} of a class or an object. A model without a
     * label file has no labels: its classes are shown by index.
     */
    private static ScoredLabel scored(JsonNode entry, String where) {
        int index = requiredInt(entry, "index", where);
        String label = text(entry, "label");
        return new ScoredLabel(index, label != null ? label : "#" + index, requiredNumber(entry, "score", where));
    }

    private static boolean allNumbers(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isNumber()) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String requiredText(JsonNode node, String field, String where) {
        JsonNode value = node.isObject() ? node.get(field) : null;
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(where + ": no \"" + field + "\"");
        }
        return value.asText();
    }

    private static int requiredInt(JsonNode node, String field, String where) {
        JsonNode value = node.isObject() ? node.get(field) : null;
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(at(where) + "\"" + field + "\" is not an integer");
        }
        return value.intValue();
    }

    /** "WHERE: ", or nothing for a field of the line itself (null). */
    private static String at(String where) {
        return where == null ? "" : where + ": ";
    }

    private static float requiredNumber(JsonNode node, String field, String where) {
        JsonNode value = node.isObject() ? node.get(field) : null;
        if (value == null || !value.isNumber()) {
            throw new IllegalArgumentException(at(where) + "\"" + field + "\" is not a number");
        }
        return value.floatValue();
    }
}
