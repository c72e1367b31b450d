package dev.streamsight.image.internal;

import dev.streamsight.image.Interpolation;
import java.util.Arrays;

/**
 * Separable, antialiased resampling of interleaved 8-bit RGB that reproduces Pillow's
 * {@code Image.resize(size, NEAREST | BILINEAR | BICUBIC)} byte for byte (the path torchvision's
 * {@code Resize} takes for PIL images).
 *
 * <p>As in Pillow's {@code ImagingResampleInner}: a horizontal pass over the source rows the
 * vertical filter needs, rounded and clipped to an 8-bit intermediate image, then a vertical pass;
 * a pass whose size does not change is skipped. Integer arithmetic with {@link
 * ResampleKernel#PRECISION_BITS} fractional bits, rounding bias {@code 1 << 21}, clip to 0..255
 * ({@code clip8}).
 *
 * <p>{@link #resizeWindow} computes only a rectangle of the resized image with the taps of the
 * full resize, so a centre crop costs only its own pixels and gives the same values as resizing
 * everything and cropping afterwards.
 *
 * <p>Stateless and thread-safe; working memory is per thread.
 */
public final class Resampler {
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
     * kx.dstSize x ky.dstSize} into {@code out} ({@code ww * wh * 3} bytes, row-major RGB).
     */
    static void resizeWindow(byte[] src, int srcW, ResampleKernel kx, ResampleKernel ky,
            int x0, int y0, int ww, int wh, byte[] out, Scratch scratch) {
        if (ww <= 0 || wh <= 0) {
            return;
        }
        // Source rows the vertical taps of this window read (Pillow's ybox_first/ybox_last).
        int first = Integer.MAX_VALUE;
        int last = 0;
        for (int y = y0; y < y0 + wh; y++) {
            first = Math.min(first, ky.start[y]);
            last = Math.max(last, ky.start[y] + ky.count[y]);
        }
        byte[] mid;
        int midStride;
        int midCol;
        int midFirstRow;
        if (kx.isIdentity()) {
            mid = src;
            midStride = srcW * 3;
            midCol = x0 * 3;
            midFirstRow = 0;
        } else {
            mid = scratch.rows((last - first) * ww * 3);
            horizontal(src, srcW, first, last, kx, x0, ww, mid);
            midStride = ww * 3;
            midCol = 0;
            midFirstRow = first;
        }
        if (ky.isIdentity()) {
            for (int y = 0; y < wh; y++) {
                System.arraycopy(mid, (y0 + y - midFirstRow) * midStride + midCol, out, y * ww * 3, ww * 3);
            }
        } else {
            vertical(mid, midStride, midCol, midFirstRow, ky, y0, ww, wh, out, scratch.acc(ww * 3));
        }
    }

    /** Horizontal pass (Pillow's {@code ImagingResampleHorizontal_8bpc}) for rows first..last-1. */
    private static void horizontal(byte[] src, int srcW, int first, int last, ResampleKernel kx,
            int x0, int ww, byte[] mid) {
        int taps = kx.taps;
        int[] start = kx.start;
        int[] count = kx.count;
        int[] weights = kx.weights;
        int o = 0;
        for (int y = first; y < last; y++) {
            int row = y * srcW * 3;
            for (int xx = x0; xx < x0 + ww; xx++) {
                int p = row + start[xx] * 3;
                int w = xx * taps;
                int n = count[xx];
                int s0 = ResampleKernel.HALF;
                int s1 = ResampleKernel.HALF;
                int s2 = ResampleKernel.HALF;
                for (int t = 0; t < n; t++, p += 3) {
                    int k = weights[w + t];
                    s0 += (src[p] & 0xFF) * k;
                    s1 += (src[p + 1] & 0xFF) * k;
                    s2 += (src[p + 2] & 0xFF) * k;
                }
                mid[o] = clip8(s0);
                mid[o + 1] = clip8(s1);
                mid[o + 2] = clip8(s2);
                o += 3;
            }
        }
    }

    /**
     * Vertical pass (Pillow's {@code ImagingResampleVertical_8bpc}). Accumulates a whole output
     * row tap by tap so memory is read sequentially; integer sums are order independent, so the
     * result is the same as Pillow's per-pixel loop.
     */
    private static void vertical(byte[] mid, int stride, int col, int firstRow, ResampleKernel ky,
            int y0, int ww, int wh, byte[] out, int[] acc) {
        int len = ww * 3;
        int taps = ky.taps;
        int o = 0;
        for (int yy = y0; yy < y0 + wh; yy++) {
            Arrays.fill(acc, 0, len, ResampleKernel.HALF);
            int n = ky.count[yy];
            int w = yy * taps;
            int row = (ky.start[yy] - firstRow) * stride + col;
            for (int t = 0; t < n; t++, row += stride) {
                int k = ky.weights[w + t];
                for (int i = 0; i < len; i++) {
                    acc[i] += (mid[row + i] & 0xFF) * k;
                }
            }
            for (int i = 0; i < len; i++) {
                out[o + i] = clip8(acc[i]);
            }
            o += len;
        }
    }

    /** Pillow's {@code clip8}: drop the fraction (arithmetic shift) and clamp to 0..255. */
    private static byte clip8(int v) {
        int s = v >> ResampleKernel.PRECISION_BITS;
        return (byte) (s < 0 ? 0 : Math.min(s, 255));
    }
}
