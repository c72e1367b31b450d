package dev.streamsight.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamsight.StreamsightException;
import dev.streamsight.postprocess.Detection;
import dev.streamsight.postprocess.ScoredLabel;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes the one-object-per-line JSON output of the CLI (DESIGN.md section 5). Not thread-safe. */
final class JsonLines {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final PrintWriter out;

    JsonLines(PrintWriter out) {
        this.out = out;
    }

    void write(Map<String, ?> object) {
        try {
            out.println(MAPPER.writeValueAsString(object));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static String toJson(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Parses JSON text into a tree, to embed it in another object. */
    static Object tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("invalid JSON", e);
        }
    }

    static Map<String, Object> error(String image, StreamsightException e) {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("code", e.code().name());
        err.put("message", e.getMessage());
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("image", image);
        line.put("error", err);
        return line;
    }

    static List<Map<String, Object>> top(List<ScoredLabel> top) {
        return top.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", s.index());
            m.put("label", s.label());
            m.put("score", s.score());
            return m;
        }).toList();
    }

    static List<Map<String, Object>> detections(List<Detection> detections) {
        return detections.stream().map(d -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", d.index());
            m.put("label", d.label());
            m.put("score", d.score());
            m.put("box", List.of(round(d.x1()), round(d.y1()), round(d.x2()), round(d.y2())));
            return m;
        }).toList();
    }

    /** Box corners to a tenth of a pixel: enough for any use, and stable output. */
    private static double round(float v) {
        return Math.round(v * 10.0) / 10.0;
    }
}
