package dev.streamsight.image;

/**
 * Settings shared by every {@link ImageDecoder} built by {@link ImageDecoders}.
 *
 * <p>{@code maxPixels} is the decompression-bomb guard: an image whose header declares more than
 * {@code width * height > maxPixels} pixels is rejected with {@link
 * dev.streamsight.ReasonCode#IMAGE_TOO_LARGE} before any pixel memory is allocated. It is bounded
 * above by {@link #MAX_PIXELS_LIMIT} so that every intermediate buffer (up to four 16-bit samples
 * per pixel) still fits in one Java array. Immutable and thread-safe.
 *
 * @param maxPixels the largest accepted {@code width * height} of the full-resolution image
 */
public record DecoderOptions(long maxPixels) {
    /** Default pixel limit: 100 megapixels (about 300 MB of decoded RGB). */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    /** Largest allowed {@code maxPixels}: four samples per pixel must fit in an int-indexed array. */
    public static final long MAX_PIXELS_LIMIT = Integer.MAX_VALUE / 4;

    /** Options with {@link #DEFAULT_MAX_PIXELS}. */
    public static final DecoderOptions DEFAULTS = new DecoderOptions(DEFAULT_MAX_PIXELS);

    public DecoderOptions {
        if (maxPixels < 1 || maxPixels > MAX_PIXELS_LIMIT) {
            throw new IllegalArgumentException(
                    "maxPixels must be in [1, " + MAX_PIXELS_LIMIT + "], was " + maxPixels);
        }
    }
}
