package dev.streamsight.image;

import java.util.Objects;

/**
 * What the consumer of a decoded image needs, so a decoder may do less work.
 *
 * <p>{@code minShortSide} is the smallest shorter side the decoded image may have (0: full
 * resolution). A JPEG decoder picks the smallest DCT scale whose shorter side stays at or above it;
 * callers pass about twice the resize target so antialiased resampling keeps accuracy.
 *
 * <p>{@code region} is the part of the image that will be read. A decoder may then return only
 * that part ({@link RgbImage#region()}); it may always return more. Immutable.
 */
public record DecodeHint(int minShortSide, RegionOfInterest region) {
    public static final DecodeHint FULL_RESOLUTION = new DecodeHint(0);

    public DecodeHint {
        if (minShortSide < 0) {
            throw new IllegalArgumentException("minShortSide must be >= 0");
        }
        Objects.requireNonNull(region, "region");
    }

    /** The whole image, at a short side of at least {@code minShortSide}. */
    public DecodeHint(int minShortSide) {
        this(minShortSide, RegionOfInterest.WHOLE);
    }

    /** A hint that serves both consumers: the larger minimum size and both regions. */
    public DecodeHint union(DecodeHint other) {
        return new DecodeHint(Math.max(minShortSide, other.minShortSide), region.union(other.region));
    }
}
