package dev.streamsight.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads the pipeline's output records ({@code ClassificationResult}, {@code DetectionResult},
 * {@code DeadLetter}), as GenericRecords from the generic Avro deserializer, into the CLI's shapes:
 * JSON lines like {@code classify}/{@code detect} plus {@code id}, {@code topic}, {@code partition},
 * {@code offset}, and one-line text. Reading generically keeps {@code tail} working on records
 * written with newer schema versions. Stateless.
 */
final class OutputRecords {
    static final String CLASSIFICATION = "ClassificationResult";
    static final String DETECTION = "DetectionResult";
    static final String DEAD_LETTER = "DeadLetter";

    private OutputRecords() {
    }

    /** The record's schema name ({@code ClassificationResult}, ...), or null for a non-record value. */
    static String kind(Object value) {
        return value instanceof GenericRecord r ? r.getSchema().getName() : null;
    }

    /** The event id the record is about (null for a dead letter of an undecodable record). */
    static String eventId(GenericRecord r) {
        if (DEAD_LETTER.equals(kind(r))) {
            GenericRecord event = (GenericRecord) r.get("event");
            return event == null ? null : str(event.get("id"));
        }
        return str(r.get("eventId"));
    }

    /** The model id of a result, or of a dead letter specific to one model; else null. */
    static String modelId(GenericRecord r) {
        GenericRecord model = r.getSchema().getField("model") == null ? null : (GenericRecord) r.get("model");
        return model == null ? null : str(model.get("id"));
    }

    /** The image URI: the result's, or the dead-lettered event's (null for inline images). */
    static String imageUri(GenericRecord r) {
        if (DEAD_LETTER.equals(kind(r))) {
            GenericRecord event = (GenericRecord) r.get("event");
            if (event != null && event.get("image") instanceof GenericRecord img
                    && img.getSchema().getField("uri") != null) {
                return str(img.get("uri"));
            }
            return null;
        }
        return str(r.get("imageUri"));
    }

    /** The JSON line for one record. */
    static Map<String, Object> json(String topic, int partition, long offset, Object value) {
        Map<String, Object> line = new LinkedHashMap<>();
        if (!(value instanceof GenericRecord r)) {
            line.put("value", value == null ? null : value.toString());
        } else {
            line.put("image", imageUri(r));
            String model = modelId(r);
            switch (kind(r)) {
                case CLASSIFICATION -> {
                    line.put("model", model);
                    line.put("top", labels(r));
                }
                case DETECTION -> {
                    line.put("model", model);
                    GenericRecord size = (GenericRecord) r.get("imageSize");
                    line.put("width", size.get("width"));
                    line.put("height", size.get("height"));
                    line.put("detections", detections(r));
                }
                case DEAD_LETTER -> {
                    if (model != null) {
                        line.put("model", model);
                    }
                    Map<String, Object> err = new LinkedHashMap<>();
                    err.put("code", str(r.get("reasonCode")));
                    err.put("message", str(r.get("message")));
                    err.put("stage", str(r.get("stage")));
                    line.put("error", err);
                }
                default -> line.put("value", r.toString());
            }
            line.put("id", eventId(r));
        }
        line.put("topic", topic);
        line.put("partition", partition);
        line.put("offset", offset);
        return line;
    }

    /** One readable line for one record. */
    static String text(String topic, int partition, long offset, Object value) {
        String where = topic + "[" + partition + "]@" + offset;
        if (!(value instanceof GenericRecord r)) {
            return where + " " + value;
        }
        String image = imageUri(r) == null ? "(inline image)" : imageUri(r);
        String head = where + " " + eventId(r) + " " + image;
        return switch (kind(r)) {
            case CLASSIFICATION -> head + ": " + modelId(r) + ": " + labels(r).stream()
                    .map(l -> String.format(Locale.ROOT, "%s %.3f", l.get("label"), (Float) l.get("score")))
                    .collect(Collectors.joining(", "));
            case DETECTION -> {
                GenericRecord size = (GenericRecord) r.get("imageSize");
                List<Map<String, Object>> ds = detections(r);
                yield head + ": " + modelId(r) + ": " + size.get("width") + "x" + size.get("height") + ", "
                        + (ds.isEmpty() ? "no objects" : ds.stream()
                        .map(d -> String.format(Locale.ROOT, "%s %.2f %s", d.get("label"), (Float) d.get("score"),
                                d.get("box")))
                        .collect(Collectors.joining(", ")));
            }
            case DEAD_LETTER -> head + ": ERROR " + str(r.get("reasonCode")) + " (" + str(r.get("stage"))
                    + (modelId(r) == null ? "" : ", " + modelId(r)) + "): " + str(r.get("message"));
            default -> head + ": " + r;
        };
    }

    /** Classification labels as {@code {index,label,score}} maps, best first. */
    static List<Map<String, Object>> labels(GenericRecord r) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : (List<?>) r.get("labels")) {
            GenericRecord l = (GenericRecord) o;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", l.get("index"));
            m.put("label", str(l.get("label")));
            m.put("score", l.get("score"));
            out.add(m);
        }
        return out;
    }

    /** Detections as {@code {index,label,score,box}} maps, box {@code [x1,y1,x2,y2]} to 0.1 pixel. */
    static List<Map<String, Object>> detections(GenericRecord r) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : (List<?>) r.get("detections")) {
            GenericRecord d = (GenericRecord) o;
            GenericRecord b = (GenericRecord) d.get("box");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", d.get("index"));
            m.put("label", str(d.get("label")));
            m.put("score", d.get("score"));
            m.put("box", List.of(round(b.get("x1")), round(b.get("y1")), round(b.get("x2")), round(b.get("y2"))));
            out.add(m);
        }
        return out;
    }

    private static double round(Object v) {
        return Math.round(((Number) v).doubleValue() * 10.0) / 10.0;
    }

    static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
