package dev.streamsight.postprocess.internal;

import dev.streamsight.postprocess.DetectionDecoderSpec;
import dev.streamsight.postprocess.DetectionFormat;
import dev.streamsight.postprocess.OutputTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NanoDet generalized-focal-loss head (RangiLyu/nanodet). Accepted output sets, matched by shape and
 * never by name:
 * <ul>
 *   <li>one output {@code [N, C + 4*(regMax+1)]}: the NanoDet-Plus / NanoDet v1 export
 *       ({@code _forward_onnx}: sigmoid cls and raw reg concatenated per point, levels in stride
 *       order), C inferred from the width;</li>
 *   <li>two outputs {@code [N, C]} and {@code [N, 4*(regMax+1)]} covering all levels;</li>
 *   <li>{@code 2 x levels} outputs, per level a cls {@code [n, C]} and a reg
 *       {@code [n, 4*(regMax+1)]} with {@code n = ceil(H/s)*ceil(W/s)} (the older NanoDet-m export,
 *       e.g. the OpenCV Zoo {@code object_detection_nanodet_2022nov.onnx}), in any order. A level's two
 *       outputs are told apart by width; if C happens to equal {@code 4*(regMax+1)} the first of the
 *       pair in output order is the cls one, as in OpenCV Zoo's {@code preds[::2], preds[1::2]}.</li>
 * </ul>
 *
 * <p>Decoding ({@code gfl_head.py}: {@code Integral}, {@code distance2bbox}): for each side
 * (left, top, right, bottom) a softmax over the {@code regMax+1} bins, the expectation
 * {@code sum j*p_j}, times the stride; box = {@code (cx-l, cy-t, cx+r, cy+b)}, clamped to the input.
 * cls scores are already sigmoid in the exports ({@code scoresAreLogits} applies one); score = best
 * class. Grids are row-major per level, {@code ceil} sized (as {@code get_bboxes}).
 *
 * <p>Point centres differ between the two heads, and the spec has no field for them, so they are
 * inferred from the level count: NanoDet-Plus ({@code nanodet_plus_head.py
 * get_single_level_center_priors}, always the four strides 8/16/32/64) puts the point at
 * {@code (gx*s, gy*s)}; the original GFL head of NanoDet / NanoDet-m ({@code gfl_head.py
 * get_single_level_center_point}, three strides 8/16/32) at {@code ((gx+0.5)*s, (gy+0.5)*s)}. So:
 * offset 0 with four or more strides, 0.5 otherwise. (OpenCV Zoo and hpc203's demos use
 * {@code gx*s + (s-1)/2}, half a pixel from upstream.)
 *
 * <p>Distances are only computed for points whose best class reaches the threshold. Immutable and
 * thread-safe.
 */
public final class NanoDetDecoder extends BaseDecoder {
    private final int[] strides;
    private final int bins;
    private final float centerOffset;

    public NanoDetDecoder(DetectionDecoderSpec spec) {
        super(spec);
        this.strides = spec.strides();
        this.bins = spec.regMax() + 1;
        this.centerOffset = strides.length >= 4 ? 0f : 0.5f;
    }

    /** The grid-centre offset in cells used for this spec (0 for NanoDet-Plus, 0.5 otherwise). */
    public float centerOffset() {
        return centerOffset;
    }

    /** Where one level's rows live: a matrix's data, first row, row width, first column. */
    private record Part(float[] data, int firstRow, int width, int column) {
    }

    @Override
    protected void collect(List<OutputTensor> outputs, int w, int h, float threshold, Candidates out) {
        if (outputs == null || outputs.isEmpty()) {
            throw new IllegalArgumentException("NANODET expects 1, 2 or " + 2 * strides.length
                    + " outputs but got none");
        }
        int regCols = 4 * bins;
        int levels = strides.length;
        int[] cells = new int[levels];
        for (int l = 0; l < levels; l++) {
            cells[l] = Shapes.cells(w, h, strides[l]);
        }
        int total = Shapes.totalCells(w, h, strides);
        Part[] cls = new Part[levels];
        Part[] reg = new Part[levels];
        int classes;
        if (outputs.size() == 1) {
            OutputTensor t = outputs.get(0);
            int[] m = Shapes.matrix(t, DetectionFormat.NANODET, "[N, C+" + regCols + "]");
            if (m[0] != total || m[1] <= regCols) {
                throw new IllegalArgumentException("NANODET output " + t.name() + " has shape "
                        + Arrays.toString(t.shape()) + " but a " + w + "x" + h + " input with strides "
                        + Arrays.toString(strides) + " and regMax " + spec.regMax() + " needs [" + total
                        + ", C+" + regCols + "] with C >= 1");
            }
            classes = m[1] - regCols;
            int row = 0;
            for (int l = 0; l < levels; l++) {
                cls[l] = new Part(t.data(), row, m[1], 0);
                reg[l] = new Part(t.data(), row, m[1], classes);
                row += cells[l];
            }
        } else if (outputs.size() == 2 || outputs.size() == 2 * levels) {
            classes = matchPairs(outputs, w, h, cells, total, regCols, cls, reg);
        } else {
            throw new IllegalArgumentException("NANODET expects 1 concatenated output, 2 (cls, reg) or "
                    + 2 * levels + " (cls and reg per level for strides " + Arrays.toString(strides)
                    + ") but got " + outputs.size() + ": " + describe(outputs));
        }
        decodeLevels(w, h, threshold, classes, cells, cls, reg, out);
    }

    private int matchPairs(List<OutputTensor> outputs, int w, int h, int[] cells, int total, int regCols,
            Part[] cls, Part[] reg) {
        int levels = strides.length;
        int[][] dims = new int[outputs.size()][];
        for (int i = 0; i < outputs.size(); i++) {
            dims[i] = Shapes.matrix(outputs.get(i), DetectionFormat.NANODET, "[n, C] or [n, " + regCols + "]");
        }
        boolean allLevelsInOne = outputs.size() == 2 && dims[0][0] == total && dims[1][0] == total;
        int groups = allLevelsInOne ? 1 : levels;
        boolean[] used = new boolean[outputs.size()];
        int classes = -1;
        for (int g = 0; g < groups; g++) {
            int rows = allLevelsInOne ? total : cells[g];
            List<Integer> found = new ArrayList<>(2);
            for (int i = 0; i < outputs.size(); i++) {
                if (!used[i] && dims[i][0] == rows) {
                    found.add(i);
                }
            }
            if (found.size() != 2) {
                throw new IllegalArgumentException("NANODET expects two outputs with " + rows + " rows"
                        + (allLevelsInOne ? "" : " for stride " + strides[g]) + " (" + w + "x" + h
                        + " input, strides " + Arrays.toString(strides) + ") but found " + found.size()
                        + " among " + describe(outputs));
            }
            int a = found.get(0);
            int b = found.get(1);
            int regIndex;
            if (dims[b][1] == regCols) {
                regIndex = b; // also the tie rule: first of the pair is cls
            } else if (dims[a][1] == regCols) {
                regIndex = a;
            } else {
                throw new IllegalArgumentException("NANODET expects a reg output [" + rows + ", " + regCols
                        + "] (regMax " + spec.regMax() + ") but found " + describe(outputs));
            }
            int clsIndex = regIndex == a ? b : a;
            int c = dims[clsIndex][1];
            if (classes != -1 && c != classes) {
                throw new IllegalArgumentException("NANODET cls outputs disagree on the class count ("
                        + classes + " vs " + c + "): " + describe(outputs));
            }
            classes = c;
            used[a] = true;
            used[b] = true;
            float[] cd = outputs.get(clsIndex).data();
            float[] rd = outputs.get(regIndex).data();
            if (allLevelsInOne) {
                int row = 0;
                for (int l = 0; l < levels; l++) {
                    cls[l] = new Part(cd, row, c, 0);
                    reg[l] = new Part(rd, row, regCols, 0);
                    row += cells[l];
                }
            } else {
                cls[g] = new Part(cd, 0, c, 0);
                reg[g] = new Part(rd, 0, regCols, 0);
            }
        }
        return classes;
    }

    private void decodeLevels(int w, int h, float threshold, int classes, int[] cells, Part[] cls,
            Part[] reg, Candidates out) {
        boolean logits = spec.scoresAreLogits();
        float[] dist = new float[4];
        for (int l = 0; l < strides.length; l++) {
            int s = strides[l];
            int gw = Shapes.gridSize(w, s);
            Part cp = cls[l];
            Part rp = reg[l];
            for (int i = 0; i < cells[l]; i++) {
                int cr = (cp.firstRow + i) * cp.width + cp.column;
                int bc = 0;
                float bv = cp.data[cr];
                for (int c = 1; c < classes; c++) {
                    float v = cp.data[cr + c];
                    if (v > bv || Float.isNaN(bv)) {
                        bv = v;
                        bc = c;
                    }
                }
                float score = Activations.score(bv, logits);
                if (!(score >= threshold)) {
                    continue;
                }
                int rr = (rp.firstRow + i) * rp.width + rp.column;
                for (int side = 0; side < 4; side++) {
                    dist[side] = expectation(rp.data, rr + side * bins) * s;
                }
                float cx = (i % gw + centerOffset) * s;
                float cy = (i / gw + centerOffset) * s;
                out.add(clamp(cx - dist[0], w), clamp(cy - dist[1], h),
                        clamp(cx + dist[2], w), clamp(cy + dist[3], h), score, bc);
            }
        }
    }

    /** {@code sum j * softmax(x)_j} over the bins starting at {@code from} (max-subtracted). */
    private float expectation(float[] x, int from) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < bins; j++) {
            max = Math.max(max, x[from + j]);
        }
        double sum = 0;
        double weighted = 0;
        for (int j = 0; j < bins; j++) {
            double e = Math.exp(x[from + j] - max);
            sum += e;
            weighted += j * e;
        }
        return (float) (weighted / sum);
    }

    private static float clamp(float v, int max) {
        return Math.max(0f, Math.min(max, v));
    }

    private static String describe(List<OutputTensor> outputs) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < outputs.size(); i++) {
            OutputTensor t = outputs.get(i);
            sb.append(i == 0 ? "" : ", ").append(t.name()).append(' ').append(Arrays.toString(t.shape()));
        }
        return sb.append(']').toString();
    }
}
