package dev.streamsight.image.internal;

import dev.streamsight.image.RgbImage;

/** Applies an EXIF orientation (1..8) to interleaved RGB pixels, as Pillow's {@code exif_transpose}. */
public final class Orientation {
    private Orientation() {
    }

    /** Whether the orientation swaps width and height (5..8). */
    public static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /**
     * Returns the image as displayed under {@code orientation}.
     *
     * @param w width of {@code src}
     * @param h height of {@code src}
     * @param fullW full-resolution width before orientation (equals w unless DCT-scaled)
     * @param fullH full-resolution height before orientation
     */
    public static RgbImage apply(byte[] src, int w, int h, int fullW, int fullH, int orientation) {
        boolean swap = swapsAxes(orientation);
        int srcW = swap ? fullH : fullW;
        int srcH = swap ? fullW : fullH;
        if (orientation <= 1 || orientation > 8) {
            return new RgbImage(w, h, src, fullW, fullH);
        }
        int dw = swap ? h : w;
        int dh = swap ? w : h;
        byte[] dst = new byte[src.length];
        for (int y = 0; y < dh; y++) {
            int o = y * dw * 3;
            for (int x = 0; x < dw; x++, o += 3) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                int i = (sy * w + sx) * 3;
                dst[o] = src[i];
                dst[o + 1] = src[i + 1];
                dst[o + 2] = src[i + 2];
            }
        }
        return new RgbImage(dw, dh, dst, srcW, srcH);
    }
}
