package dev.streamsight.postprocess.internal;

import dev.streamsight.postprocess.DetectionDecoderSpec;
import dev.streamsight.postprocess.DetectionFormat;
import dev.streamsight.postprocess.OutputTensor;
import java.util.List;

/**
 * Ultralytics YOLOv8 / YOLO11 / YOLOv9 head, {@code [4+C, N]}: row {@code a} holds attribute
 * {@code a} of all N anchors; rows 0..3 are {@code cx, cy, w, h} in input pixels, already decoded by
 * the graph's DFL + {@code dist2bbox}; rows {@code 4..4+C-1} are sigmoid class scores; no objectness.
 * As in Ultralytics {@code ops.non_max_suppression}: score = best class
 * ({@code x[:, 4:mi].amax(1) > conf_thres}), boxes via {@code xywh2xyxy}, then NMS.
 *
 * <p>A transposed export {@code [N, 4+C]} is accepted when its first dimension is the larger (N is
 * 8400 for 640 input, C rarely above a few hundred). {@code scoresAreLogits} applies a sigmoid;
 * {@code boxesNormalized} multiplies x and w by the input width, y and h by the input height.
 *
 * <p>Channel-major scores are scanned class by class over contiguous rows (cache-friendly) keeping a
 * running best per anchor; boxes are only read for anchors whose best score reaches the threshold.
 * Immutable and thread-safe.
 */
public final class Yolov8Decoder extends BaseDecoder {
    public Yolov8Decoder(DetectionDecoderSpec spec) {
        super(spec);
    }

    @Override
    protected void collect(List<OutputTensor> outputs, int w, int h, float threshold, Candidates out) {
        OutputTensor t = Shapes.first(outputs, DetectionFormat.YOLOV8);
        int[] m = Shapes.matrix(t, DetectionFormat.YOLOV8, "[4+C, N] (or transposed [N, 4+C])");
        boolean transposed = m[0] > m[1];
        int attrs = transposed ? m[1] : m[0];
        int n = transposed ? m[0] : m[1];
        if (attrs < 5) {
            throw new IllegalArgumentException("YOLOV8 expects output " + t.name()
                    + " of shape [4+C, N] with at least one class but the attribute dimension is " + attrs
                    + " (shape " + java.util.Arrays.toString(t.shape()) + ")");
        }
        int classes = attrs - 4;
        float[] d = t.data();
        boolean logits = spec.scoresAreLogits();
        float sx = spec.boxesNormalized() ? w : 1f;
        float sy = spec.boxesNormalized() ? h : 1f;
        if (!transposed) {
            float[] best = new float[n];
            int[] bestClass = new int[n];
            System.arraycopy(d, 4 * n, best, 0, n);
            for (int c = 1; c < classes; c++) {
                int base = (4 + c) * n;
                for (int i = 0; i < n; i++) {
                    float v = d[base + i];
                    if (v > best[i] || Float.isNaN(best[i])) {
                        best[i] = v;
                        bestClass[i] = c;
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                float s = Activations.score(best[i], logits);
                if (s >= threshold) {
                    out.addCenter(d[i] * sx, d[n + i] * sy, d[2 * n + i] * sx, d[3 * n + i] * sy,
                            s, bestClass[i]);
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                int row = i * attrs;
                int bc = 0;
                float bv = d[row + 4];
                for (int c = 1; c < classes; c++) {
                    float v = d[row + 4 + c];
                    if (v > bv || Float.isNaN(bv)) {
                        bv = v;
                        bc = c;
                    }
                }
                float s = Activations.score(bv, logits);
                if (s >= threshold) {
                    out.addCenter(d[row] * sx, d[row + 1] * sy, d[row + 2] * sx, d[row + 3] * sy, s, bc);
                }
            }
        }
    }
}
