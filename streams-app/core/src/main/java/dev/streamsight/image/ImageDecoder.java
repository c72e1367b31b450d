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
}
