package dev.streamsight.image;

/**
 * Which part of a decoded image its consumer will read, so that a decoder may skip the rest: a
 * centre-cropping {@link Preprocessor} reads only the pixels under its crop and their filter taps.
 *
 * <p>Called by a decoder once per image, after it has chosen its decode scale, with the size of
 * the image it would produce and of the full-resolution image (both after EXIF orientation); the
 * result must lie inside the former. Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface RegionOfInterest {
    /** Every pixel. */
    RegionOfInterest WHOLE = (width, height, sourceWidth, sourceHeight) -> PixelRegion.whole(width, height);

    /**
     * The region that will be read of a {@code width x height} decoded image of a {@code
     * sourceWidth x sourceHeight} one (equal sizes unless it was decoded at reduced scale).
     */
    PixelRegion of(int width, int height, int sourceWidth, int sourceHeight);

    /** Reads what either reads; {@link #WHOLE} absorbs everything. */
    default RegionOfInterest union(RegionOfInterest other) {
        if (this == WHOLE || other == WHOLE) {
            return WHOLE;
        }
        RegionOfInterest self = this;
        return (w, h, sw, sh) -> self.of(w, h, sw, sh).union(other.of(w, h, sw, sh));
    }
}
