package dev.streamsight.image.internal;

import dev.streamsight.ReasonCode;
import dev.streamsight.image.DecodeFootprint;
import dev.streamsight.image.DecodeHint;
import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.ImageException;
import dev.streamsight.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Pure-Java {@link ImageDecoder} on javax.imageio: the JDK readers for PNG, GIF and BMP and the
 * TwelveMonkeys readers for JPEG (incl. CMYK/YCCK) and WebP. Always decodes at full resolution.
 *
 * <p>Embedded ICC profiles are not applied: JPEG ICC_PROFILE segments are removed before
 * decoding (TwelveMonkeys would otherwise convert non-sRGB profiles); CMYK/YCCK JPEGs, left without
 * a profile, get TwelveMonkeys' profile-less conversion, which matches Pillow's {@code
 * R = (255-C)(255-K)/255} formula (Adobe-inverted data) to within 2 levels; pixels are always
 * taken from the raw raster by {@link RgbConverter}. Truncation: a data error raised with an
 * EOFException or an "end of data" message, or a JPEG decoded with warnings where a "premature
 * end" warning was seen or no EOI follows the scan, is TRUNCATED; any other failure DECODE_FAILED.
 * Stateless and thread-safe: a new {@link ImageReader} is created per call and disposed.
 */
public final class ImageIoDecoder implements ImageDecoder {
    private static final String TWELVEMONKEYS = "com.twelvemonkeys.";
    private static final Map<ImageFormat, String> FORMAT_NAMES = Map.of(ImageFormat.JPEG, "jpeg",
            ImageFormat.PNG, "png", ImageFormat.GIF, "gif", ImageFormat.BMP, "bmp", ImageFormat.WEBP, "webp");

    private final DecoderOptions options;
    private final Map<ImageFormat, ImageReaderSpi> readers;

    public ImageIoDecoder(DecoderOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.readers = findReaders();
    }

    private static Map<ImageFormat, ImageReaderSpi> findReaders() {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        Map<ImageFormat, ImageReaderSpi> found = new EnumMap<>(ImageFormat.class);
        for (Map.Entry<ImageFormat, String> e : FORMAT_NAMES.entrySet()) {
            ImageReaderSpi best = null;
            Iterator<ImageReaderSpi> it = registry.getServiceProviders(ImageReaderSpi.class,
                    spi -> List.of(((ImageReaderSpi) spi).getFormatNames()).stream()
                            .anyMatch(n -> n.equalsIgnoreCase(e.getValue())), true);
            while (it.hasNext()) {
                ImageReaderSpi spi = it.next();
                boolean tm = spi.getClass().getName().startsWith(TWELVEMONKEYS);
                if (best == null || tm && !best.getClass().getName().startsWith(TWELVEMONKEYS)) {
                    best = spi;
                }
            }
            if (best != null) {
                found.put(e.getKey(), best);
            }
        }
        return found;
    }

    @Override
    public RgbImage decode(byte[] encoded, DecodeHint hint) {
        Objects.requireNonNull(encoded, "encoded");
        ImageFormat format = ImageFormat.sniff(encoded);
        DeclaredSize.check(format, encoded, options.maxPixels());
        int orientation = ExifOrientation.read(format, encoded);
        byte[] input = encoded;
        JpegStructure jpeg = null;
        if (format == ImageFormat.JPEG) {
            jpeg = JpegStructure.scan(encoded);
            if (jpeg.headerTruncated()) {
                throw new ImageException(ReasonCode.TRUNCATED, "JPEG data ends inside its header segments");
            }
            input = jpeg.withoutIccProfiles(encoded);
        }
        ImageReaderSpi spi = readers.get(format);
        if (spi == null) {
            throw new ImageException(ReasonCode.UNSUPPORTED_FORMAT, "no ImageIO reader for " + format);
        }
        BufferedImage image = read(spi, format, input, jpeg);
        byte[] rgb = RgbConverter.toRgb(image);
        return Orientation.apply(rgb, image.getWidth(), image.getHeight(), image.getWidth(),
                image.getHeight(), orientation);
    }

    /** A whole decode at full resolution: see {@link Footprints#fullResolution}. */
    @Override
    public DecodeFootprint footprint(byte[] encoded, DecodeHint hint) {
        return Footprints.fullResolution(encoded, options.maxPixels());
    }

    private BufferedImage read(ImageReaderSpi spi, ImageFormat format, byte[] input, JpegStructure jpeg) {
        ImageReader reader = null;
        List<String> warnings = new ArrayList<>(0);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(input))) {
            reader = spi.createReaderInstance();
            reader.addIIOReadWarningListener((IIOReadWarningListener) (r, w) -> warnings.add(w));
            reader.setInput(in, true, true);
            DecodeErrors.checkPixels(format, reader.getWidth(0), reader.getHeight(0), options.maxPixels());
            ImageReadParam param = reader.getDefaultReadParam();
            BufferedImage image = reader.read(0, param);
            if (format == ImageFormat.JPEG && !warnings.isEmpty()) {
                boolean truncated = warnings.stream().anyMatch(DecodeErrors::saysTruncated)
                        || !jpeg.hasEoiAfterScan(input);
                if (truncated) {
                    throw new ImageException(ReasonCode.TRUNCATED, "JPEG data ends early: " + warnings);
                }
            }
            return image;
        } catch (ImageException e) {
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            DecodeErrors.rethrowFatal(e);
            if (format == ImageFormat.GIF && GifStructure.firstImageTruncated(input)) {
                throw new ImageException(ReasonCode.TRUNCATED, "GIF data ends inside its first image: " + e, e);
            }
            throw DecodeErrors.classify(format, e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }
}
