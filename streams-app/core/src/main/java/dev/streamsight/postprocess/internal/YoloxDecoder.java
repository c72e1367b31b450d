package dev.streamsight.postprocess.internal;

import dev.streamsight.postprocess.DetectionDecoderSpec;
import dev.streamsight.postprocess.DetectionFormat;
import dev.streamsight.postprocess.OutputTensor;
import java.util.Arrays;
import java.util.List;

/**
 * YOLOX raw head {@code [N, 5+C]} (exported with {@code decode_in_inference=False}), decoded as in
 * YOLOX {@code yolox/utils/demo_utils.py demo_postprocess}: levels in stride order (default 8, 16,
 * 32), each a row-major grid ({@code x} fastest) of {@code ceil(H/s) x ceil(W/s)} cells, and for the
 * row of cell {@code (gx, gy)} at stride {@code s}:
 * {@code cx = (p0 + gx)*s, cy = (p1 + gy)*s, w = exp(p2)*s, h = exp(p3)*s}. p4 is objectness and
 * p5.. are class scores, both already sigmoid in standard exports ({@code scoresAreLogits} applies
 * one); score = {@code obj * best cls} as in {@code yolox/utils/boxes.py postprocess}.
 *
 * <p>N must equal the grid's cell count, otherwise the strides or input size do not match the model
 * and an {@link IllegalArgumentException} names both numbers. Immutable and thread-safe.
 */
public final class YoloxDecoder extends BaseDecoder {
    private final int[] strides;

    public YoloxDecoder(DetectionDecoderSpec spec) {
        super(spec);
        this.strides = spec.strides();
    }

    @Override
    protected void collect(List<OutputTensor> outputs, int w, int h, float threshold, Candidates out) {
        OutputTensor t = Shapes.first(outputs, DetectionFormat.YOLOX);
        int[] m = Shapes.matrix(t, DetectionFormat.YOLOX, "[N, 5+C]");
        int n = m[0];
        int attrs = m[1];
        if (attrs < 6) {
            throw new IllegalArgumentException("YOLOX expects output " + t.name()
                    + " of shape [N, 5+C] with at least one class but it has shape " + Arrays.toString(t.shape()));
        }
        int expected = Shapes.totalCells(w, h, strides);
        if (n != expected) {
            throw new IllegalArgumentException("YOLOX output " + t.name() + " has " + n + " rows (shape "
                    + Arrays.toString(t.shape()) + ") but a " + w + "x" + h + " input with strides "
                    + Arrays.toString(strides) + " gives " + expected + " grid cells");
        }
        float[] d = t.data();
        boolean logits = spec.scoresAreLogits();
        int row = 0;
        for (int s : strides) {
            int gw = Shapes.gridSize(w, s);
            int gh = Shapes.gridSize(h, s);
            for (int gy = 0; gy < gh; gy++) {
                for (int gx = 0; gx < gw; gx++, row++) {
                    int r = row * attrs;
                    float obj = Activations.score(d[r + 4], logits);
                    if (!(obj >= threshold)) {
                        continue;
                    }
                    int bc = 0;
                    float bv = d[r + 5];
                    for (int c = 6; c < attrs; c++) {
                        float v = d[r + c];
                        if (v > bv || Float.isNaN(bv)) {
                            bv = v;
                            bc = c - 5;
                        }
                    }
                    float score = obj * Activations.score(bv, logits);
                    if (score >= threshold) {
                        float cx = (d[r] + gx) * s;
                        float cy = (d[r + 1] + gy) * s;
                        float bw = (float) Math.exp(d[r + 2]) * s;
                        float bh = (float) Math.exp(d[r + 3]) * s;
                        out.addCenter(cx, cy, bw, bh, score, bc);
                    }
                }
            }
        }
    }
}
