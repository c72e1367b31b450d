package dev.streamsight.image.internal;

import dev.streamsight.ReasonCode;
import dev.streamsight.image.DecodeFootprint;
import dev.streamsight.image.DecodeHint;
import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.ImageException;
import dev.streamsight.image.PixelRegion;
import dev.streamsight.image.RgbImage;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ImageDecoder} that decodes baseline/progressive/grayscale JPEGs with libjpeg-turbo's
 * libjpeg, through the native shim {@link RegionJpeg}, and hands everything else (other formats,
 * CMYK/YCCK JPEGs) to a fallback decoder.
 *
 * <p>Honours {@link DecodeHint#minShortSide()} with DCT scaling: the smallest factor {@code n/8}
 * whose scaled shorter side ({@code ceil(dim * n / 8)}) is still {@code >= minShortSide} ({@link
 * DctScale#choose}). Honours {@link DecodeHint#region()} when the image needs no EXIF rotation:
 * only that rectangle is decoded, and nothing below it is read, so a file cut short below the
 * region is recognised by its missing EOI marker instead (files whose scan {@link JpegStructure}
 * does not find, past bytes between markers, are decoded whole, to libjpeg's end-of-data check). The image's size comes from its SOF
 * marker ({@link JpegStructure}), or, where that cannot tell, from libjpeg's reading of the header,
 * and is checked against {@link DecoderOptions#maxPixels()} before any pixel is allocated.
 *
 * <p>Thread-safe and stateless: every decode has its own libjpeg decompressor, which the shim
 * creates and destroys within the call. Decodes of up to {@link #MAX_CRITICAL_BYTES} (encoded plus
 * decoded) run on the Java arrays in place; larger ones go through native copies, so that the
 * garbage collector is not held up for their whole decode.
 */
public final class LibjpegDecoder implements ImageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(LibjpegDecoder.class);

    /**
     * Largest encoded plus decoded size decoded in place on the Java arrays (48 MiB: a 16 MP image),
     * as a critical downcall, during which the garbage collector waits.
     */
    public static final long MAX_CRITICAL_BYTES = 48L << 20;

    private final RegionJpeg jpeg;
    private final ImageDecoder fallback;
    private final DecoderOptions options;
    private final long maxCriticalBytes;

    /** Decodes JPEGs with {@code jpeg}, and the rest with {@code fallback}. */
    public LibjpegDecoder(RegionJpeg jpeg, ImageDecoder fallback, DecoderOptions options) {
        this(jpeg, fallback, options, MAX_CRITICAL_BYTES);
    }

    /** Same, with another limit of in-place decodes (exposed for tests of the native copies). */
    public LibjpegDecoder(RegionJpeg jpeg, ImageDecoder fallback, DecoderOptions options, long maxCriticalBytes) {
        this.jpeg = Objects.requireNonNull(jpeg, "jpeg");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.options = Objects.requireNonNull(options, "options");
        this.maxCriticalBytes = maxCriticalBytes;
    }

    @Override
    public RgbImage decode(byte[] encoded, DecodeHint hint) {
        Objects.requireNonNull(encoded, "encoded");
        Objects.requireNonNull(hint, "hint");
        if (ImageFormat.sniff(encoded) != ImageFormat.JPEG) {
            return fallback.decode(encoded, hint);
        }
        JpegStructure structure = JpegStructure.scan(encoded);
        if (structure.headerTruncated()) {
            throw new ImageException(ReasonCode.TRUNCATED, "JPEG data ends inside its header segments");
        }
        int orientation = structure.exifOffset() < 0 ? ExifOrientation.NORMAL
                : ExifOrientation.fromTiff(encoded, structure.exifOffset(), structure.exifLength());
        int width = structure.width();
        int height = structure.height();
        if (width > 0 && height > 0) {
            DecodeErrors.checkPixels(ImageFormat.JPEG, width, height, options.maxPixels());
            RgbImage image = decode(encoded, structure, hint, orientation, width, height);
            if (image != null) {
                return image;
            }
        }
        // The SOF marker was not found, or libjpeg reads another size from it: use libjpeg's.
        RegionJpeg.Header header = header(encoded, structure);
        if (header.code() == RegionJpeg.NOT_RGB) {
            return fallback.decode(encoded, hint);
        }
        RgbImage image = decode(encoded, structure, hint, orientation, header.width(), header.height());
        if (image == null) {
            throw new ImageException(ReasonCode.DECODE_FAILED, "cannot decode JPEG: libjpeg reads its size as "
                    + header.width() + "x" + header.height() + " but does not decode it at that size");
        }
        return image;
    }

    /**
     * The pixels of the hinted DCT scale (twice that when an EXIF orientation is applied), from the
     * SOF marker or libjpeg's reading of the header; the fallback's footprint for what it decodes.
     */
    @Override
    public DecodeFootprint footprint(byte[] encoded, DecodeHint hint) {
        try {
            if (ImageFormat.sniff(encoded) != ImageFormat.JPEG) {
                return fallback.footprint(encoded, hint);
            }
            JpegStructure structure = JpegStructure.scan(encoded);
            if (structure.components() == 4) {
                return fallback.footprint(encoded, hint); // CMYK/YCCK: javax.imageio decodes it
            }
            int width = structure.width();
            int height = structure.height();
            if (width <= 0 || height <= 0) {
                RegionJpeg.Header header = jpeg.header(encoded);
                if (header.code() == RegionJpeg.NOT_RGB) {
                    return fallback.footprint(encoded, hint);
                }
                if (header.code() == RegionJpeg.ERROR || header.width() <= 0 || header.height() <= 0) {
                    return DecodeFootprint.unreadable("JPEG header: " + header.message());
                }
                width = header.width();
                height = header.height();
            }
            if ((long) width * height > options.maxPixels()) {
                return DecodeFootprint.unreadable("JPEG over the pixel limit");
            }
            int orientation = structure.exifOffset() < 0 ? ExifOrientation.NORMAL
                    : ExifOrientation.fromTiff(encoded, structure.exifOffset(), structure.exifLength());
            return Footprints.scaledJpeg(width, height, orientation,
                    DctScale.choose(width, height, hint.minShortSide()));
        } catch (RuntimeException e) {
            return DecodeFootprint.unreadable("unreadable header: " + e.getMessage());
        }
    }

    /** The header as libjpeg reads it, within the pixel limit; its errors are thrown. */
    private RegionJpeg.Header header(byte[] encoded, JpegStructure structure) {
        RegionJpeg.Header header;
        try {
            header = jpeg.header(encoded);
        } catch (RuntimeException | Error e) {
            throw nativeFailure(e);
        }
        if (header.code() == RegionJpeg.ERROR) {
            throw failure(header.message(), structure, encoded);
        }
        if (header.code() == RegionJpeg.WARNING) {
            LOG.debug("libjpeg warning in the header: {}", header.message());
        }
        DecodeErrors.checkPixels(ImageFormat.JPEG, header.width(), header.height(), options.maxPixels());
        return header;
    }

    /**
     * Decodes {@code encoded}, stored as {@code width x height}, at the hinted scale and in the hinted
     * region if its orientation allows; returns null when libjpeg reads another size from it.
     */
    private RgbImage decode(byte[] encoded, JpegStructure structure, DecodeHint hint, int orientation, int width,
            int height) {
        DctScale scale = DctScale.choose(width, height, hint.minShortSide());
        int sw = scale.scale(width);
        int sh = scale.scale(height);
        PixelRegion r = PixelRegion.whole(sw, sh);
        // Displayed as stored, so the region applies as is; and the scan was found, so that its EOI
        // marker tells whether the data below the region is all there.
        boolean scanFound = structure.sosEnd() >= 0;
        if (orientation == ExifOrientation.NORMAL && scanFound) {
            PixelRegion wanted = hint.region().of(sw, sh, width, height);
            if (wanted.fitsIn(sw, sh)) {
                r = wanted;
            }
        }
        long bytes = 3L * r.width() * r.height(); // <= 3 * maxPixels, which DecoderOptions keeps below 2^31
        byte[] pixels = new byte[(int) bytes];
        RegionJpeg.Outcome outcome;
        try {
            outcome = bytes + encoded.length <= maxCriticalBytes
                    ? jpeg.decode(encoded, scale, sw, sh, r, pixels)
                    : jpeg.decodeOffHeap(encoded, scale, sw, sh, r, pixels);
        } catch (RuntimeException | Error e) {
            throw nativeFailure(e);
        }
        switch (outcome.code()) {
            case RegionJpeg.OK, RegionJpeg.WARNING -> {
                if (outcome.code() == RegionJpeg.WARNING && DecodeErrors.saysTruncated(outcome.message())) {
                    throw failure(outcome.message(), structure, encoded);
                }
                // Also where decoding stopped early. (Where the scan was not found, by bytes between
                // markers, the decode was whole, and libjpeg warned if the data ended before EOI.)
                if (scanFound && !structure.hasEoiAfterScan(encoded)) {
                    throw new ImageException(ReasonCode.TRUNCATED, "JPEG data ends early: no EOI marker");
                }
                if (outcome.code() == RegionJpeg.WARNING) {
                    LOG.debug("libjpeg warning, image kept: {}", outcome.message());
                }
            }
            case RegionJpeg.NOT_RGB -> {
                return fallback.decode(encoded, hint);
            }
            case RegionJpeg.MISMATCH -> {
                LOG.debug("libjpeg reads another size than {}x{}: {}", width, height, outcome.message());
                return null;
            }
            default -> throw failure(outcome.message(), structure, encoded);
        }
        if (orientation == ExifOrientation.NORMAL) {
            return new RgbImage(sw, sh, pixels, width, height, r);
        }
        return Orientation.apply(pixels, sw, sh, width, height, orientation);
    }

    private static ImageException nativeFailure(Throwable e) {
        DecodeErrors.rethrowFatal(e);
        return new ImageException(ReasonCode.DECODE_FAILED, "libjpeg failed: " + e, e);
    }

    private static ImageException failure(String message, JpegStructure structure, byte[] encoded) {
        boolean truncated = DecodeErrors.saysTruncated(message)
                || structure.sosEnd() >= 0 && !structure.hasEoiAfterScan(encoded);
        return truncated
                ? new ImageException(ReasonCode.TRUNCATED, "JPEG data ends early: " + message)
                : new ImageException(ReasonCode.DECODE_FAILED, "cannot decode JPEG: " + message);
    }
}
