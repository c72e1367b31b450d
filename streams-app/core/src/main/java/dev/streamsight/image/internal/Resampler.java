package dev.streamsight.image.internal;

import dev.streamsight.image.Interpolation;

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
 * positions (a gather), which stays scalar; it writes its 8-bit results as {@code int}s into a
 * ring of {@link ResampleKernel#span} rows per channel, so the vertical pass and the sink work on
 * contiguous {@code int} rows, loops C2 vectorises (it does not vectorise byte-to-int
 * conversions), and all working memory stays in the L1 cache.
 *
 * <p>Stateless and thread-safe; working memory is per thread ({@link Scratch}).
 */
public final class Resampler {
    private static final int HALF = ResampleKernel.HALF;
    private static final int BITS = ResampleKernel.PRECISION_BITS;

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
        resample(src, srcW, kx, ky, x0, y0, ww, wh, scratch, (y, r, g, b, w) -> {
            for (int x = 0, o = y * w * 3; x < w; x++, o += 3) {
                out[o] = (byte) r[x];
                out[o + 1] = (byte) g[x];
                out[o + 2] = (byte) b[x];
            }
        });
    }

    /**
     * Resamples the window {@code [x0, x0 + ww) x [y0, y0 + wh)} of the image resized to {@code
     * kx.dstSize x ky.dstSize} and passes its rows to {@code sink}.
     */
    static void resample(byte[] src, int srcW, ResampleKernel kx, ResampleKernel ky,
            int x0, int y0, int ww, int wh, Scratch scratch, RowSink sink) {
        if (ww <= 0 || wh <= 0) {
            return;
        }
        int span = ky.span;
        // Horizontal-pass rows: source row r of channel c is ring[c * span + r % span]. first[y]
        // never decreases, so the span rows one output row needs are always resident.
        int[][] ring = scratch.ring(3 * span, ww);
        int[][] out = scratch.samples(ww);
        int[][] taps = new int[span][];
        int next = ky.first[y0];
        for (int j = 0; j < wh; j++) {
            int y = y0 + j;
            int top = ky.first[y];
            for (; next < top + span; next++) {
                if (next >= top) { // rows skipped over by a larger downscale step are not needed
                    int slot = next % span;
                    horizontal(src, next * srcW * 3, kx, x0, ww, ring[slot], ring[span + slot],
                            ring[2 * span + slot]);
                }
            }
            for (int c = 0; c < 3; c++) {
                for (int t = 0; t < span; t++) {
                    taps[t] = ring[c * span + (top + t) % span];
                }
                vertical(taps, ky.coeffs, y * span, ww, out[c]);
            }
            sink.row(j, out[0], out[1], out[2], ww);
        }
    }

    /**
     * Horizontal pass (Pillow's {@code ImagingResampleHorizontal_8bpc}) of the source row at byte
     * offset {@code row}, output columns {@code x0 .. x0 + ww - 1}, into rows {@code r}, {@code g}
     * and {@code b}. Unrolled for the common tap counts; the generic loop handles the rest.
     */
    private static void horizontal(byte[] src, int row, ResampleKernel kx, int x0, int ww, int[] r, int[] g,
            int[] b) {
        int[] first = kx.first;
        int[] k = kx.coeffs;
        switch (kx.span) {
            case 1 -> {
                for (int j = 0; j < ww; j++) { // identity or nearest: weight 1.0, an exact copy
                    int p = row + first[x0 + j] * 3;
                    r[j] = src[p] & 0xFF;
                    g[j] = src[p + 1] & 0xFF;
                    b[j] = src[p + 2] & 0xFF;
                }
            }
            case 2 -> {
                for (int j = 0, w = 2 * x0; j < ww; j++, w += 2) {
                    int p = row + first[x0 + j] * 3;
                    int k0 = k[w];
                    int k1 = k[w + 1];
                    r[j] = clip8(HALF + (src[p] & 0xFF) * k0 + (src[p + 3] & 0xFF) * k1);
                    g[j] = clip8(HALF + (src[p + 1] & 0xFF) * k0 + (src[p + 4] & 0xFF) * k1);
                    b[j] = clip8(HALF + (src[p + 2] & 0xFF) * k0 + (src[p + 5] & 0xFF) * k1);
                }
            }
            case 3 -> {
                for (int j = 0, w = 3 * x0; j < ww; j++, w += 3) {
                    int p = row + first[x0 + j] * 3;
                    int k0 = k[w];
                    int k1 = k[w + 1];
                    int k2 = k[w + 2];
                    r[j] = clip8(HALF + (src[p] & 0xFF) * k0 + (src[p + 3] & 0xFF) * k1
                            + (src[p + 6] & 0xFF) * k2);
                    g[j] = clip8(HALF + (src[p + 1] & 0xFF) * k0 + (src[p + 4] & 0xFF) * k1
                            + (src[p + 7] & 0xFF) * k2);
                    b[j] = clip8(HALF + (src[p + 2] & 0xFF) * k0 + (src[p + 5] & 0xFF) * k1
                            + (src[p + 8] & 0xFF) * k2);
                }
            }
            default -> {
                int span = kx.span;
                for (int j = 0, w = span * x0; j < ww; j++, w += span) {
                    int p = row + first[x0 + j] * 3;
                    int s0 = HALF;
                    int s1 = HALF;
                    int s2 = HALF;
                    for (int t = 0; t < span; t++, p += 3) {
                        int kt = k[w + t];
                        s0 += (src[p] & 0xFF) * kt;
                        s1 += (src[p + 1] & 0xFF) * kt;
                        s2 += (src[p + 2] & 0xFF) * kt;
                    }
                    r[j] = clip8(s0);
                    g[j] = clip8(s1);
                    b[j] = clip8(s2);
                }
            }
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
