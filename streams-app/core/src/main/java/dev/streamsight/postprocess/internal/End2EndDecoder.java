package dev.streamsight.postprocess.internal;

import dev.streamsight.postprocess.DetectionDecoderSpec;
import dev.streamsight.postprocess.DetectionFormat;
import dev.streamsight.postprocess.OutputTensor;
import java.util.Arrays;
import java.util.List;

/**
 * NMS-free exports whose graph already selected the boxes, corners in input pixels:
 * <ul>
 *   <li>{@code [K, 6]}: {@code x1, y1, x2, y2, score, class}, the Ultralytics end-to-end layout
 *       (YOLOv10 {@code v10postprocess}, YOLO26 and {@code end2end=True} exports, K = max_det = 300,
 *       zero-score padding rows);</li>
 *   <li>{@code [K, 7]}: {@code batch_id, x1, y1, x2, y2, class, score}, the YOLOv7
 *       {@code export.py --end2end --max-wh} ONNX-Runtime NMS layout ({@code ORT_NMS} in
 *       {@code models/experimental.py}). Note the class comes before the score here. The tensor has
 *       no batch dimension of its own; the engine must run such an export at batch 1 (all rows are
 *       taken as this image's).</li>
 * </ul>
 * Other widths are rejected. No NMS is run; the score threshold, the sort and
 * {@code maxDetections} still apply. Rows whose class is negative or not a number (padding) are
 * skipped. {@code scoresAreLogits} applies a sigmoid to the score, {@code boxesNormalized} scales the
 * corners by the input size. Immutable and thread-safe.
 */
public final class End2EndDecoder extends BaseDecoder {
    public End2EndDecoder(DetectionDecoderSpec spec) {
        super(spec);
    }

    @Override
    protected boolean needsNms() {
        return false;
    }

    @Override
    protected void collect(List<OutputTensor> outputs, int w, int h, float threshold, Candidates out) {
        OutputTensor t = Shapes.first(outputs, DetectionFormat.END2END);
        long[] shape = t.shape();
        int[] m = Shapes.matrix(t, DetectionFormat.END2END, "[K, 6] or [K, 7]");
        int k = m[0];
        int cols = m[1];
        int box;
        int scoreCol;
        int classCol;
        if (cols == 6) {
            box = 0;
            scoreCol = 4;
            classCol = 5;
        } else if (cols == 7) {
            box = 1;
            classCol = 5;
            scoreCol = 6;
        } else {
            throw new IllegalArgumentException("END2END expects output " + t.name()
                    + " of shape [K, 6] (x1,y1,x2,y2,score,class) or [K, 7] (batch,x1,y1,x2,y2,class,score)"
                    + " but it has shape " + Arrays.toString(shape));
        }
        float[] d = t.data();
        boolean logits = spec.scoresAreLogits();
        float sx = spec.boxesNormalized() ? w : 1f;
        float sy = spec.boxesNormalized() ? h : 1f;
        for (int i = 0; i < k; i++) {
            int r = i * cols;
            float score = Activations.score(d[r + scoreCol], logits);
            float cls = d[r + classCol];
            if (!(score >= threshold) || !(cls >= 0f) || cls > Integer.MAX_VALUE) {
                continue;
            }
            out.add(d[r + box] * sx, d[r + box + 1] * sy, d[r + box + 2] * sx, d[r + box + 3] * sy,
                    score, Math.round(cls));
        }
    }
}
