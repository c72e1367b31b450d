package dev.streamsight.compare;

import dev.streamsight.compare.ComparisonReport.ClassCount;
import dev.streamsight.compare.ComparisonReport.DetectionFigures;
import dev.streamsight.postprocess.Detection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sums the detection figures over joined pairs of images, the old side as reference: per image and
 * class, new boxes in descending score order each take the unmatched old box of highest IoU, when that
 * IoU is at least {@link ComparisonReport#IOU_THRESHOLD}. Not thread-safe; one per report.
 */
final class DetectionTally {
    /** Counts of one class, under the first label seen for its index. */
    private static final class PerClass {
        final String label;
        int oldCount;
        int newCount;
        int matched;

        PerClass(String label) {
            this.label = label;
        }
    }

    private final Map<Integer, PerClass> perClass = new TreeMap<>();
    private int oldObjects;
    private int newObjects;
    private int matched;
    private double iouSum;
    private int sizeMismatches;

    void add(ModelResult.Detected oldResult, ModelResult.Detected newResult) {
        if (oldResult.width() != newResult.width() || oldResult.height() != newResult.height()) {
            sizeMismatches++;
        }
        List<Detection> reference = oldResult.detections();
        for (Detection d : reference) {
            classOf(d).oldCount++;
        }
        for (Detection d : newResult.detections()) {
            classOf(d).newCount++;
        }
        oldObjects += reference.size();
        newObjects += newResult.detections().size();
        boolean[] taken = new boolean[reference.size()];
        List<Detection> byScore = new ArrayList<>(newResult.detections());
        byScore.sort(Comparator.comparingDouble(Detection::score).reversed());
        for (Detection candidate : byScore) {
            int best = -1;
            float bestIou = -1f;
            for (int i = 0; i < reference.size(); i++) {
                Detection r = reference.get(i);
                if (taken[i] || r.index() != candidate.index()) {
                    continue;
                }
                float iou = candidate.iou(r);
                if (iou >= ComparisonReport.IOU_THRESHOLD && iou > bestIou) {
                    best = i;
                    bestIou = iou;
                }
            }
            if (best >= 0) {
                taken[best] = true;
                matched++;
                iouSum += bestIou;
                perClass.get(candidate.index()).matched++;
            }
        }
    }

    private PerClass classOf(Detection d) {
        return perClass.computeIfAbsent(d.index(), i -> new PerClass(d.label()));
    }

    DetectionFigures figures() {
        List<ClassCount> counts = perClass.entrySet().stream()
                .map(e -> new ClassCount(e.getKey(), e.getValue().label, e.getValue().oldCount,
                        e.getValue().newCount, e.getValue().matched))
                .toList();
        return new DetectionFigures(counts, oldObjects, newObjects, matched,
                newObjects == 0 ? null : (double) matched / newObjects,
                oldObjects == 0 ? null : (double) matched / oldObjects,
                matched == 0 ? null : iouSum / matched,
                sizeMismatches);
    }
}
