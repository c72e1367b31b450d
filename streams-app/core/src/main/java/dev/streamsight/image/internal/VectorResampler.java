package dev.streamsight.image.internal;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Resampler}'s two passes in explicit 512-bit vectors ({@code jdk.incubator.vector}), 16
 * output columns at a time, with exactly the scalar passes' integer arithmetic, so exactly their
 * bytes.
 *
 * <p>The horizontal pass reads interleaved RGB at kernel-dependent positions, which the JIT does
 * not vectorise on its own. Here one two-register byte permute (AVX-512 VBMI {@code vpermi2b})
 * gathers, out of the 128 source bytes from a chunk's first tap, one channel of four taps of
 * all 16 columns: int lane {@code l} receives column {@code l}'s taps in its four bytes. Shifts
 * and masks widen them, and a multiply-add per tap follows. {@link #plan} builds the permute
 * indices once per image, since every row uses the same columns; a chunk whose taps span more
 * than 128 bytes (a downscale of more than about 2.4x after DCT scaling) is left to the scalar
 * pass.
 *
 * <p>Only loaded when {@link VectorCapability#AVAILABLE}: it needs the incubating module. Stateless
 * and thread-safe; callers own every array.
 */
final class VectorResampler {
    /** Output columns per chunk: one 512-bit vector of ints. */
    static final int LANES = 16;
    /** Source bytes a chunk may draw from: two 512-bit vectors. */
    static final int WINDOW = 128;

    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_512;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_512;
    private static final int HALF = ResampleKernel.HALF;
    private static final int BITS = ResampleKernel.PRECISION_BITS;

    private VectorResampler() {
    }

    /** Whether the JIT compiles 512-bit vectors here (not with {@code -XX:UseAVX=2}, say). */
    static boolean nativeWidth() {
        return ByteVector.SPECIES_PREFERRED.vectorBitSize() >= BYTES.vectorBitSize();
    }

    /** Groups of four taps that {@code span} taps take. */
    static int groups(int span) {
        return (span + 3) / 4;
    }

    /** Weight rows the horizontal pass reads: {@code span} rounded up to a multiple of 4. */
    static int paddedSpan(int span) {
        return 4 * groups(span);
    }

    /** Permute-index bytes per chunk: 64 per channel and group of four taps. */
    static int indexBytes(int span) {
        return 3 * groups(span) * 64;
    }

    /**
     * Fills {@code index} ({@link #indexBytes} per chunk) with the permute indices of the first
     * {@code ww / 16} chunks of columns and returns how many leading chunks fit the 128-byte window;
     * {@code offsets[j]} is column j's first tap's byte in a row. For chunk k, channel c and group g,
     * 64 bytes at {@code k * indexBytes + (c * groups + g) * 64}; their byte {@code 4l + u} points
     * at channel c of tap {@code 4g + u} of column {@code 16k + l}, relative to the chunk's first
     * column's first tap. Taps past the span point at the last one (their weight is 0).
     */
    static int plan(int[] offsets, int ww, int span, byte[] index) {
        int chunks = ww / LANES;
        int groups = groups(span);
        int stride = indexBytes(span);
        for (int k = 0; k < chunks; k++) {
            int j0 = k * LANES;
            int base = offsets[j0];
            if (offsets[j0 + LANES - 1] - base + 3 * span > WINDOW) {
                return k;
            }
            for (int c = 0; c < 3; c++) {
                for (int g = 0; g < groups; g++) {
                    int at = k * stride + (c * groups + g) * 64;
                    for (int l = 0; l < LANES; l++) {
                        for (int u = 0; u < 4; u++) {
                            int t = Math.min(4 * g + u, span - 1);
                            index[at + 4 * l + u] = (byte) (offsets[j0 + l] - base + 3 * t + c);
                        }
                    }
                }
            }
        }
        return chunks;
    }

    /**
     * Horizontal pass of columns {@code [0, 16 * chunks)} of the source row at byte {@code row}
     * into {@code r}, {@code g}, {@code b}; {@code weights[t][j]} is tap t of column j, rows {@code
     * span..paddedSpan(span) - 1} zero. {@code src} must hold {@link #WINDOW} bytes from each
     * chunk's first tap.
     */
    static void horizontal(byte[] src, int row, int[] offsets, byte[] index, int chunks, int span,
            int[][] weights, int[] r, int[] g, int[] b) {
        switch (span) {
            case 2 -> twoTaps(src, row, offsets, index, chunks, weights, r, g, b);
            case 3 -> threeTaps(src, row, offsets, index, chunks, weights, r, g, b);
            default -> tapGroups(src, row, offsets, index, chunks, groups(span), weights, r, g, b);
        }
    }

    private static void twoTaps(byte[] src, int row, int[] offsets, byte[] index, int chunks,
            int[][] weights, int[] r, int[] g, int[] b) {
        int[] k0 = weights[0];
        int[] k1 = weights[1];
        for (int k = 0; k < chunks; k++) {
            int j = k * LANES;
            int p = row + offsets[j];
            int i = k * 3 * 64;
            ByteVector lo = ByteVector.fromArray(BYTES, src, p);
            ByteVector hi = ByteVector.fromArray(BYTES, src, p + 64);
            IntVector w0 = IntVector.fromArray(INTS, k0, j);
            IntVector w1 = IntVector.fromArray(INTS, k1, j);
            for (int c = 0; c < 3; c++) {
                IntVector v = taps(index, i + 64 * c, lo, hi);
                store(tap(v, 0).mul(w0).add(tap(v, 8).mul(w1)), channel(c, r, g, b), j);
            }
        }
    }

    private static void threeTaps(byte[] src, int row, int[] offsets, byte[] index, int chunks,
            int[][] weights, int[] r, int[] g, int[] b) {
        int[] k0 = weights[0];
        int[] k1 = weights[1];
        int[] k2 = weights[2];
        for (int k = 0; k < chunks; k++) {
            int j = k * LANES;
            int p = row + offsets[j];
            int i = k * 3 * 64;
            ByteVector lo = ByteVector.fromArray(BYTES, src, p);
            ByteVector hi = ByteVector.fromArray(BYTES, src, p + 64);
            IntVector w0 = IntVector.fromArray(INTS, k0, j);
            IntVector w1 = IntVector.fromArray(INTS, k1, j);
            IntVector w2 = IntVector.fromArray(INTS, k2, j);
            for (int c = 0; c < 3; c++) {
                IntVector v = taps(index, i + 64 * c, lo, hi);
                store(tap(v, 0).mul(w0).add(tap(v, 8).mul(w1)).add(tap(v, 16).mul(w2)),
                        channel(c, r, g, b), j);
            }
        }
    }

    /** Any span: whole groups of four taps, the padding taps weighing 0. */
    private static void tapGroups(byte[] src, int row, int[] offsets, byte[] index, int chunks, int groups,
            int[][] weights, int[] r, int[] g, int[] b) {
        int stride = 3 * groups * 64;
        for (int k = 0; k < chunks; k++) {
            int j = k * LANES;
            int p = row + offsets[j];
            ByteVector lo = ByteVector.fromArray(BYTES, src, p);
            ByteVector hi = ByteVector.fromArray(BYTES, src, p + 64);
            for (int c = 0; c < 3; c++) {
                int i = k * stride + c * groups * 64;
                IntVector acc = IntVector.zero(INTS);
                for (int q = 0; q < groups; q++) {
                    IntVector v = taps(index, i + 64 * q, lo, hi);
                    acc = acc.add(tap(v, 0).mul(IntVector.fromArray(INTS, weights[4 * q], j)))
                            .add(tap(v, 8).mul(IntVector.fromArray(INTS, weights[4 * q + 1], j)))
                            .add(tap(v, 16).mul(IntVector.fromArray(INTS, weights[4 * q + 2], j)))
                            .add(v.lanewise(VectorOperators.LSHR, 24)
                                    .mul(IntVector.fromArray(INTS, weights[4 * q + 3], j)));
                }
                store(acc, channel(c, r, g, b), j);
            }
        }
    }

    /**
     * Vertical pass of one channel: {@code out[x] = clip8(HALF + sum_t rows[t][x] * k[w + t])} for
     * x in {@code [0, ww)}, 16 columns at a time and the last few one at a time.
     */
    static void vertical(int[][] rows, int[] k, int w, int ww, int[] out) {
        int n = rows.length;
        int x = 0;
        int end = ww - ww % LANES;
        if (n == 2) {
            int[] a = rows[0];
            int[] b = rows[1];
            int k0 = k[w];
            int k1 = k[w + 1];
            for (; x < end; x += LANES) {
                store(IntVector.fromArray(INTS, a, x).mul(k0)
                        .add(IntVector.fromArray(INTS, b, x).mul(k1)), out, x);
            }
        } else if (n == 3) {
            int[] a = rows[0];
            int[] b = rows[1];
            int[] c = rows[2];
            int k0 = k[w];
            int k1 = k[w + 1];
            int k2 = k[w + 2];
            for (; x < end; x += LANES) {
                store(IntVector.fromArray(INTS, a, x).mul(k0)
                        .add(IntVector.fromArray(INTS, b, x).mul(k1))
                        .add(IntVector.fromArray(INTS, c, x).mul(k2)), out, x);
            }
        } else if (n == 4) {
            int[] a = rows[0];
            int[] b = rows[1];
            int[] c = rows[2];
            int[] d = rows[3];
            int k0 = k[w];
            int k1 = k[w + 1];
            int k2 = k[w + 2];
            int k3 = k[w + 3];
            for (; x < end; x += LANES) {
                store(IntVector.fromArray(INTS, a, x).mul(k0)
                        .add(IntVector.fromArray(INTS, b, x).mul(k1))
                        .add(IntVector.fromArray(INTS, c, x).mul(k2))
                        .add(IntVector.fromArray(INTS, d, x).mul(k3)), out, x);
            }
        } else {
            for (; x < end; x += LANES) {
                IntVector acc = IntVector.fromArray(INTS, rows[0], x).mul(k[w]);
                for (int t = 1; t < n; t++) {
                    acc = acc.add(IntVector.fromArray(INTS, rows[t], x).mul(k[w + t]));
                }
                store(acc, out, x);
            }
        }
        for (; x < ww; x++) {
            int sum = HALF;
            for (int t = 0; t < n; t++) {
                sum += rows[t][x] * k[w + t];
            }
            out[x] = Math.max(0, Math.min(sum >> BITS, 255));
        }
    }

    private static int[] channel(int c, int[] r, int[] g, int[] b) {
        return c == 0 ? r : c == 1 ? g : b;
    }

    /** One channel's four taps for 16 columns: int lane l holds column l's tap u in bits 8u..8u+7. */
    private static IntVector taps(byte[] index, int at, ByteVector lo, ByteVector hi) {
        return ByteVector.fromArray(BYTES, index, at).selectFrom(lo, hi).reinterpretAsInts();
    }

    /** The tap in bits {@code shift..shift+7} of each lane, as ints 0..255. */
    private static IntVector tap(IntVector v, int shift) {
        return (shift == 0 ? v : v.lanewise(VectorOperators.LSHR, shift)).and(0xFF);
    }

    /** Pillow's clip8 of {@code HALF + acc} into {@code out[j, j + 16)}. */
    private static void store(IntVector acc, int[] out, int j) {
        acc.add(HALF).lanewise(VectorOperators.ASHR, BITS).max(0).min(255).intoArray(out, j);
    }
}
