package dev.streamsight.image.internal;

import dev.streamsight.image.Interpolation;
import java.lang.reflect.Array;
import java.util.function.IntFunction;

/**
 * Per-thread working memory for preprocessing: the resampler's ring of horizontal-pass rows, its
 * per-tap packed-sample and weight rows and its output row, float/half rows for the tensor
 * writer, and a tiny cache of recently used {@link ResampleKernel}s. All of it is a few rows of the resampled window wide, so it stays small
 * whatever the image size.
 *
 * <p>Confined to one thread through {@link #get()}; never shared. Arrays larger than {@link
 * #RETAIN_LIMIT} elements are handed out fresh and not kept, so an occasional huge request does
 * not pin memory in every stream thread.
 */
final class Scratch {
    /** Largest array (elements) kept between calls. */
    static final int RETAIN_LIMIT = 1 << 20;

    /**
     * Kernels kept per thread. Building one costs about as much as resampling a small image, and a
     * stream of mixed sizes (portrait and landscape, several cameras) needs two per size.
     */
    private static final int KERNEL_SLOTS = 64;

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    private int[][] ring = new int[0][];
    private int[][] packed = new int[0][];
    private int[][] weights = new int[0][];
    private int[][] samples = new int[0][];
    private float[] floats = new float[0];
    private int[] offsets = new int[0];
    private short[] halves = new short[0];
    private byte[] permuteIndex = new byte[0];
    private byte[] paddedRow = new byte[0];
    private final ResampleKernel[] kernels = new ResampleKernel[KERNEL_SLOTS];
    private int nextKernelSlot;

    private Scratch() {
    }

    /** This thread's scratch. */
    static Scratch get() {
        return LOCAL.get();
    }

    /** {@code n} horizontal-pass rows of the resampler, {@code width} ints or more each. Contents undefined. */
    int[][] ring(int n, int width) {
        int[][] a = rows(ring, n, width);
        if ((long) n * width <= RETAIN_LIMIT) {
            ring = a;
        }
        return a;
    }

    /** The horizontal pass's per-tap packed-sample rows: {@code taps} rows of {@code width} ints or more. */
    int[][] packed(int taps, int width) {
        int[][] a = rows(packed, taps, width);
        if ((long) taps * width <= RETAIN_LIMIT) {
            packed = a;
        }
        return a;
    }

    /** The horizontal pass's per-tap weight rows: {@code taps} rows of {@code width} ints or more. */
    int[][] weights(int taps, int width) {
        int[][] a = rows(weights, taps, width);
        if ((long) taps * width <= RETAIN_LIMIT) {
            weights = a;
        }
        return a;
    }

    /** One int per output column of the window being resampled. Contents undefined. */
    int[] offsets(int width) {
        offsets = retained(offsets, width, int[]::new);
        return offsets.length >= width ? offsets : new int[width];
    }

    /** The vector horizontal pass's permute indices ({@link VectorResampler#plan}). Contents undefined. */
    byte[] permuteIndex(int n) {
        permuteIndex = retained(permuteIndex, n, byte[]::new);
        return permuteIndex.length >= n ? permuteIndex : new byte[n];
    }

    /** A copy of one source row with room for the vector pass's last window. Contents undefined. */
    byte[] paddedRow(int n) {
        paddedRow = retained(paddedRow, n, byte[]::new);
        return paddedRow.length >= n ? paddedRow : new byte[n];
    }

    /** The resampler's output row: three channel rows of {@code width} ints or more. Contents undefined. */
    int[][] samples(int width) {
        if (samples.length == 3 && samples[0].length >= width) {
            return samples;
        }
        int[][] a = rows(3, width);
        if (3L * width <= RETAIN_LIMIT) {
            samples = a;
        }
        return a;
    }

    /**
     * The array to keep: {@code current} if it has {@code n} elements or more, a new one of {@code
     * n} if that is within {@link #RETAIN_LIMIT}, else {@code current} (the caller then allocates
     * one for the call only).
     */
    private static <A> A retained(A current, int n, IntFunction<A> allocate) {
        return Array.getLength(current) >= n || n > RETAIN_LIMIT ? current : allocate.apply(n);
    }

    /** {@code current} if it has {@code n} or more rows of {@code width} or more, else {@code n} new rows. */
    private static int[][] rows(int[][] current, int n, int width) {
        if (current.length >= n && current.length > 0 && current[0].length >= width) {
            return current;
        }
        return rows(n, width);
    }

    // Separate arrays per row (not one array with offsets): see Resampler#vertical.
    private static int[][] rows(int n, int width) {
        int[][] a = new int[n][];
        for (int i = 0; i < n; i++) {
            a[i] = new int[width];
        }
        return a;
    }

    /** One tensor row of float32 values. Contents undefined. */
    float[] floats(int n) {
        floats = retained(floats, n, float[]::new);
        return floats.length >= n ? floats : new float[n];
    }

    /** One tensor row of float16 values. Contents undefined. */
    short[] halves(int n) {
        halves = retained(halves, n, short[]::new);
        return halves.length >= n ? halves : new short[n];
    }

    /** A kernel for this axis, from the small per-thread cache or freshly built (round robin). */
    ResampleKernel kernel(Interpolation interpolation, int srcSize, int dstSize) {
        for (ResampleKernel k : kernels) {
            if (k != null && k.matches(interpolation, srcSize, dstSize)) {
                return k;
            }
        }
        ResampleKernel k = ResampleKernel.of(interpolation, srcSize, dstSize);
        kernels[nextKernelSlot] = k;
        nextKernelSlot = (nextKernelSlot + 1) % KERNEL_SLOTS;
        return k;
    }
}
