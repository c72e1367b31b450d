package dev.streamsight.image.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.streamsight.ReasonCode;
import dev.streamsight.image.DecodeHint;
import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.ImageException;
import dev.streamsight.image.PixelRegion;
import dev.streamsight.image.RgbImage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ImageDecoder} that decodes baseline/progressive/grayscale JPEGs with libjpeg-turbo and
 * hands everything else (other formats, CMYK/YCCK JPEGs) to a fallback decoder.
 *
 * <p>Honours {@link DecodeHint#minShortSide()} with DCT scaling: the smallest supported factor
 * {@code <= 1} whose scaled shorter side ({@code ceil(dim * num / denom)}) is still {@code >=
 * minShortSide}. Honours {@link DecodeHint#region()} when the region decoder ({@link RegionJpeg})
 * is available and the image needs no EXIF rotation: only that rectangle is decoded, and nothing
 * below it is read, so a file cut short below the region is recognised by its missing EOI marker
 * instead. Otherwise, and for images over {@link #MAX_REGION_BYTES} decoded, it decodes the whole
 * image with libturbojpeg.
 *
 * <p>Thread-safe. Each platform thread keeps one tjhandle and native input/output buffers for
 * its next call ({@link NativeContext}), which saves their set-up, and the zeroing of fresh
 * native memory, on every image; buffers above a cap are not kept, so each thread retains at
 * most {@link NativeContext#MAX_RETAINED_INPUT} + {@link NativeContext#MAX_RETAINED_OUTPUT}
 * bytes, released by the garbage collector after the thread ends. Virtual threads, which are
 * many and short-lived, get a handle and buffers for the call only.
 */
public final class TurboJpegDecoder implements ImageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(TurboJpegDecoder.class);

    /**
     * Largest decoded output the region decoder handles (48 MiB: 16 MP). It runs as a critical
     * downcall on the Java arrays; a larger decode goes through libturbojpeg's native buffers.
     */
    static final long MAX_REGION_BYTES = 48L << 20;

    private final TurboJpeg tj;
    private final RegionJpeg region;
    private final ImageDecoder fallback;
    private final DecoderOptions options;

    /** Decodes with {@code region} where it can (null: never) and {@code tj} otherwise. */
    public TurboJpegDecoder(TurboJpeg tj, RegionJpeg region, ImageDecoder fallback, DecoderOptions options) {
        this.tj = Objects.requireNonNull(tj, "tj");
        this.region = region;
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.options = Objects.requireNonNull(options, "options");
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
        if (structure.width() > 0 && structure.height() > 0) {
            DecodeErrors.checkPixels(ImageFormat.JPEG, structure.width(), structure.height(), options.maxPixels());
        }
        int orientation = structure.exifOffset() < 0 ? ExifOrientation.NORMAL
                : ExifOrientation.fromTiff(encoded, structure.exifOffset(), structure.exifLength());
        if (region != null && structure.width() > 0 && structure.height() > 0) {
            RgbImage image = decodeRegion(encoded, structure, hint, orientation);
            if (image != null) {
                return image;
            }
        }
        Decoded d;
        try {
            d = decodeNative(encoded, structure, hint);
        } catch (ImageException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            DecodeErrors.rethrowFatal(e);
            throw new ImageException(ReasonCode.DECODE_FAILED, "libturbojpeg failed: " + e, e);
        }
        if (d == null) {
            return fallback.decode(encoded, hint); // CMYK or YCCK
        }
        return Orientation.apply(d.pixels, d.width, d.height, d.fullWidth, d.fullHeight, orientation);
    }

    /**
     * Decodes the hinted region with {@link RegionJpeg}, or returns null to leave the image to
     * libturbojpeg (too large, a header the two read differently, or an error, which libturbojpeg
     * then reports in the same terms as for every JPEG).
     */
    private RgbImage decodeRegion(byte[] encoded, JpegStructure structure, DecodeHint hint, int orientation) {
        int width = structure.width();
        int height = structure.height();
        TurboJpeg.ScalingFactor f = chooseScale(tj, width, height, hint.minShortSide());
        int sw = f.scale(width);
        int sh = f.scale(height);
        PixelRegion r = PixelRegion.whole(sw, sh);
        if (orientation == ExifOrientation.NORMAL) { // displayed as stored, so the region applies as is
            PixelRegion wanted = hint.region().of(sw, sh, width, height);
            if (wanted.fitsIn(sw, sh)) {
                r = wanted;
            }
        }
        long bytes = 3L * r.width() * r.height();
        if (bytes > MAX_REGION_BYTES) {
            return null;
        }
        byte[] pixels = new byte[(int) bytes];
        RegionJpeg.Outcome outcome;
        try {
            outcome = region.decode(encoded, f.num(), f.denom(), sw, sh, r.x(), r.y(), r.width(), r.height(),
                    pixels);
        } catch (RuntimeException | Error e) {
            DecodeErrors.rethrowFatal(e);
            throw new ImageException(ReasonCode.DECODE_FAILED, "libjpeg failed: " + e, e);
        }
        switch (outcome.code()) {
            case RegionJpeg.OK, RegionJpeg.WARNING -> {
                if (outcome.code() == RegionJpeg.WARNING && DecodeErrors.saysTruncated(outcome.message())) {
                    throw failure(outcome.message(), structure, encoded);
                }
                if (!structure.hasEoiAfterScan(encoded)) { // also where decoding stopped early
                    throw new ImageException(ReasonCode.TRUNCATED, "JPEG data ends early: no EOI marker");
                }
                if (outcome.code() == RegionJpeg.WARNING) {
                    LOG.debug("libjpeg warning, image kept: {}", outcome.message());
                }
            }
            case RegionJpeg.NOT_RGB -> {
                return fallback.decode(encoded, hint);
            }
            default -> {
                // MISMATCH (the two read the header differently) or ERROR: libturbojpeg decodes the
                // whole image, or reports the file's fault exactly as for any other JPEG.
                LOG.debug("region decoder declined ({}): {}", outcome.code(), outcome.message());
                return null;
            }
        }
        if (orientation == ExifOrientation.NORMAL) {
            return new RgbImage(sw, sh, pixels, width, height, r);
        }
        return Orientation.apply(pixels, sw, sh, width, height, orientation);
    }

    private record Decoded(byte[] pixels, int width, int height, int fullWidth, int fullHeight) {
    }

    /**
     * Decodes to RGB, or returns null for a CMYK/YCCK JPEG. Any failure reported by the library
     * discards the handle: libjpeg does not promise a clean state after an error mid-header.
     */
    private Decoded decodeNative(byte[] encoded, JpegStructure structure, DecodeHint hint) {
        boolean pooled = !Thread.currentThread().isVirtual();
        NativeContext ctx = pooled ? NativeContext.forThread(tj) : new NativeContext(tj, false);
        boolean ok = false;
        try (Arena call = Arena.ofConfined()) {
            Decoded d = decodeNative(ctx, call, encoded, structure, hint);
            ok = true;
            return d;
        } finally {
            if (!ok || !pooled) {
                ctx.close(pooled);
            }
        }
    }

    private Decoded decodeNative(NativeContext ctx, Arena call, byte[] encoded, JpegStructure structure,
            DecodeHint hint) {
        MemorySegment handle = ctx.handle;
        MemorySegment src = ctx.input(encoded.length, call);
        MemorySegment.copy(encoded, 0, src, JAVA_BYTE, 0, encoded.length);
        MemorySegment dims = ctx.dims;
        int rc = tj.decompressHeader3(handle, src, encoded.length, dims, dims.asSlice(4),
                dims.asSlice(8), dims.asSlice(12));
        int width = dims.getAtIndex(JAVA_INT, 0);
        int height = dims.getAtIndex(JAVA_INT, 1);
        int colorspace = dims.getAtIndex(JAVA_INT, 3);
        if (rc != 0 && (tj.errorCode(handle) != TurboJpeg.TJERR_WARNING || width <= 0 || height <= 0)) {
            throw failure(tj.errorMessage(handle), structure, encoded);
        }
        if (colorspace == TurboJpeg.TJCS_CMYK || colorspace == TurboJpeg.TJCS_YCCK) {
            return null;
        }
        DecodeErrors.checkPixels(ImageFormat.JPEG, width, height, options.maxPixels());
        TurboJpeg.ScalingFactor f = chooseScale(tj, width, height, hint.minShortSide());
        int sw = f.scale(width);
        int sh = f.scale(height);
        int size = 3 * sw * sh; // <= 3 * maxPixels, which DecoderOptions keeps below 2^31
        MemorySegment dst = ctx.output(size, call);
        rc = tj.decompress2(handle, src, encoded.length, dst, sw, sw * 3, sh, TurboJpeg.TJPF_RGB,
                TurboJpeg.TJFLAG_ACCURATEDCT);
        if (rc != 0) {
            String message = tj.errorMessage(handle);
            if (tj.errorCode(handle) != TurboJpeg.TJERR_WARNING
                    || DecodeErrors.saysTruncated(message) || !structure.hasEoiAfterScan(encoded)) {
                throw failure(message, structure, encoded);
            }
            LOG.debug("libturbojpeg warning, image kept: {}", message);
        }
        byte[] pixels = new byte[size];
        MemorySegment.copy(dst, JAVA_BYTE, 0, pixels, 0, size);
        return new Decoded(pixels, sw, sh, width, height);
    }

    private static ImageException failure(String message, JpegStructure structure, byte[] encoded) {
        boolean truncated = DecodeErrors.saysTruncated(message)
                || structure.sosEnd() >= 0 && !structure.hasEoiAfterScan(encoded);
        return truncated
                ? new ImageException(ReasonCode.TRUNCATED, "JPEG data ends early: " + message)
                : new ImageException(ReasonCode.DECODE_FAILED, "cannot decode JPEG: " + message);
    }

    /**
     * The smallest factor {@code <= 1} whose scaled shorter side is {@code >= minShortSide}; 1/1 when
     * {@code minShortSide} is 0 or no reduction qualifies.
     */
    public static TurboJpeg.ScalingFactor chooseScale(TurboJpeg tj, int width, int height, int minShortSide) {
        TurboJpeg.ScalingFactor best = new TurboJpeg.ScalingFactor(1, 1);
        if (minShortSide <= 0) {
            return best;
        }
        for (TurboJpeg.ScalingFactor f : tj.scalingFactors()) {
            if ((long) f.num() * best.denom() >= (long) best.num() * f.denom()) {
                continue; // not smaller than the current best (also excludes upscaling)
            }
            if (Math.min(f.scale(width), f.scale(height)) >= minShortSide) {
                best = f;
            }
        }
        return best;
    }
}
