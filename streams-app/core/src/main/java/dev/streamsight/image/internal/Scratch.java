package dev.streamsight.image.internal;

import dev.streamsight.image.Interpolation;

/**
 * Per-thread working memory for preprocessing: byte planes for the resampler, index/float/half
 * rows for the tensor writer, and a tiny cache of recently used {@link ResampleKernel}s.
 *
 * <p>Confined to one thread through {@link #get()}; never shared. Arrays larger than {@link
 * #RETAIN_LIMIT} elements are handed out fresh and not kept, so an occasional huge image does not
 * pin memory in every stream thread.
 */
final class Scratch {
    /** Largest array (elements) kept between calls: 8 Mi bytes/ints. */
    static final int RETAIN_LIMIT = 8 << 20;

    private static final int KERNEL_SLOTS = 4;

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    private byte[] rows = new byte[0];
    private byte[] window = new byte[0];
    private int[] acc = new int[0];
    private int[] index = new int[0];
    private float[] floats = new float[0];
    private short[] halves = new short[0];
    private final ResampleKernel[] kernels = new ResampleKernel[KERNEL_SLOTS];
    private int nextKernelSlot;

    private Scratch() {
    }

    /** This thread's scratch. */
    static Scratch get() {
        return LOCAL.get();
    }

    /** Intermediate image of the horizontal pass. Contents undefined. */
    byte[] rows(int n) {
        if (rows.length >= n) {
            return rows;
        }
        byte[] a = new byte[n];
        if (n <= RETAIN_LIMIT) {
            rows = a;
        }
        return a;
    }

    /** Resampled output window. Contents undefined. */
    byte[] window(int n) {
        if (window.length >= n) {
            return window;
        }
        byte[] a = new byte[n];
        if (n <= RETAIN_LIMIT) {
            window = a;
        }
        return a;
    }

    /** Accumulators of the vertical pass. Contents undefined. */
    int[] acc(int n) {
        if (acc.length >= n) {
            return acc;
        }
        int[] a = new int[n];
        if (n <= RETAIN_LIMIT) {
            acc = a;
        }
        return a;
    }

    /** Lookup-table indices of one tensor row. Contents undefined. */
    int[] index(int n) {
        if (index.length >= n) {
            return index;
        }
        int[] a = new int[n];
        if (n <= RETAIN_LIMIT) {
            index = a;
        }
        return a;
    }

    float[] floats(int n) {
        if (floats.length >= n) {
            return floats;
        }
        float[] a = new float[n];
        if (n <= RETAIN_LIMIT) {
            floats = a;
        }
        return a;
    }

    short[] halves(int n) {
        if (halves.length >= n) {
            return halves;
        }
        short[] a = new short[n];
        if (n <= RETAIN_LIMIT) {
            halves = a;
        }
        return a;
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
