package dev.streamsight.postprocess.internal;

import dev.streamsight.postprocess.DetectionDecoderSpec;
import dev.streamsight.postprocess.DetectionFormat;
import dev.streamsight.postprocess.OutputTensor;
import java.util.Arrays;
import java.util.List;

/**
 * YOLOv5 / YOLOv7 {@code [N, 5+C]} with the grid already applied in the graph: per row
 * {@code cx, cy, w, h} (input pixels), objectness, C class probabilities. As in YOLOv5
 * {@code utils/general.py non_max_suppression}: {@code conf = obj_conf * cls_conf}, best class only
 * (the {@code multi_label=False} path), {@code xywh2xyxy}, then NMS. Rows whose objectness is below
 * the threshold are skipped before the classes are read, since {@code obj * cls <= obj}
 * (YOLOv5 does the same with {@code xc = prediction[..., 4] > conf_thres}).
 *
 * <p>{@code scoresAreLogits} applies a sigmoid to objectness and classes; {@code boxesNormalized}
 * multiplies by the input size. Immutable and thread-safe.
 */
public final class Yolov5Decoder extends BaseDecoder {
    public Yolov5Decoder(DetectionDecoderSpec spec) {
        super(spec);
    }

    @Override
    protected void collect(List<OutputTensor> outputs, int w, int h, float threshold, Candidates out) {
        OutputTensor t = Shapes.first(outputs, DetectionFormat.YOLOV5);
        int[] m = Shapes.matrix(t, DetectionFormat.YOLOV5, "[N, 5+C]");
        int n = m[0];
        int attrs = m[1];
        if (attrs < 6) {
            throw new IllegalArgumentException("YOLOV5 expects output " + t.name()
                    + " of shape [N, 5+C] with at least one class but it has shape " + Arrays.toString(t.shape()));
        }
        float[] d = t.data();
        boolean logits = spec.scoresAreLogits();
        float sx = spec.boxesNormalized() ? w : 1f;
        float sy = spec.boxesNormalized() ? h : 1f;
        for (int i = 0; i < n; i++) {
            int row = i * attrs;
            float obj = Activations.score(d[row + 4], logits);
            if (!(obj >= threshold)) {
                continue;
            }
            int bc = 0;
            float bv = d[row + 5];
            for (int c = 6; c < attrs; c++) {
                float v = d[row + c];
                if (v > bv || Float.isNaN(bv)) {
                    bv = v;
                    bc = c - 5;
                }
            }
            float s = obj * Activations.score(bv, logits);
            if (s >= threshold) {
                out.addCenter(d[row] * sx, d[row + 1] * sy, d[row + 2] * sx, d[row + 3] * sy, s, bc);
            }
        }
    }
}
