package dev.streamsight.image.internal;

import dev.streamsight.image.ChannelOrder;
import dev.streamsight.image.PreprocessSpec;
import dev.streamsight.image.TensorLayout;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;

/**
 * Turns a resampled RGB window plus padding into one W x H x 3 tensor slot: channel reorder,
 * normalisation through per-channel lookup tables, NCHW or NHWC, float32 or float16.
 *
 * <p>Table entry {@code c * 257 + v} holds {@code (v * scale - mean[c]) / std[c]} for sample {@code
 * v} of tensor channel c, evaluated once in float with exactly that expression; entry {@code c *
 * 257 + 256} holds the padding sample ({@link Placement#padSample}) through the same formula. The
 * float16 table is {@link Float#floatToFloat16} of the float table, so both paths agree by
 * construction.
 *
 * <p>Immutable and thread-safe; rows are staged in per-thread {@link Scratch} arrays and stored
 * with bulk absolute puts, leaving the buffer's position and limit alone.
 */
final class TensorWriter {
    private static final int PAD = 256;
    private static final int STRIDE = 257;

    private final int width;
    private final int height;
    private final boolean nchw;
    /** RGB channel feeding tensor channel c. */
    private final int[] sourceChannel;
    private final float[] floatTable = new float[3 * STRIDE];
    private final short[] halfTable = new short[3 * STRIDE];

    TensorWriter(PreprocessSpec spec) {
        this.width = spec.width();
        this.height = spec.height();
        this.nchw = spec.layout() == TensorLayout.NCHW;
        this.sourceChannel = spec.channels() == ChannelOrder.RGB ? new int[] {0, 1, 2} : new int[] {2, 1, 0};
        float[] mean = spec.mean();
        float[] std = spec.std();
        float pad = Placement.padSample(spec);
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                floatTable[c * STRIDE + v] = normalise(v, spec.scale(), mean[c], std[c]);
            }
            floatTable[c * STRIDE + PAD] = normalise(pad, spec.scale(), mean[c], std[c]);
        }
        for (int i = 0; i < floatTable.length; i++) {
            halfTable[i] = Float.floatToFloat16(floatTable[i]);
        }
    }

    /** Elements in one image slot: 3 * W * H. */
    int elements() {
        return 3 * width * height;
    }

    /** The spec's formula, in float: {@code (sample * scale - mean) / std}. */
    static float normalise(float sample, float scale, float mean, float std) {
        return (sample * scale - mean) / std;
    }

    /**
     * Writes float32 values. {@code window} holds {@code ww x wh} resampled RGB pixels that go to
     * tensor pixels {@code [tx0, tx0 + ww) x [ty0, ty0 + wh)}; every other pixel is padding.
     */
    void writeFloat(byte[] window, int ww, int wh, int tx0, int ty0, FloatBuffer out, int offset,
            Scratch scratch) {
        int rowLen = nchw ? width : 3 * width;
        int[] idx = scratch.index(rowLen);
        float[] row = scratch.floats(rowLen);
        float[] table = floatTable;
        for (int plane = 0; plane < (nchw ? 3 : 1); plane++) {
            for (int y = 0; y < height; y++) {
                fillIndices(idx, plane, y, window, ww, wh, tx0, ty0);
                for (int i = 0; i < rowLen; i++) {
                    row[i] = table[idx[i]];
                }
                out.put(offset + (plane * height + y) * rowLen, row, 0, rowLen);
            }
        }
    }

    /** Writes float16 values: {@link Float#floatToFloat16} of what {@link #writeFloat} writes. */
    void writeHalf(byte[] window, int ww, int wh, int tx0, int ty0, ShortBuffer out, int offset,
            Scratch scratch) {
        int rowLen = nchw ? width : 3 * width;
        int[] idx = scratch.index(rowLen);
        short[] row = scratch.halves(rowLen);
        short[] table = halfTable;
        for (int plane = 0; plane < (nchw ? 3 : 1); plane++) {
            for (int y = 0; y < height; y++) {
                fillIndices(idx, plane, y, window, ww, wh, tx0, ty0);
                for (int i = 0; i < rowLen; i++) {
                    row[i] = table[idx[i]];
                }
                out.put(offset + (plane * height + y) * rowLen, row, 0, rowLen);
            }
        }
    }

    /**
     * Table indices of one staged row: NCHW plane {@code plane} (a tensor channel) of row {@code
     * y}, or for NHWC all channels of row {@code y} interleaved.
     */
    private void fillIndices(int[] idx, int plane, int y, byte[] window, int ww, int wh, int tx0, int ty0) {
        int wy = y - ty0;
        boolean inside = wy >= 0 && wy < wh;
        if (nchw) {
            int base = plane * STRIDE;
            if (!inside) {
                Arrays.fill(idx, 0, width, base + PAD);
                return;
            }
            Arrays.fill(idx, 0, tx0, base + PAD);
            int p = wy * ww * 3 + sourceChannel[plane];
            for (int x = tx0; x < tx0 + ww; x++, p += 3) {
                idx[x] = base + (window[p] & 0xFF);
            }
            Arrays.fill(idx, tx0 + ww, width, base + PAD);
            return;
        }
        int c0 = sourceChannel[0];
        int c1 = sourceChannel[1];
        int c2 = sourceChannel[2];
        int x = 0;
        if (inside) {
            for (; x < tx0; x++) {
                padPixel(idx, 3 * x);
            }
            int q = wy * ww * 3;
            for (; x < tx0 + ww; x++, q += 3) {
                int o = 3 * x;
                idx[o] = window[q + c0] & 0xFF;
                idx[o + 1] = STRIDE + (window[q + c1] & 0xFF);
                idx[o + 2] = 2 * STRIDE + (window[q + c2] & 0xFF);
            }
        }
        for (; x < width; x++) {
            padPixel(idx, 3 * x);
        }
    }

    private static void padPixel(int[] idx, int o) {
        idx[o] = PAD;
        idx[o + 1] = STRIDE + PAD;
        idx[o + 2] = 2 * STRIDE + PAD;
    }
}
