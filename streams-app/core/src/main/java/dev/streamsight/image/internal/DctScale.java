package dev.streamsight.image.internal;

/**
 * A DCT scaling factor {@code eighths/8} of libjpeg: the decoder computes the image at that
 * fraction of its size in the DCT domain, at a fraction of the cost of a full decode.
 *
 * @param eighths 1 to 8 (8: full size)
 */
public record DctScale(int eighths) {
    /** Full size. */
    public static final DctScale FULL = new DctScale(8);

    public DctScale {
        if (eighths < 1 || eighths > 8) {
            throw new IllegalArgumentException("eighths must be 1..8: " + eighths);
        }
    }

    /** The size libjpeg gives a side of {@code dim} pixels: {@code ceil(dim * eighths / 8)}. */
    public int scale(int dim) {
        return (int) (((long) dim * eighths + 7) / 8);
    }

    /**
     * The smallest factor whose scaled shorter side is {@code >= minShortSide}; {@link #FULL} when
     * {@code minShortSide} is 0 or no reduction qualifies.
     */
    public static DctScale choose(int width, int height, int minShortSide) {
        if (minShortSide > 0) {
            for (int n = 1; n < 8; n++) {
                DctScale s = new DctScale(n);
                if (Math.min(s.scale(width), s.scale(height)) >= minShortSide) {
                    return s;
                }
            }
        }
        return FULL;
    }
}
