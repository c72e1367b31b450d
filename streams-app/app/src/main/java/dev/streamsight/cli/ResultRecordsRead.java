package dev.streamsight.cli;

import dev.streamsight.compare.ModelResult;
import dev.streamsight.postprocess.Detection;
import dev.streamsight.postprocess.ScoredLabel;
import dev.streamsight.topology.OffsetRange;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns the pipeline's output records, read generically, into what the comparison takes: a
 * {@code ClassificationResult} into {@link ModelResult.Classified}, a {@code DetectionResult} into
 * {@link ModelResult.Detected}, a {@code DeadLetter} into {@link ModelResult.Failed}; keyed by event id.
 * Stateless.
 */
final class ResultRecordsRead {
    private ResultRecordsRead() {
    }

    /** The record as a comparison input, or null for a record of no event (an undecodable input record). */
    static ModelResult toModelResult(GenericRecord r) {
        String id = OutputRecords.eventId(r);
        if (id == null) {
            return null;
        }
        String model = OutputRecords.modelId(r);
        return switch (OutputRecords.kind(r)) {
            case OutputRecords.CLASSIFICATION -> {
                List<ScoredLabel> top = new ArrayList<>();
                for (Object o : (List<?>) r.get("labels")) {
                    GenericRecord l = (GenericRecord) o;
                    top.add(new ScoredLabel((Integer) l.get("index"), OutputRecords.str(l.get("label")),
                            ((Number) l.get("score")).floatValue()));
                }
                yield top.isEmpty() ? new ModelResult.Failed(id, model, "NO_LABELS")
                        : new ModelResult.Classified(id, model, top);
            }
            case OutputRecords.DETECTION -> {
                List<Detection> detections = new ArrayList<>();
                for (Object o : (List<?>) r.get("detections")) {
                    GenericRecord d = (GenericRecord) o;
                    GenericRecord b = (GenericRecord) d.get("box");
                    detections.add(new Detection((Integer) d.get("index"), OutputRecords.str(d.get("label")),
                            f(d.get("score")), f(b.get("x1")), f(b.get("y1")), f(b.get("x2")), f(b.get("y2"))));
                }
                GenericRecord size = (GenericRecord) r.get("imageSize");
                yield new ModelResult.Detected(id, model, (Integer) size.get("width"), (Integer) size.get("height"),
                        detections);
            }
            case OutputRecords.DEAD_LETTER -> new ModelResult.Failed(id, model,
                    OutputRecords.str(r.get("reasonCode")));
            default -> null;
        };
    }

    /** Whether the record's input record (its lineage) lies in {@code range}. */
    static boolean inRange(GenericRecord r, OffsetRange range) {
        Object l = r.getSchema().getField("lineage") == null ? null : r.get("lineage");
        if (!(l instanceof GenericRecord lineage)) {
            return false;
        }
        return range.contains(OutputRecords.str(lineage.get("topic")), (Integer) lineage.get("partition"),
                (Long) lineage.get("offset"));
    }

    private static float f(Object v) {
        return ((Number) v).floatValue();
    }
}
