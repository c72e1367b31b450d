package dev.streamsight.image;

/**
 * A rectangle of an image in pixels: columns {@code [x, x + width)}, rows {@code [y, y + height)}.
 * Immutable.
 */
public record PixelRegion(int x, int y, int width, int height) {
    public PixelRegion {
        if (x < 0 || y < 0 || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("invalid region " + width + "x" + height + "+" + x + "+" + y);
        }
    }

    /** The whole of a {@code width x height} image. */
    public static PixelRegion whole(int width, int height) {
        return new PixelRegion(0, 0, width, height);
    }

    /** Whether this is the whole of a {@code width x height} image. */
    public boolean isWhole(int imageWidth, int imageHeight) {
        return x == 0 && y == 0 && width == imageWidth && height == imageHeight;
    }

    /** Whether this region lies inside a {@code width x height} image. */
    public boolean fitsIn(int imageWidth, int imageHeight) {
        return x <= imageWidth - width && y <= imageHeight - height;
    }

    /** The smallest region that contains both. */
    public PixelRegion union(PixelRegion other) {
        int x0 = Math.min(x, other.x);
        int y0 = Math.min(y, other.y);
        int x1 = Math.max(x + width, other.x + other.width);
        int y1 = Math.max(y + height, other.y + other.height);
        return new PixelRegion(x0, y0, x1 - x0, y1 - y0);
    }
}
