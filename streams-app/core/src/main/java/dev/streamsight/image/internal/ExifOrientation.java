package dev.streamsight.image.internal;

/**
 * Reads the EXIF orientation tag (0x0112) from JPEG APP1, PNG {@code eXIf} and WebP {@code EXIF}
 * data, with a small bounded TIFF parser (both byte orders). Garbage yields 1 (no transform).
 */
public final class ExifOrientation {
    /** The identity orientation. */
    public static final int NORMAL = 1;
    private static final int TAG_ORIENTATION = 0x0112;
    private static final int MAX_ENTRIES = 1024;

    private ExifOrientation() {
    }

    /** The orientation (1..8) declared by an image of the given format, 1 when none. */
    public static int read(ImageFormat format, byte[] d) {
        return switch (format) {
            case JPEG -> {
                JpegStructure s = JpegStructure.scan(d);
                yield s.exifOffset() < 0 ? NORMAL : fromTiff(d, s.exifOffset(), s.exifLength());
            }
            case PNG -> fromPng(d);
            case WEBP -> fromWebp(d);
            default -> NORMAL;
        };
    }

    /** The orientation in a TIFF structure at {@code d[off, off+len)}; 1 when absent or invalid. */
    public static int fromTiff(byte[] d, int off, int len) {
        if (off < 0 || len < 8 || off + len > d.length) {
            return NORMAL;
        }
        boolean little;
        if (d[off] == 'I' && d[off + 1] == 'I') {
            little = true;
        } else if (d[off] == 'M' && d[off + 1] == 'M') {
            little = false;
        } else {
            return NORMAL;
        }
        if (u16(d, off + 2, little) != 42) {
            return NORMAL;
        }
        long ifd = u32(d, off + 4, little);
        if (ifd < 8 || ifd > len - 2) {
            return NORMAL;
        }
        int p = off + (int) ifd;
        int count = Math.min(u16(d, p, little), MAX_ENTRIES);
        p += 2;
        for (int i = 0; i < count && p + 12 <= off + len; i++, p += 12) {
            if (u16(d, p, little) == TAG_ORIENTATION) {
                int type = u16(d, p + 2, little);
                int value = switch (type) {
                    case 3 -> u16(d, p + 8, little); // SHORT
                    case 4 -> (int) Math.min(u32(d, p + 8, little), 9); // LONG, written by a few tools
                    default -> 0;
                };
                return value >= 1 && value <= 8 ? value : NORMAL;
            }
        }
        return NORMAL;
    }

    private static int fromPng(byte[] d) {
        int p = 8;
        while (p + 12 <= d.length) {
            long len = u32(d, p, false);
            if (len > d.length - p - 12) {
                return NORMAL;
            }
            if (ImageFormat.matches(d, p + 4, ImageFormat.ascii("eXIf"))) {
                return fromTiffMaybePrefixed(d, p + 8, (int) len);
            }
            if (ImageFormat.matches(d, p + 4, ImageFormat.ascii("IEND"))) {
                return NORMAL;
            }
            p += 12 + (int) len;
        }
        return NORMAL;
    }

    private static int fromWebp(byte[] d) {
        int p = 12;
        while (p + 8 <= d.length) {
            long len = u32(d, p + 4, true);
            if (len > d.length - p - 8) {
                return NORMAL;
            }
            if (ImageFormat.matches(d, p, ImageFormat.ascii("EXIF"))) {
                return fromTiffMaybePrefixed(d, p + 8, (int) len);
            }
            p += 8 + (int) len + (int) (len & 1);
        }
        return NORMAL;
    }

    private static int fromTiffMaybePrefixed(byte[] d, int off, int len) {
        if (ImageFormat.matches(d, off, ImageFormat.ascii("Exif\0\0")) && len > 6) {
            return fromTiff(d, off + 6, len - 6);
        }
        return fromTiff(d, off, len);
    }

    private static int u16(byte[] d, int p, boolean little) {
        int a = d[p] & 0xFF;
        int b = d[p + 1] & 0xFF;
        return little ? a | b << 8 : a << 8 | b;
    }

    private static long u32(byte[] d, int p, boolean little) {
        long hi = u16(d, little ? p + 2 : p, little);
        long lo = u16(d, little ? p : p + 2, little);
        return hi << 16 | lo;
    }
}
