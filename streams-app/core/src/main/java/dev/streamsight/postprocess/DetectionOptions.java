package dev.streamsight.postprocess;

/**
 * Filtering applied after decoding a detector's output.
 *
 * @param scoreThreshold minimum confidence kept (0..1)
 * @param iouThreshold NMS overlap above which the lower-scored box is suppressed (0..1)
 * @param maxDetections at most this many boxes per image, best first
 * @param classAgnostic NMS across classes rather than within each class
 */
public record DetectionOptions(float scoreThreshold, float iouThreshold, int maxDetections,
        boolean classAgnostic) {

    public static final DetectionOptions DEFAULT = new DetectionOptions(0.35f, 0.45f, 100, false);

    public DetectionOptions {
        if (scoreThreshold < 0f || scoreThreshold > 1f) {
            throw new IllegalArgumentException("score threshold must be in [0,1]: " + scoreThreshold);
        }
        if (iouThreshold < 0f || iouThreshold > 1f) {
            throw new IllegalArgumentException("IoU threshold must be in [0,1]: " + iouThreshold);
        }
        if (maxDetections < 1) {
            throw new IllegalArgumentException("max detections must be >= 1: " + maxDetections);
        }
    }
}
