package dev.streamsight.bench;

import java.util.Locale;

/**
 * The machine's limit for a model: the images per second it could classify if it did nothing but
 * decode + preprocess and inference, both stages time-sharing all its cores. Inference costs
 * {@code 1/E} seconds of the whole machine per image (E: the engine's best images/s using all
 * cores), and decoding {@code 1/D} (D: decode + preprocess images/s on all cores: the larger of
 * {@code P1*C}, P1 on one core times C cores, and PC, measured on all cores at once, so that one
 * disturbed measurement does not lower the limit), so {@code limit = 1 / (1/E + 1/D)}. Kafka,
 * fetching and output decoding are left out: the pipeline can only come close to it from below.
 *
 * @param engineImagesPerSecond E
 * @param preprocessOneCoreImagesPerSecond P1
 * @param cores C
 * @param preprocessAllCoresImagesPerSecond PC, or NaN when not measured
 */
public record MachineLimit(double engineImagesPerSecond, double preprocessOneCoreImagesPerSecond, int cores,
        double preprocessAllCoresImagesPerSecond) {

    public MachineLimit {
        if (!(engineImagesPerSecond > 0) || !(preprocessOneCoreImagesPerSecond > 0) || cores < 1) {
            throw new IllegalArgumentException("need E > 0, P1 > 0 and C >= 1, got E=" + engineImagesPerSecond
                    + " P1=" + preprocessOneCoreImagesPerSecond + " C=" + cores);
        }
        if (preprocessAllCoresImagesPerSecond <= 0) {
            throw new IllegalArgumentException("PC must be > 0 or NaN, got " + preprocessAllCoresImagesPerSecond);
        }
    }

    /** Without an all-cores decoding figure: D = P1*C. */
    public MachineLimit(double engineImagesPerSecond, double preprocessOneCoreImagesPerSecond, int cores) {
        this(engineImagesPerSecond, preprocessOneCoreImagesPerSecond, cores, Double.NaN);
    }

    /** D: decode + preprocess images/s on all cores. */
    public double decodeImagesPerSecond() {
        double scaled = preprocessOneCoreImagesPerSecond * cores;
        return Double.isNaN(preprocessAllCoresImagesPerSecond) ? scaled
                : Math.max(scaled, preprocessAllCoresImagesPerSecond);
    }

    /** Images per second. */
    public double imagesPerSecond() {
        return 1.0 / (1.0 / engineImagesPerSecond + 1.0 / decodeImagesPerSecond());
    }

    /** The share of the machine's time inference takes at the limit (the rest is decoding). */
    public double inferenceShare() {
        return imagesPerSecond() / engineImagesPerSecond;
    }

    /** The formula with the figures, e.g. {@code 1 / (1/250.0 + 1/(1000.0*2)) = 222.2 images/s}. */
    public String formula() {
        if (Double.isNaN(preprocessAllCoresImagesPerSecond)) {
            return String.format(Locale.ROOT,
                    "limit = 1 / (1/E + 1/(P1*C)) = 1 / (1/%.1f + 1/(%.1f*%d)) = %.1f images/s", engineImagesPerSecond, preprocessOneCoreImagesPerSecond, cores, imagesPerSecond());
        }
        return String.format(Locale.ROOT, "limit = 1 / (1/E + 1/max(P1*C, PC)) = 1 / (1/%.1f + 1/max(%.1f*%d, %.1f))"
                + " = %.1f images/s", engineImagesPerSecond, preprocessOneCoreImagesPerSecond, cores,
                preprocessAllCoresImagesPerSecond, imagesPerSecond());
    }
}
