package dev.streamsight.image;

/**
 * A decoded image as 8-bit RGB triplets, row-major, no padding ({@code pixels.length == 3*width*height}).
 *
 * <p>{@code width}/{@code height} are the dimensions of {@code pixels}. {@code sourceWidth}/{@code
 * sourceHeight} are the dimensions of the full-resolution image after EXIF orientation; they differ
 * from width/height when the decoder used a reduced DCT scale. Boxes and geometry are reported in
 * source pixels. Immutable by convention: the array is not copied, so callers must not change it.
 */
public record RgbImage(int width, int height, byte[] pixels, int sourceWidth, int sourceHeight) {
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if (pixels.length != 3L * width * height) {
            throw new IllegalArgumentException(
                    "pixels length " + pixels.length + " != 3*" + width + "*" + height);
        }
        if (sourceWidth <= 0 || sourceHeight <= 0) {
            throw new IllegalArgumentException("source size must be positive");
        }
    }

    /** An image decoded at full resolution. */
    public static RgbImage of(int width, int height, byte[] pixels) {
        return new RgbImage(width, height, pixels, width, height);
    }
}
