package dev.streamsight.image.internal;

import dev.streamsight.image.Interpolation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Separable, antialiased resampling of interleaved 8-bit RGB that reproduces Pillow's
 * {@code Image.resize(size, NEAREST | BILINEAR | BICUBIC)} byte for byte (the path torchvision's
 * {@code Resize} takes for PIL images).
 *
 * <p>As in Pillow's {@code ImagingResampleInner}: a horizontal pass over the source rows the
 * vertical filter needs, rounded and clipped to 8 bits, then a vertical pass. Integer arithmetic
 * with {@link ResampleKernel#PRECISION_BITS} fractional bits, rounding bias {@code 1 << 21}, clip
 * to 0..255 ({@code clip8}). Integer sums do not depend on the order of their terms, so the loops
 * below may differ from Pillow's as long as they add the same products; an axis whose size does
 * not change is a one-tap identity (see {@link ResampleKernel#span}), which gives the same values
 * as Pillow skipping that pass.
 *
 * <p>{@link #resample} computes only a rectangle of the resized image with the taps of the full
 * resize, so a centre crop costs only its own pixels and gives the same values as resizing
 * everything and cropping afterwards. It hands the window to a {@link RowSink} row by row, so a
 * caller can normalise straight into a tensor without an intermediate image.
 *
 * <p>Performance shape: the horizontal pass reads interleaved source bytes at kernel-dependent
 * positions (a gather), which C2 cannot vectorise. So it is split in two: a scalar gather that
 * copies, for each tap {@code t} and output column {@code j}, the 4 little-endian bytes holding
 * that tap's R, G and B samples as one {@code int} ({@code packed[t][j]}: one load and one store
 * per tap, instead of three byte loads, widenings and multiply-adds per channel), then per
 * channel a multiply-add over {@code j} that unpacks the channel's byte with a constant shift
 * and mask, which C2 vectorises. Its results go as {@code int}s into a ring of {@link
 * ResampleKernel#span} rows per channel, so the vertical pass and the sink also work on
 * contiguous {@code int} rows, loops C2 vectorises (it does not vectorise byte-to-int
 * conversions), and all working memory stays in the L1 cache. Every array in these loops is
 * indexed by the loop variable alone: C2 cannot prove two {@code int[]} distinct, and offset
 * indices would look like a loop-carried dependence to it and stop vectorisation.
 *
 * <p>Where {@link VectorCapability#AVAILABLE} (AVX-512 VBMI, and the JVM started with {@code
 * --add-modules jdk.incubator.vector}), both passes run in explicit vectors instead ({@link
 * VectorResampler}): the horizontal one gathers with byte permutes, which makes it about four
 * times faster. The arithmetic, and so every byte, is the same.
 *
 * <p>Stateless and thread-safe; working memory is per thread ({@link Scratch}).
 */
public final class Resampler {
    private static final int HALF = ResampleKernel.HALF;
    private static final int BITS = ResampleKernel.PRECISION_BITS;
    /** Four bytes of a byte[] as one int, first byte lowest, whatever the platform's byte order. */
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);

    /** Receives the rows of a resampled window, top to bottom. */
    @FunctionalInterface
    interface RowSink {
        /**
         * Row {@code y} of the window (0-based): samples 0..255 of R, G and B in {@code [0, width)}
         * of the three arrays, which are reused for the next row.
         */
        void row(int y, int[] r, int[] g, int[] b, int width);
    }

    private Resampler() {
    }

    /** Resizes a whole image; returns a new {@code dstW * dstH * 3} array. */
    public static byte[] resize(byte[] rgb, int srcW, int srcH, int dstW, int dstH, Interpolation interpolation) {
        if (rgb.length != 3L * srcW * srcH) {
            throw new IllegalArgumentException("pixel array does not match " + srcW + "x" + srcH);
        }
        Scratch scratch = Scratch.get();
        byte[] out = new byte[3 * dstW * dstH];
        resizeWindow(rgb, srcW, scratch.kernel(interpolation, srcW, dstW),
                scratch.kernel(interpolation, srcH, dstH), 0, 0, dstW, dstH, out, scratch);
        return out;
    }

    /**
     * Writes the window {@code [x0, x0 + ww) x [y0, y0 + wh)} of the image resized to {@code
     * kx.dstSize x ky.dstSize} into {@code out} ({@code ww * wh * 3} bytes, row-major interleaved
     * RGB).
     */
    static void resizeWindow(byte[] src, int srcW, ResampleKernel kx, ResampleKernel ky,
            int x0, int y0, int ww, int wh, byte[] out, Scratch scratch) {
        resizeWindow(src, 0, 0, srcW, kx, ky, x0, y0, ww, wh, out, scratch, VectorCapability.AVAILABLE);
    }

    /** {@link #resizeWindow} from a part of the source, with or without {@link VectorResampler} (tests compare the two). */
    static void resizeWindow(byte[] src, int srcX, int srcY, int srcW, ResampleKernel kx, ResampleKernel ky,
            int x0, int y0, int ww, int wh, byte[] out, Scratch scratch, boolean vector) {
        resample(src, srcX, srcY, srcW, kx, ky, x0, y0, ww, wh, scratch, vector, (y, r, g, b, w) -> {
            for (int x = 0, o = y * w * 3; x < w; x++, o += 3) {
                out[o] = (byte) r[x];
                out[o + 1] = (byte) g[x];
                out[o + 2] = (byte) b[x];
            }
        });
    }

    /**
     * Resamples the window {@code [x0, x0 + ww) x [y0, y0 + wh)} of the image resized to {@code
     * kx.dstSize x ky.dstSize} and passes its rows to {@code sink}. {@code src} holds the part of
     * the source image from pixel {@code (srcX, srcY)} on, {@code srcW} pixels a row; it must cover
     * every tap of the window.
     */
    static void resample(byte[] src, int srcX, int srcY, int srcW, ResampleKernel kx, ResampleKernel ky,
            int x0, int y0, int ww, int wh, Scratch scratch, RowSink sink) {
        resample(src, srcX, srcY, srcW, kx, ky, x0, y0, ww, wh, scratch, VectorCapability.AVAILABLE, sink);
    }

    private static void resample(byte[] src, int srcX, int srcY, int srcW, ResampleKernel kx, ResampleKernel ky,
            int x0, int y0, int ww, int wh, Scratch scratch, boolean useVectors, RowSink sink) {
        if (ww <= 0 || wh <= 0) {
            return;
        }
        int span = ky.span;
        // Horizontal-pass rows: source row r of channel c is ring[c * span + r % span]. first[y]
        // never decreases, so the span rows one output row needs are always resident.
        int[][] ring = scratch.ring(3 * span, ww);
        int[][] out = scratch.samples(ww);
        int[][] packed = scratch.packed(kx.span, ww);
        boolean vectors = useVectors && VectorCapability.AVAILABLE;
        // Vector horizontal pass: the leading 16-column chunks, if all of them fit its window.
        boolean vector = vectors && kx.span > 1 && ww >= VectorResampler.LANES;
        int[][] weights = scratch.weights(vector ? VectorResampler.paddedSpan(kx.span) : kx.span, ww);
        for (int t = 0; t < weights.length; t++) { // per tap, so the multiply-adds index by column alone
            int[] w = weights[t];
            for (int j = 0; j < ww; j++) {
                w[j] = t < kx.span ? kx.coeffs[(x0 + j) * kx.span + t] : 0;
            }
        }
        int[] offsets = scratch.offsets(ww); // byte offset of each column's first tap in a row
        for (int j = 0; j < ww; j++) {
            offsets[j] = kx.first[x0 + j] * 3;
        }
        byte[] index = null;
        int chunks = 0;
        if (vector) {
            index = scratch.permuteIndex(ww / VectorResampler.LANES * VectorResampler.indexBytes(kx.span));
            chunks = VectorResampler.plan(offsets, ww, kx.span, index);
            if (chunks < ww / VectorResampler.LANES) {
                chunks = 0; // a chunk's taps span too many bytes: the scalar pass does every column
            }
        }
        // A row's last window may reach past the end of src: such a row is copied into a padded one.
        int rowStart = offsets[0];
        int rowBytes = offsets[ww - 1] + 3 * kx.span - rowStart;
        int lastWindowEnd = chunks == 0 ? 0 : offsets[(chunks - 1) * VectorResampler.LANES] + VectorResampler.WINDOW;
        int[][] taps = new int[span][];
        int next = ky.first[y0];
        for (int j = 0; j < wh; j++) {
            int y = y0 + j;
            int top = ky.first[y];
            for (; next < top + span; next++) {
                if (next >= top) { // rows skipped over by a larger downscale step are not needed
                    int slot = next % span;
                    int row = ((next - srcY) * srcW - srcX) * 3;
                    int[] r = ring[slot], g = ring[span + slot], b = ring[2 * span + slot];
                    if (chunks == 0) {
                        horizontal(src, row, kx, x0, ww, offsets, packed, weights, r, g, b);
                    } else if (row + lastWindowEnd <= src.length) {
                        VectorResampler.horizontal(src, row, offsets, index, chunks, kx.span, weights, r, g, b);
                        columns(src, row, kx, x0, chunks * VectorResampler.LANES, ww, r, g, b);
                    } else {
                        byte[] padded = scratch.paddedRow(lastWindowEnd - rowStart);
                        System.arraycopy(src, row + rowStart, padded, 0, rowBytes);
                        VectorResampler.horizontal(padded, -rowStart, offsets, index, chunks, kx.span, weights, r, g, b);
                        columns(padded, -rowStart, kx, x0, chunks * VectorResampler.LANES, ww, r, g, b);
                    }
                }
            }
            for (int c = 0; c < 3; c++) {
                for (int t = 0; t < span; t++) {
                    taps[t] = ring[c * span + (top + t) % span];
                }
                if (vectors && span > 1) {
                    VectorResampler.vertical(taps, ky.coeffs, y * span, ww, out[c]);
                } else {
                    vertical(taps, ky.coeffs, y * span, ww, out[c]);
                }
            }
            sink.row(j, out[0], out[1], out[2], ww);
        }
    }

    /**
     * Horizontal pass (Pillow's {@code ImagingResampleHorizontal_8bpc}) of the source row at byte
     * offset {@code row}, output columns {@code x0 .. x0 + ww - 1}, into rows {@code r}, {@code g}
     * and {@code b}; {@code weights[t][j]} is tap t of column {@code x0 + j}.
     *
     * <p>Tap 0's word starts at its R byte (R, G, B in bits 0, 8, 16); every later tap's word
     * starts one byte before its R (bits 8, 16, 24), so no word reaches past the window's last
     * byte, {@code 3 * span - 1} bytes after the first, which lies inside the image.
     */
    private static void horizontal(byte[] src, int row, ResampleKernel kx, int x0, int ww, int[] offsets,
            int[][] packed, int[][] weights, int[] r, int[] g, int[] b) {
        int[] first = kx.first;
        int span = kx.span;
        if (span == 1) { // identity or nearest: weight 1.0, an exact copy; a word could overrun
            for (int j = 0; j < ww; j++) {
                int p = row + first[x0 + j] * 3;
                r[j] = src[p] & 0xFF;
                g[j] = src[p + 1] & 0xFF;
                b[j] = src[p + 2] & 0xFF;
            }
            return;
        }
        gather(src, row, offsets, ww, span, packed);
        switch (span) {
            case 2 -> {
                int[] a = packed[0], ka = weights[0];
                int[] c = packed[1], kc = weights[1];
                for (int j = 0; j < ww; j++) {
                    r[j] = clip8(HALF + (a[j] & 0xFF) * ka[j] + (c[j] >>> 8 & 0xFF) * kc[j]);
                }
                for (int j = 0; j < ww; j++) {
                    g[j] = clip8(HALF + (a[j] >>> 8 & 0xFF) * ka[j] + (c[j] >>> 16 & 0xFF) * kc[j]);
                }
                for (int j = 0; j < ww; j++) {
                    b[j] = clip8(HALF + (a[j] >>> 16 & 0xFF) * ka[j] + (c[j] >>> 24) * kc[j]);
                }
            }
            case 3 -> {
                int[] a = packed[0], ka = weights[0];
                int[] c = packed[1], kc = weights[1];
                int[] d = packed[2], kd = weights[2];
                for (int j = 0; j < ww; j++) {
                    r[j] = clip8(HALF + (a[j] & 0xFF) * ka[j] + (c[j] >>> 8 & 0xFF) * kc[j]
                            + (d[j] >>> 8 & 0xFF) * kd[j]);
                }
                for (int j = 0; j < ww; j++) {
                    g[j] = clip8(HALF + (a[j] >>> 8 & 0xFF) * ka[j] + (c[j] >>> 16 & 0xFF) * kc[j]
                            + (d[j] >>> 16 & 0xFF) * kd[j]);
                }
                for (int j = 0; j < ww; j++) {
                    b[j] = clip8(HALF + (a[j] >>> 16 & 0xFF) * ka[j] + (c[j] >>> 24) * kc[j]
                            + (d[j] >>> 24) * kd[j]);
                }
            }
            case 4 -> {
                int[] a = packed[0], ka = weights[0];
                int[] c = packed[1], kc = weights[1];
                int[] d = packed[2], kd = weights[2];
                int[] e = packed[3], ke = weights[3];
                for (int j = 0; j < ww; j++) {
                    r[j] = clip8(HALF + (a[j] & 0xFF) * ka[j] + (c[j] >>> 8 & 0xFF) * kc[j]
                            + (d[j] >>> 8 & 0xFF) * kd[j] + (e[j] >>> 8 & 0xFF) * ke[j]);
                }
                for (int j = 0; j < ww; j++) {
                    g[j] = clip8(HALF + (a[j] >>> 8 & 0xFF) * ka[j] + (c[j] >>> 16 & 0xFF) * kc[j]
                            + (d[j] >>> 16 & 0xFF) * kd[j] + (e[j] >>> 16 & 0xFF) * ke[j]);
                }
                for (int j = 0; j < ww; j++) {
                    b[j] = clip8(HALF + (a[j] >>> 16 & 0xFF) * ka[j] + (c[j] >>> 24) * kc[j]
                            + (d[j] >>> 24) * kd[j] + (e[j] >>> 24) * ke[j]);
                }
            }
            default -> {
                channel(packed, weights, span, 0, ww, r);
                channel(packed, weights, span, 8, ww, g);
                channel(packed, weights, span, 16, ww, b);
            }
        }
    }

    /**
     * The horizontal pass for output columns {@code [from, ww)} only, one column at a time: the
     * few columns after {@link VectorResampler}'s last chunk.
     */
    private static void columns(byte[] src, int row, ResampleKernel kx, int x0, int from, int ww, int[] r, int[] g,
            int[] b) {
        int span = kx.span;
        for (int j = from; j < ww; j++) {
            int x = x0 + j;
            int p = row + kx.first[x] * 3;
            int sr = HALF;
            int sg = HALF;
            int sb = HALF;
            for (int t = 0; t < span; t++, p += 3) {
                int k = kx.coeffs[x * span + t];
                sr += (src[p] & 0xFF) * k;
                sg += (src[p + 1] & 0xFF) * k;
                sb += (src[p + 2] & 0xFF) * k;
            }
            r[j] = clip8(sr);
            g[j] = clip8(sg);
            b[j] = clip8(sb);
        }
    }

    /** The packed words of every tap (see {@link #horizontal}); unrolled for 2 to 4 taps. */
    private static void gather(byte[] src, int row, int[] offsets, int ww, int span, int[][] packed) {
        switch (span) {
            case 2 -> {
                int[] a = packed[0], c = packed[1];
                for (int j = 0; j < ww; j++) {
                    int p = row + offsets[j];
                    a[j] = (int) WORD.get(src, p);
                    c[j] = (int) WORD.get(src, p + 2);
                }
            }
            case 3 -> {
                int[] a = packed[0], c = packed[1], d = packed[2];
                for (int j = 0; j < ww; j++) {
                    int p = row + offsets[j];
                    a[j] = (int) WORD.get(src, p);
                    c[j] = (int) WORD.get(src, p + 2);
                    d[j] = (int) WORD.get(src, p + 5);
                }
            }
            case 4 -> {
                int[] a = packed[0], c = packed[1], d = packed[2], e = packed[3];
                for (int j = 0; j < ww; j++) {
                    int p = row + offsets[j];
                    a[j] = (int) WORD.get(src, p);
                    c[j] = (int) WORD.get(src, p + 2);
                    d[j] = (int) WORD.get(src, p + 5);
                    e[j] = (int) WORD.get(src, p + 8);
                }
            }
            default -> {
                for (int t = 0; t < span; t++) {
                    int[] w = packed[t];
                    int at = t == 0 ? 0 : 3 * t - 1;
                    for (int j = 0; j < ww; j++) {
                        w[j] = (int) WORD.get(src, row + offsets[j] + at);
                    }
                }
            }
        }
    }

    /** One channel (R at bit {@code shift} of tap 0's word) of the generic multiply-add, into {@code out}. */
    private static void channel(int[][] packed, int[][] weights, int span, int shift, int ww, int[] out) {
        int[] a = packed[0];
        int[] ka = weights[0];
        for (int j = 0; j < ww; j++) {
            out[j] = HALF + (a[j] >>> shift & 0xFF) * ka[j];
        }
        for (int t = 1; t < span; t++) {
            int[] w = packed[t];
            int[] kt = weights[t];
            int s = shift + 8;
            for (int j = 0; j < ww; j++) {
                out[j] += (w[j] >>> s & 0xFF) * kt[j];
            }
        }
        for (int j = 0; j < ww; j++) {
            out[j] = clip8(out[j]);
        }
    }

    /**
     * Vertical pass (Pillow's {@code ImagingResampleVertical_8bpc}) of one channel: {@code out[0,
     * ww)} from the rows {@code rows[t]} with weights {@code k[w + t]}. All arrays are indexed by
     * the loop variable alone, so C2 knows there is no loop-carried dependence even if they were
     * the same array, and vectorises the loops.
     */
    private static void vertical(int[][] rows, int[] k, int w, int ww, int[] out) {
        switch (rows.length) {
            case 1 -> System.arraycopy(rows[0], 0, out, 0, ww); // weight 1.0: exact copy
            case 2 -> {
                int[] a = rows[0];
                int[] b = rows[1];
                int k0 = k[w];
                int k1 = k[w + 1];
                for (int x = 0; x < ww; x++) {
                    out[x] = clip8(HALF + a[x] * k0 + b[x] * k1);
                }
            }
            case 3 -> {
                int[] a = rows[0];
                int[] b = rows[1];
                int[] c = rows[2];
                int k0 = k[w];
                int k1 = k[w + 1];
                int k2 = k[w + 2];
                for (int x = 0; x < ww; x++) {
                    out[x] = clip8(HALF + a[x] * k0 + b[x] * k1 + c[x] * k2);
                }
            }
            default -> {
                int[] a = rows[0];
                int k0 = k[w];
                for (int x = 0; x < ww; x++) {
                    out[x] = HALF + a[x] * k0;
                }
                for (int t = 1; t < rows.length; t++) {
                    int[] r = rows[t];
                    int kt = k[w + t];
                    for (int x = 0; x < ww; x++) {
                        out[x] += r[x] * kt;
                    }
                }
                for (int x = 0; x < ww; x++) {
                    out[x] = clip8(out[x]);
                }
            }
        }
    }

    /** Pillow's {@code clip8}: drop the fraction (arithmetic shift) and clamp to 0..255. */
    private static int clip8(int v) {
        return Math.max(0, Math.min(v >> BITS, 255));
    }
}
