package dev.streamsight.image.internal;

import dev.streamsight.image.DecodeFootprint;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Heap footprints of decodes ({@link DecodeFootprint}) from the sizes an image's header declares.
 *
 * <p>The model, checked against the smallest heap in which 8000x8000 PNGs and JPEGs still decode:
 * javax.imageio decodes into a raster of the format's samples (3 bytes a pixel for RGB), which
 * {@link RgbConverter} copies into 3 bytes a pixel; an EXIF orientation other than 1 makes one more
 * copy; for JPEG the encoded bytes may be copied once to strip ICC profiles, and the image input
 * stream caches what it reads. libjpeg writes straight into the RGB array at the chosen DCT scale.
 * Stateless; never throws.
 */
public final class Footprints {
    private Footprints() {
    }

    /**
     * The footprint of a whole decode at full resolution by javax.imageio; zero when the header
     * cannot be read or declares more than {@code maxPixels} pixels (the decode refuses those
     * before allocating).
     */
    public static DecodeFootprint fullResolution(byte[] encoded, long maxPixels) {
        try {
            ImageFormat format = ImageFormat.sniff(encoded);
            long[] size = DeclaredSize.of(format, encoded);
            if (size == null || size[0] <= 0 || size[1] <= 0) {
                size = readerSize(encoded);
            }
            if (size == null || size[0] <= 0 || size[1] <= 0) {
                return DecodeFootprint.unreadable(format + " header declares no size");
            }
            long pixels = size[0] * size[1];
            if (pixels > maxPixels) {
                return DecodeFootprint.unreadable(format + " over the pixel limit");
            }
            long rgb = 3 * pixels;
            long rotated = ExifOrientation.read(format, encoded) == ExifOrientation.NORMAL ? 0 : rgb;
            long copies = format == ImageFormat.JPEG ? 2L * encoded.length : encoded.length;
            long peak = pixels * rasterBytesPerPixel(format, encoded) + rgb + rotated + copies;
            return new DecodeFootprint(peak, rgb, size[0] + "x" + size[1] + " " + format + " at full size");
        } catch (RuntimeException e) {
            return DecodeFootprint.unreadable("unreadable header: " + e.getMessage());
        }
    }

    /** The footprint of libjpeg's decode of a {@code width x height} JPEG at {@code scale}. */
    static DecodeFootprint scaledJpeg(int width, int height, int orientation, DctScale scale) {
        int sw = scale.scale(width);
        int sh = scale.scale(height);
        long rgb = 3L * sw * sh;
        long peak = orientation == ExifOrientation.NORMAL ? rgb : 2 * rgb;
        String at = scale.equals(DctScale.FULL) ? "at full size"
                : "at " + scale.eighths() + "/8 scale (" + sw + "x" + sh + ")";
        return new DecodeFootprint(peak, rgb, width + "x" + height + " JPEG " + at);
    }

    /** Bytes a pixel of the raster javax.imageio decodes the format into (an upper bound). */
    private static int rasterBytesPerPixel(ImageFormat format, byte[] d) {
        return switch (format) {
            case JPEG -> switch (JpegStructure.scan(d).components()) {
                case 1 -> 1;
                case 4 -> 4;
                default -> 3;
            };
            case PNG -> d.length < 26 ? 8 : pngChannels(d[25] & 0xFF) * ((d[24] & 0xFF) == 16 ? 2 : 1);
            case GIF -> 1;
            case BMP -> 4;
            // TwelveMonkeys decodes into packed ARGB ints; a lossy frame goes through YUV planes first.
            case WEBP -> 6;
        };
    }

    private static int pngChannels(int colourType) {
        return switch (colourType) {
            case 0, 3 -> 1; // gray, palette
            case 2 -> 3;
            case 4 -> 2;
            default -> 4;
        };
    }

    /** The size as the format's ImageIO reader parses it from the header (no pixels read), or null. */
    private static long[] readerSize(byte[] encoded) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new long[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
