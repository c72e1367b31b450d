package dev.streamsight.image;

import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Resamples, crops or letterboxes, reorders and normalises one {@link RgbImage} straight into a
 * slot of a batch tensor's buffer, per a {@link PreprocessSpec}.
 *
 * <p>Implementations are thread-safe; scratch memory, if any, is per thread. The buffer slot for
 * image {@code i} of a batch starts at element {@code i * 3 * W * H}; absolute puts are used, so
 * the buffer's position and limit are not changed.
 */
public interface Preprocessor {
    /** The spec this preprocessor applies. */
    PreprocessSpec spec();

    /** Writes float32 values at {@code offset} (elements) and returns the geometry used. */
    Geometry write(RgbImage image, FloatBuffer tensor, int offset);

    /**
     * The part of a decoded image that {@link #write} reads (the default: all of it), for {@link
     * DecodeHint#region()}. An image given to {@code write} must hold at least this region.
     */
    default RegionOfInterest regionOfInterest() {
        return RegionOfInterest.WHOLE;
    }

    /** Writes IEEE 754 half-precision values ({@link Float#floatToFloat16}) at {@code offset}. */
    Geometry writeHalf(RgbImage image, ShortBuffer tensor, int offset);
}
