package dev.streamsight.compare;

import dev.streamsight.postprocess.Detection;
import dev.streamsight.postprocess.ScoredLabel;
import java.util.List;

/** Hand-built results for the comparison tests. */
final class Results {
    private Results() {
    }

    static ScoredLabel label(int index, String name, double score) {
        return new ScoredLabel(index, name, (float) score);
    }

    /** A classification whose labels are named {@code c<index>}, scores falling from 0.5. */
    static ModelResult.Classified top(String key, int... indices) {
        ScoredLabel[] labels = new ScoredLabel[indices.length];
        for (int i = 0; i < indices.length; i++) {
            labels[i] = label(indices[i], "c" + indices[i], 0.5 - 0.05 * i);
        }
        return new ModelResult.Classified(key, "m", List.of(labels));
    }

    static ModelResult.Classified top(String key, ScoredLabel... labels) {
        return new ModelResult.Classified(key, "m", List.of(labels));
    }

    static Detection box(int index, double score, double x1, double y1, double x2, double y2) {
        return new Detection(index, "class" + index, (float) score, (float) x1, (float) y1, (float) x2, (float) y2);
    }

    static ModelResult.Detected objects(String key, Detection... detections) {
        return new ModelResult.Detected(key, "d", 100, 100, List.of(detections));
    }

    static ModelResult.Failed failed(String key) {
        return new ModelResult.Failed(key, null, "DECODE_FAILED");
    }
}
