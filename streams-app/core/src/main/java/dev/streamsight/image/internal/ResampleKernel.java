package dev.streamsight.image.internal;

import dev.streamsight.image.Interpolation;

/**
 * Fixed-point filter taps for one axis of a separable resize from {@code srcSize} to {@code
 * dstSize} samples, computed exactly as Pillow (&ge; 7) does, so that the resampled bytes match
 * {@code Image.resize} bit for bit.
 *
 * <p>For output index {@code i} the taps cover source indices {@code start[i] .. start[i] +
 * count[i] - 1} with weights {@code weights[i * taps + t]}, in units of {@code 2^PRECISION_BITS}.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class ResampleKernel {
    /**
     * Pillow's {@code PRECISION_BITS (32 - 8 - 2)}: 8 bits for the sample, 2 spare bits for
     * filters whose partial sums leave 0..1 (bicubic lobes).
     */
    public static final int PRECISION_BITS = 32 - 8 - 2;

    /** Rounding bias added before the final shift ({@code 1 << (PRECISION_BITS - 1)}). */
    public static final int HALF = 1 << (PRECISION_BITS - 1);

    private static final double ONE = 1 << PRECISION_BITS;

    final Interpolation interpolation;
    final int srcSize;
    final int dstSize;
    /** Stride of {@link #weights} per output index (Pillow's {@code ksize}). */
    final int taps;
    final int[] start;
    final int[] count;
    final int[] weights;

    /*
     * The same taps in a uniform shape for the resampler's hot loops: every output index reads
     * exactly `span` consecutive source samples from `first[i]`, with weights `coeffs[i * span + t]`
     * padded with zeros where Pillow's window is shorter (exact: 0 * v adds nothing). A fixed tap
     * count lets the loops be unrolled and vectorised. An identity axis becomes one tap of weight
     * 1.0, which reproduces Pillow skipping the pass: ((v << 22) + HALF) >> 22 == v.
     */
    /** Taps per output index in the uniform view: the largest {@link #count}, 1 for identity. */
    final int span;
    /** First source index of each output index in the uniform view. */
    final int[] first;
    /** Uniform-view weights, {@link #span} per output index. */
    final int[] coeffs;

    private ResampleKernel(Interpolation interpolation, int srcSize, int dstSize, int taps, int[] start,
            int[] count, int[] weights) {
        this.interpolation = interpolation;
        this.srcSize = srcSize;
        this.dstSize = dstSize;
        this.taps = taps;
        this.start = start;
        this.count = count;
        this.weights = weights;
        this.first = new int[dstSize];
        if (srcSize == dstSize) {
            span = 1;
            coeffs = new int[dstSize];
            for (int i = 0; i < dstSize; i++) {
                first[i] = i;
                coeffs[i] = 1 << PRECISION_BITS;
            }
            return;
        }
        int n = 1;
        for (int c : count) {
            n = Math.max(n, c);
        }
        span = n;
        coeffs = new int[dstSize * n];
        for (int i = 0; i < dstSize; i++) {
            // Windows that would run past the end move left; start + count <= srcSize and
            // count <= span <= srcSize keep all of Pillow's taps inside [first, first + span).
            int f = Math.min(start[i], srcSize - n);
            first[i] = f;
            System.arraycopy(weights, i * taps, coeffs, i * n + start[i] - f, count[i]);
        }
    }

    /** Builds the taps for resizing {@code srcSize} samples to {@code dstSize} samples. */
    public static ResampleKernel of(Interpolation interpolation, int srcSize, int dstSize) {
        if (srcSize <= 0 || dstSize <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + srcSize + " -> " + dstSize);
        }
        return switch (interpolation) {
            case NEAREST -> nearest(srcSize, dstSize);
            case AREA -> convolution(interpolation, 0.5, srcSize, dstSize);
            case BILINEAR -> convolution(interpolation, 1.0, srcSize, dstSize);
            case BICUBIC -> convolution(interpolation, 2.0, srcSize, dstSize);
        };
    }

    boolean matches(Interpolation interp, int src, int dst) {
        return interpolation == interp && srcSize == src && dstSize == dst;
    }

    /** Whether this axis is the identity, in which case Pillow skips the pass entirely. */
    boolean isIdentity() {
        return srcSize == dstSize;
    }

    /**
     * Pillow's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} (libImaging/Resample.c):
     * the filter support is widened by the downscale factor (antialiasing), the window bounds are
     * rounded with {@code (int)(v + 0.5)}, the weights are normalised to sum 1 in double and then
     * rounded half away from zero to fixed point. Same expression order as the C code so the
     * doubles, and therefore the integer weights, are identical.
     */
    private static ResampleKernel convolution(Interpolation interp, double filterSupport, int in, int out) {
        double scale = (double) in / out;
        double filterscale = Math.max(scale, 1.0);
        double support = filterSupport * filterscale;
        int taps = (int) Math.ceil(support) * 2 + 1;
        int[] starts = new int[out];
        int[] counts = new int[out];
        int[] weights = new int[out * taps];
        double ss = 1.0 / filterscale;
        double[] w = new double[taps];
        boolean bicubic = interp == Interpolation.BICUBIC;
        boolean box = interp == Interpolation.AREA;
        for (int xx = 0; xx < out; xx++) {
            double center = (xx + 0.5) * scale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > in) {
                xmax = in;
            }
            xmax -= xmin;
            double ww = 0.0;
            for (int x = 0; x < xmax; x++) {
                double arg = (x + xmin - center + 0.5) * ss;
                double v = bicubic ? bicubic(arg) : box ? box(arg) : bilinear(arg);
                w[x] = v;
                ww += v;
            }
            int base = xx * taps;
            for (int x = 0; x < xmax; x++) {
                double v = ww != 0.0 ? w[x] / ww : w[x];
                weights[base + x] = v < 0 ? (int) (-0.5 + v * ONE) : (int) (0.5 + v * ONE);
            }
            starts[xx] = xmin;
            counts[xx] = xmax;
        }
        return new ResampleKernel(interp, in, out, taps, starts, counts, weights);
    }

    /**
     * Pillow's {@code Image.resize(NEAREST)} is {@code ImagingScaleAffine} (libImaging/Geometry.c):
     * source coordinate {@code xo} starts at {@code 0.5 * in/out} and is advanced by repeated
     * double addition of {@code in/out}, then truncated ({@code COORD}). Replicating the
     * accumulation (not {@code (i + 0.5) * in/out}) keeps ties identical.
     */
    private static ResampleKernel nearest(int in, int out) {
        int[] starts = new int[out];
        int[] counts = new int[out];
        int[] weights = new int[out];
        double a = (double) in / out;
        double xo = a * 0.5;
        for (int x = 0; x < out; x++) {
            int xin = xo < 0.0 ? 0 : Math.min((int) xo, in - 1);
            starts[x] = xin;
            counts[x] = 1;
            weights[x] = 1 << PRECISION_BITS;
            xo += a;
        }
        return new ResampleKernel(Interpolation.NEAREST, in, out, 1, starts, counts, weights);
    }

    /** Pillow's {@code box_filter} (support 0.5). */
    private static double box(double x) {
        return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
    }

    /** Pillow's {@code bilinear_filter} (triangle, support 1). */
    private static double bilinear(double x) {
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return 1.0 - x;
        }
        return 0.0;
    }

    /** Pillow's {@code bicubic_filter}: Keys cubic convolution with a = -0.5, support 2. */
    private static double bicubic(double x) {
        final double a = -0.5;
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }
}
