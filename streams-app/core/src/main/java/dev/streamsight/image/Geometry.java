package dev.streamsight.image;

/**
 * Maps model-input coordinates back to source-image pixels for one preprocessed image.
 *
 * <p>A source point (x, y) lands in the tensor at {@code (x*scaleX + offsetX, y*scaleY + offsetY)};
 * {@link #toSourceX}/{@link #toSourceY} invert that and clamp to the source image. A centre crop has
 * negative offsets, a letterbox non-negative ones.
 *
 * @param sourceWidth width of the original image (after EXIF orientation)
 * @param sourceHeight height of the original image
 */
public record Geometry(int sourceWidth, int sourceHeight, double scaleX, double scaleY,
        double offsetX, double offsetY) {

    public double toSourceX(double tensorX) {
        return clamp((tensorX - offsetX) / scaleX, sourceWidth);
    }

    public double toSourceY(double tensorY) {
        return clamp((tensorY - offsetY) / scaleY, sourceHeight);
    }

    private static double clamp(double v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
