package dev.streamsight.image;

/**
 * Decodes encoded image bytes (JPEG, PNG, BMP, GIF, WebP) into an {@link RgbImage}.
 *
 * <p>Rules, shared by every implementation: EXIF orientation is applied; alpha is dropped (the colour
 * values are kept, as Pillow's {@code convert("RGB")} does); grayscale is replicated to three
 * channels; 16-bit samples are reduced to their high byte; CMYK/YCCK JPEGs are converted to RGB;
 * embedded ICC profiles are not applied (training pipelines built on Pillow ignore them); for
 * animated GIFs the first frame is used.
 *
 * <p>Implementations are thread-safe and hold no per-call state; one instance serves all threads.
 * Failures are {@link ImageException}s with a specific {@link dev.streamsight.ReasonCode}.
 */
public interface ImageDecoder {
    /**
     * Decodes one image.
     *
     * @param encoded the whole encoded file
     * @param hint the smallest size and the region the caller needs, allowing a reduced-scale or
     *     partial decode ({@link RgbImage#region()} says which part was decoded)
     * @throws ImageException with EMPTY_INPUT, UNSUPPORTED_FORMAT, TRUNCATED, DECODE_FAILED or
     *     IMAGE_TOO_LARGE
     */
    RgbImage decode(byte[] encoded, DecodeHint hint);

    /**
     * How much heap {@link #decode} will take for these bytes and this hint, from the sizes the
     * header declares, without decoding. Never throws: bytes whose header cannot be read get a zero
     * footprint (their decode fails before allocating pixels).
     *
     * <p>This default assumes a whole decode at full resolution by javax.imageio, the most a decode of
     * a supported format takes; decoders that do less (reduced DCT scale) say so by overriding it.
     */
    default DecodeFootprint footprint(byte[] encoded, DecodeHint hint) {
        return dev.streamsight.image.internal.Footprints.fullResolution(encoded, Long.MAX_VALUE);
    }
}
