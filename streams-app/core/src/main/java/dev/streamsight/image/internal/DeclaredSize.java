package dev.streamsight.image.internal;

/**
 * The image size a file's header declares, read straight from the bytes (no codec involved), so
 * the pixel guard runs before any reader allocates anything. Unknown or unreadable: {@code null}.
 */
final class DeclaredSize {
    private DeclaredSize() {
    }

    /** {width, height} as declared (long, since BMP and VP8X allow values above 2^16), or null. */
    static long[] of(ImageFormat format, byte[] d) {
        return switch (format) {
            case JPEG -> {
                JpegStructure s = JpegStructure.scan(d);
                yield s.width() < 0 ? null : new long[] {s.width(), s.height()};
            }
            case PNG -> d.length >= 24 && ImageFormat.matches(d, 12, ImageFormat.ascii("IHDR"))
                    ? new long[] {be32(d, 16), be32(d, 20)} : null;
            case GIF -> d.length >= 10 ? new long[] {le16(d, 6), le16(d, 8)} : null;
            case BMP -> bmp(d);
            case WEBP -> webp(d);
        };
    }

    private static long[] bmp(byte[] d) {
        if (d.length < 26) {
            return null;
        }
        long dib = le32(d, 14);
        if (dib == 12) {
            return new long[] {le16(d, 18), le16(d, 20)};
        }
        return new long[] {Math.abs((long) (int) le32(d, 18)), Math.abs((long) (int) le32(d, 22))};
    }

    private static long[] webp(byte[] d) {
        if (d.length < 30) {
            return null;
        }
        if (ImageFormat.matches(d, 12, ImageFormat.ascii("VP8X"))) {
            return new long[] {1 + le24(d, 24), 1 + le24(d, 27)};
        }
        if (ImageFormat.matches(d, 12, ImageFormat.ascii("VP8L")) && (d[20] & 0xFF) == 0x2F) {
            long bits = le32(d, 21);
            return new long[] {1 + (bits & 0x3FFF), 1 + (bits >>> 14 & 0x3FFF)};
        }
        if (ImageFormat.matches(d, 12, ImageFormat.ascii("VP8 ")) && (d[23] & 0xFF) == 0x9D
                && (d[24] & 0xFF) == 0x01 && (d[25] & 0xFF) == 0x2A) {
            return new long[] {le16(d, 26) & 0x3FFF, le16(d, 28) & 0x3FFF};
        }
        return null;
    }

    private static long be32(byte[] d, int p) {
        return (long) (d[p] & 0xFF) << 24 | (d[p + 1] & 0xFF) << 16 | (d[p + 2] & 0xFF) << 8 | (d[p + 3] & 0xFF);
    }

    private static long le16(byte[] d, int p) {
        return (d[p] & 0xFF) | (d[p + 1] & 0xFF) << 8;
    }

    private static long le24(byte[] d, int p) {
        return le16(d, p) | (long) (d[p + 2] & 0xFF) << 16;
    }

    private static long le32(byte[] d, int p) {
        return le24(d, p) | (long) (d[p + 3] & 0xFF) << 24;
    }

    /** Throws IMAGE_TOO_LARGE when the declared size exceeds {@code maxPixels}; unknown sizes pass. */
    static void check(ImageFormat format, byte[] d, long maxPixels) {
        long[] size = of(format, d);
        if (size != null && size[0] > 0 && size[1] > 0) {
            DecodeErrors.checkPixels(format, size[0], size[1], maxPixels);
        }
    }
}
