package dev.streamsight.bench;

import java.util.Locale;

/**
 * The machine's limit for a model: the images per second it could classify if it did nothing but
 * decode + preprocess and inference, both stages time-sharing all its cores. Inference costs
 * {@code 1/E} seconds of the whole machine per image (E: the engine's best images/s using all
 * cores), and decoding {@code 1/P1} core-seconds, that is {@code 1/(P1*C)} seconds of the whole
 * machine (P1: decode + preprocess images/s on one core, C cores), so
 * {@code limit = 1 / (1/E + 1/(P1*C))}. Kafka, fetching and output decoding are left out: the
 * pipeline can only come close to it from below.
 *
 * @param engineImagesPerSecond E
 * @param preprocessOneCoreImagesPerSecond P1
 * @param cores C
 */
public record MachineLimit(double engineImagesPerSecond, double preprocessOneCoreImagesPerSecond, int cores) {

    public MachineLimit {
        if (!(engineImagesPerSecond > 0) || !(preprocessOneCoreImagesPerSecond > 0) || cores < 1) {
            throw new IllegalArgumentException("need E > 0, P1 > 0 and C >= 1, got E=" + engineImagesPerSecond
                    + " P1=" + preprocessOneCoreImagesPerSecond + " C=" + cores);
        }
    }

    /** Images per second. */
    public double imagesPerSecond() {
        return 1.0 / (1.0 / engineImagesPerSecond + 1.0 / (preprocessOneCoreImagesPerSecond * cores));
    }

    /** The share of the machine's time inference takes at the limit (the rest is decoding). */
    public double inferenceShare() {
        return imagesPerSecond() / engineImagesPerSecond;
    }

    /** The formula with the figures, e.g. {@code 1 / (1/250.0 + 1/(1000.0*2)) = 222.2 images/s}. */
    public String formula() {
        return String.format(Locale.ROOT, "limit = 1 / (1/E + 1/(P1*C)) = 1 / (1/%.1f + 1/(%.1f*%d)) = %.1f images/s",
                engineImagesPerSecond, preprocessOneCoreImagesPerSecond, cores, imagesPerSecond());
    }
}
