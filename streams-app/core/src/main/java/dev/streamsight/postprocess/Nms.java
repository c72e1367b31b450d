package dev.streamsight.postprocess;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Greedy non-maximum suppression, as in {@code torchvision.ops.nms} /
 * {@code torchvision.ops.batched_nms} used by Ultralytics {@code ops.non_max_suppression}, YOLOv5
 * {@code general.non_max_suppression} and YOLOX {@code multiclass_nms}:
 * candidates are visited by descending score (exact ties: lower candidate index first); a candidate
 * is kept unless a kept box of the same class (any class when class-agnostic) overlaps it with IoU
 * strictly greater than the threshold.
 *
 * <p>Bounded cost: only the {@link #MAX_CANDIDATES} best-scored candidates enter NMS (Ultralytics
 * {@code max_nms = 30000}), and the scan stops after {@code maxDetections} boxes are kept, so the work
 * is at most {@code O(n log n + maxDetections * n)}.
 *
 * <p>Stateless and thread-safe; all methods are static.
 */
public final class Nms {
    /** At most this many best-scored candidates enter NMS (Ultralytics {@code max_nms}). */
    public static final int MAX_CANDIDATES = 30_000;

    private Nms() {
    }

    /**
     * Score threshold, then NMS, then the cap, as configured by {@code options}. The result is
     * sorted by descending score.
     */
    public static List<Detection> apply(List<Detection> detections, DetectionOptions options) {
        Objects.requireNonNull(options, "options");
        List<Detection> kept = new ArrayList<>();
        for (Detection d : Objects.requireNonNull(detections, "detections")) {
            if (d.score() >= options.scoreThreshold()) {
                kept.add(d);
            }
        }
        return apply(kept, options.iouThreshold(), options.maxDetections(), options.classAgnostic());
    }

    /**
     * NMS over detections (no score threshold). The result is sorted by descending score.
     *
     * @param iouThreshold boxes overlapping a kept box by more than this are suppressed
     * @param maxDetections at most this many are returned
     * @param classAgnostic whether boxes of different classes suppress each other
     */
    public static List<Detection> apply(List<Detection> detections, float iouThreshold,
            int maxDetections, boolean classAgnostic) {
        int n = detections.size();
        float[] boxes = new float[4 * n];
        float[] scores = new float[n];
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            Detection d = detections.get(i);
            boxes[4 * i] = d.x1();
            boxes[4 * i + 1] = d.y1();
            boxes[4 * i + 2] = d.x2();
            boxes[4 * i + 3] = d.y2();
            scores[i] = d.score();
            classes[i] = d.index();
        }
        int[] keep = select(boxes, scores, classes, n, iouThreshold, maxDetections, classAgnostic);
        List<Detection> out = new ArrayList<>(keep.length);
        for (int i : keep) {
            out.add(detections.get(i));
        }
        return out;
    }

    /**
     * Index-level NMS over parallel arrays.
     *
     * @param boxes {@code x1, y1, x2, y2} per candidate, interleaved (length at least {@code 4*count})
     * @param scores one score per candidate; NaN ranks last
     * @param classes one class index per candidate (ignored when class-agnostic)
     * @param count how many candidates the arrays hold
     * @return the kept candidates' indices by descending score, at most {@code maxDetections}
     */
    public static int[] select(float[] boxes, float[] scores, int[] classes, int count,
            float iouThreshold, int maxDetections, boolean classAgnostic) {
        checkArrays(boxes, scores, classes, count);
        if (maxDetections < 1) {
            throw new IllegalArgumentException("max detections must be >= 1: " + maxDetections);
        }
        int[] order = rank(scores, count, MAX_CANDIDATES);
        int n = order.length;
        boolean[] suppressed = new boolean[n];
        int[] keep = new int[Math.min(n, maxDetections)];
        int kept = 0;
        for (int a = 0; a < n && kept < keep.length; a++) {
            if (suppressed[a]) {
                continue;
            }
            int i = order[a];
            keep[kept++] = i;
            for (int b = a + 1; b < n; b++) {
                if (suppressed[b]) {
                    continue;
                }
                int j = order[b];
                if ((classAgnostic || classes[i] == classes[j]) && iou(boxes, i, j) > iouThreshold) {
                    suppressed[b] = true;
                }
            }
        }
        return Arrays.copyOf(keep, kept);
    }

    /**
     * The indices of the {@code limit} best scores, by descending score; exact ties by lower index,
     * NaN last.
     */
    public static int[] rank(float[] scores, int count, int limit) {
        if (count < 0 || count > scores.length) {
            throw new IllegalArgumentException("count " + count + " outside 0.." + scores.length);
        }
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) {
            keys[i] = ((long) descendingKey(scores[i]) << 32) | i;
        }
        Arrays.sort(keys);
        int n = Math.min(count, Math.max(0, limit));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    /** IoU of candidates i and j; 0 for disjoint, degenerate or NaN boxes. */
    static float iou(float[] b, int i, int j) {
        float ax1 = b[4 * i];
        float ay1 = b[4 * i + 1];
        float ax2 = b[4 * i + 2];
        float ay2 = b[4 * i + 3];
        float bx1 = b[4 * j];
        float by1 = b[4 * j + 1];
        float bx2 = b[4 * j + 2];
        float by2 = b[4 * j + 3];
        float iw = Math.min(ax2, bx2) - Math.max(ax1, bx1);
        float ih = Math.min(ay2, by2) - Math.max(ay1, by1);
        if (!(iw > 0f) || !(ih > 0f)) {
            return 0f;
        }
        float inter = iw * ih;
        float union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter;
        return union > 0f ? inter / union : 0f;
    }

    /** An int that sorts ascending as the score sorts descending; NaN after everything. */
    private static int descendingKey(float score) {
        if (Float.isNaN(score)) {
            return Integer.MAX_VALUE;
        }
        int bits = Float.floatToIntBits(score == 0f ? 0f : score); // -0.0 ties with 0.0
        int ascending = bits >= 0 ? bits : bits ^ 0x7fffffff;
        return ~ascending;
    }

    private static void checkArrays(float[] boxes, float[] scores, int[] classes, int count) {
        if (count < 0 || boxes.length < 4L * count || scores.length < count || classes.length < count) {
            throw new IllegalArgumentException("NMS arrays too short for " + count + " candidates: boxes "
                    + boxes.length + ", scores " + scores.length + ", classes " + classes.length);
        }
    }
}
