package dev.streamsight.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamsight.compare.ComparisonReport.ClassificationFigures;
import dev.streamsight.compare.ComparisonReport.DetectionFigures;
import dev.streamsight.compare.ComparisonReport.SideSummary;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Renders a report as the one-line JSON object documented on {@link ComparisonReport}. Stateless. */
final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonReport() {
    }

    static String render(ComparisonReport report) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("task", report.task() == null ? null : report.task().name().toLowerCase(Locale.ROOT));
        json.put("old", side(report.oldSide()));
        json.put("new", side(report.newSide()));
        json.put("joined", report.joined());
        json.put("only_old", report.onlyOld());
        json.put("only_new", report.onlyNew());
        json.put("failed_old", report.oldSide().failed());
        json.put("failed_new", report.newSide().failed());
        if (report.classification() != null) {
            classification(json, report.classification());
        }
        if (report.detection() != null) {
            detection(json, report.detection());
        }
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static Map<String, Object> side(SideSummary s) {
        Map<String, Object> side = new LinkedHashMap<>();
        side.put("source", s.source());
        side.put("model", s.model());
        side.put("results", s.results());
        side.put("keys", s.keys());
        side.put("duplicates", s.duplicates());
        return side;
    }

    private static void classification(Map<String, Object> json, ClassificationFigures c) {
        json.put("top1_agreement", rounded(c.top1Agreement()));
        json.put("top1_agree_count", c.agreeCount());
        json.put("top5_overlap", rounded(c.top5Overlap()));
        json.put("mean_score_change", rounded(c.meanScoreChange()));
        json.put("label_changes", c.labelChanges().stream()
                .map(l -> entry("from", l.from(), "to", l.to(), "count", l.count())).toList());
        json.put("label_change_kinds", c.labelChangeKinds());
    }

    private static void detection(Map<String, Object> json, DetectionFigures d) {
        json.put("per_class", d.perClass().stream()
                .map(c -> entry("index", c.index(), "label", c.label(), "old", c.oldCount(), "new", c.newCount(),
                        "matched", c.matched()))
                .toList());
        json.put("old_objects", d.oldObjects());
        json.put("new_objects", d.newObjects());
        json.put("matched", d.matched());
        json.put("iou_threshold", (double) ComparisonReport.IOU_THRESHOLD);
        json.put("precision", rounded(d.precision()));
        json.put("recall", rounded(d.recall()));
        json.put("mean_iou", rounded(d.meanIou()));
        json.put("size_mismatches", d.sizeMismatches());
    }

    /** Six decimals: more would be noise, and the output stays the same across platforms. */
    private static Double rounded(Double value) {
        return value == null ? null : Math.round(value * 1e6) / 1e6;
    }

    /** An object of the given name/value pairs, in that order. */
    private static Map<String, Object> entry(Object... namesAndValues) {
        Map<String, Object> entry = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            entry.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return entry;
    }
}
