package dev.streamsight.inference;

/**
 * Where one image's time went, in nanoseconds. {@code inferenceNanos} is the whole batch's
 * session run, shared by the {@code batchSize} images in it.
 */
public record StageTimings(long decodeNanos, long preprocessNanos, long inferenceNanos,
        long postprocessNanos, int batchSize) {
    public static final StageTimings NONE = new StageTimings(0, 0, 0, 0, 0);

    public double decodeMillis() {
        return decodeNanos / 1e6;
    }

    public double inferenceMillis() {
        return inferenceNanos / 1e6;
    }
}
