package dev.streamsight.image;

/**
 * What the consumer of a decoded image needs, so a decoder may decode at reduced scale.
 *
 * <p>{@code minShortSide} is the smallest shorter side the decoded image may have (0: full
 * resolution). A JPEG decoder picks the smallest DCT scale whose shorter side stays at or above it;
 * callers pass about twice the resize target so antialiased resampling keeps accuracy.
 */
public record DecodeHint(int minShortSide) {
    public static final DecodeHint FULL_RESOLUTION = new DecodeHint(0);

    public DecodeHint {
        if (minShortSide < 0) {
            throw new IllegalArgumentException("minShortSide must be >= 0");
        }
    }
}
