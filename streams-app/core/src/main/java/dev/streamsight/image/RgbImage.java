package dev.streamsight.image;

import java.util.Objects;

/**
 * A decoded image as 8-bit RGB triplets, row-major, no padding.
 *
 * <p>{@code width}/{@code height} are the dimensions of the decoded image. {@code pixels} holds
 * its {@code region} only ({@code pixels.length == 3 * region.width * region.height}): the whole
 * image unless the decoder was told that only part of it will be read ({@link DecodeHint#region()}).
 * {@code sourceWidth}/{@code sourceHeight} are the dimensions of the full-resolution image after
 * EXIF orientation; they differ from width/height when the decoder used a reduced DCT scale.
 * Boxes and geometry are reported in source pixels. Immutable by convention: the array is not
 * copied, so callers must not change it.
 */
public record RgbImage(int width, int height, byte[] pixels, int sourceWidth, int sourceHeight,
        PixelRegion region) {
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if (sourceWidth <= 0 || sourceHeight <= 0) {
            throw new IllegalArgumentException("source size must be positive");
        }
        Objects.requireNonNull(region, "region");
        if (!region.fitsIn(width, height)) {
            throw new IllegalArgumentException("region " + region + " outside the " + width + "x" + height + " image");
        }
        if (pixels.length != 3L * region.width() * region.height()) {
            throw new IllegalArgumentException(
                    "pixels length " + pixels.length + " != 3*" + region.width() + "*" + region.height());
        }
    }

    /** A whole image, possibly decoded at reduced scale from a {@code sourceWidth x sourceHeight} one. */
    public RgbImage(int width, int height, byte[] pixels, int sourceWidth, int sourceHeight) {
        this(width, height, pixels, sourceWidth, sourceHeight, PixelRegion.whole(width, height));
    }

    /** An image decoded whole at full resolution. */
    public static RgbImage of(int width, int height, byte[] pixels) {
        return new RgbImage(width, height, pixels, width, height);
    }

    /** Whether {@link #pixels()} holds the whole image. */
    public boolean isWhole() {
        return region.isWhole(width, height);
    }
}
