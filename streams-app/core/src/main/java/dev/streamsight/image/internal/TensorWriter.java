package dev.streamsight.image.internal;

import dev.streamsight.image.ChannelOrder;
import dev.streamsight.image.PreprocessSpec;
import dev.streamsight.image.TensorLayout;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Turns resampled RGB rows plus padding into one W x H x 3 tensor slot: channel reorder,
 * normalisation, NCHW or NHWC, float32 or float16.
 *
 * <p>Every value is {@link #normalise}{@code (sample, scale, mean[c], std[c])} evaluated in float
 * with exactly that expression; padding uses the sample {@link Placement#padSample}. float16
 * values are {@link Float#floatToFloat16} of the float32 values, so both paths agree by
 * construction. The NCHW float32 row loop is plain float arithmetic over a contiguous {@code int}
 * row, which C2 vectorises (a lookup table would be a gather, which it does not).
 *
 * <p>Use: {@link #padFloat}/{@link #padHalf} once per image for everything outside the resampled
 * window, then {@link #rowFloat}/{@link #rowHalf} for each window row ({@link Resampler.RowSink}). Immutable and thread-safe;
 * rows are staged in caller-provided (per-thread) arrays and stored with bulk absolute puts,
 * leaving the buffer's position and limit alone.
 */
final class TensorWriter {
    private final int width;
    private final int height;
    private final boolean nchw;
    private final float scale;
    /** Per tensor channel c. */
    private final float[] mean;
    private final float[] std;
    /** Window channel (R=0, G=1, B=2) feeding tensor channel c. */
    private final int[] sourceChannel;
    /** A full tensor row of padding: NCHW channel c at [c * W, (c + 1) * W); NHWC interleaved. */
    private final float[] padRow;
    private final short[] padRowHalf;

    TensorWriter(PreprocessSpec spec) {
        this.width = spec.width();
        this.height = spec.height();
        this.nchw = spec.layout() == TensorLayout.NCHW;
        this.scale = spec.scale();
        this.mean = spec.mean().clone();
        this.std = spec.std().clone();
        this.sourceChannel = spec.channels() == ChannelOrder.RGB ? new int[] {0, 1, 2} : new int[] {2, 1, 0};
        float pad = Placement.padSample(spec);
        padRow = new float[3 * width];
        padRowHalf = new short[3 * width];
        for (int c = 0; c < 3; c++) {
            float v = normalise(pad, scale, mean[c], std[c]);
            for (int x = 0; x < width; x++) {
                padRow[nchw ? c * width + x : 3 * x + c] = v;
            }
        }
        for (int i = 0; i < padRow.length; i++) {
            padRowHalf[i] = Float.floatToFloat16(padRow[i]);
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

    /** Where padding goes: {@code put(tensorIndex, padRowOffset, length)}. */
    @FunctionalInterface
    private interface PadRun {
        void put(int index, int from, int length);
    }

    /** Writes float32 padding everywhere outside the window {@code [tx0, tx0 + ww) x [ty0, ty0 + wh)}. */
    void padFloat(FloatBuffer out, int offset, int tx0, int ty0, int ww, int wh) {
        pad(offset, tx0, ty0, ww, wh, (index, from, length) -> out.put(index, padRow, from, length));
    }

    /** Writes float16 padding everywhere outside the window. */
    void padHalf(ShortBuffer out, int offset, int tx0, int ty0, int ww, int wh) {
        pad(offset, tx0, ty0, ww, wh, (index, from, length) -> out.put(index, padRowHalf, from, length));
    }

    private void pad(int offset, int tx0, int ty0, int ww, int wh, PadRun run) {
        int channels = nchw ? 1 : 3; // values per pixel in one row run
        for (int plane = 0; plane < (nchw ? 3 : 1); plane++) {
            int from = nchw ? plane * width : 0;
            for (int y = 0; y < height; y++) {
                int rowStart = offset + ((plane * height + y) * width) * channels;
                if (y < ty0 || y >= ty0 + wh || ww <= 0) {
                    run.put(rowStart, from, width * channels);
                    continue;
                }
                if (tx0 > 0) {
                    run.put(rowStart, from, tx0 * channels);
                }
                int right = tx0 + ww;
                if (right < width) {
                    run.put(rowStart + right * channels, from + right * channels, (width - right) * channels);
                }
            }
        }
    }

    /**
     * Writes one window row (samples 0..255 of R, G and B in {@code [0, ww)} of {@code r}, {@code g},
     * {@code b}) as float32 to tensor row {@code ty}, columns {@code [tx0, tx0 + ww)}. {@code
     * staging} holds at least {@code 3 * ww} floats.
     */
    void rowFloat(int[] r, int[] g, int[] b, int ww, int tx0, int ty, FloatBuffer out, int offset,
            float[] staging) {
        if (nchw) {
            for (int c = 0; c < 3; c++) {
                normalise(channel(c, r, g, b), ww, c, staging);
                out.put(offset + (c * height + ty) * width + tx0, staging, 0, ww);
            }
        } else {
            normaliseInterleaved(r, g, b, ww, staging);
            out.put(offset + (ty * width + tx0) * 3, staging, 0, 3 * ww);
        }
    }

    /** {@link #rowFloat} for float16: {@link Float#floatToFloat16} of the same values. */
    void rowHalf(int[] r, int[] g, int[] b, int ww, int tx0, int ty, ShortBuffer out, int offset,
            float[] staging, short[] halves) {
        if (nchw) {
            for (int c = 0; c < 3; c++) {
                normalise(channel(c, r, g, b), ww, c, staging);
                toHalf(staging, halves, ww);
                out.put(offset + (c * height + ty) * width + tx0, halves, 0, ww);
            }
        } else {
            normaliseInterleaved(r, g, b, ww, staging);
            toHalf(staging, halves, 3 * ww);
            out.put(offset + (ty * width + tx0) * 3, halves, 0, 3 * ww);
        }
    }

    /** The window row feeding tensor channel {@code c}. */
    private int[] channel(int c, int[] r, int[] g, int[] b) {
        return switch (sourceChannel[c]) {
            case 0 -> r;
            case 1 -> g;
            default -> b;
        };
    }

    /** Tensor channel {@code c} of the row into {@code dst[0, ww)}. */
    private void normalise(int[] samples, int ww, int c, float[] dst) {
        float sc = scale;
        float m = mean[c];
        float sd = std[c];
        for (int x = 0; x < ww; x++) {
            dst[x] = normalise(samples[x], sc, m, sd);
        }
    }

    /** All channels of the row, interleaved in tensor channel order, into {@code dst[0, 3 * ww)}. */
    private void normaliseInterleaved(int[] r, int[] g, int[] b, int ww, float[] dst) {
        for (int c = 0; c < 3; c++) {
            int[] samples = channel(c, r, g, b);
            float sc = scale;
            float m = mean[c];
            float sd = std[c];
            for (int x = 0; x < ww; x++) {
                dst[3 * x + c] = normalise(samples[x], sc, m, sd);
            }
        }
    }

    private static void toHalf(float[] values, short[] halves, int n) {
        for (int i = 0; i < n; i++) {
            halves[i] = Float.floatToFloat16(values[i]);
        }
    }
}
