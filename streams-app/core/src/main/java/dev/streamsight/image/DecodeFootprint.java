package dev.streamsight.image;

/**
 * The Java heap one decode takes, judged from the image's header before any pixel is allocated, so
 * that a caller can hold several decodes under a memory budget.
 *
 * <p>{@code peakBytes} is what the decode allocates while it runs, beyond the encoded array it is
 * given: the codec's raster, the RGB pixels and any copy of the encoded bytes.
 * {@code retainedBytes} is what the returned {@link RgbImage} keeps (its pixels). Both are upper
 * bounds for the sizes the header declares; a decode that fails early allocates less. Immutable.
 *
 * @param peakBytes heap allocated during the decode, the retained pixels included
 * @param retainedBytes heap held by the decoded image afterwards ({@code <= peakBytes})
 * @param description what was assumed, for messages: {@code 8000x8000 PNG at full size}
 */
public record DecodeFootprint(long peakBytes, long retainedBytes, String description) {
    public DecodeFootprint {
        if (retainedBytes < 0 || peakBytes < retainedBytes) {
            throw new IllegalArgumentException("need 0 <= retainedBytes <= peakBytes, got " + retainedBytes + " and "
                    + peakBytes);
        }
    }

    /** A decode whose header cannot be read: it fails (or is refused) before allocating pixels. */
    public static DecodeFootprint unreadable(String why) {
        return new DecodeFootprint(0, 0, why);
    }
}
