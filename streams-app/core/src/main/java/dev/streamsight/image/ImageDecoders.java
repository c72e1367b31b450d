package dev.streamsight.image;

import dev.streamsight.image.internal.ImageIoDecoder;
import dev.streamsight.image.internal.LibjpegDecoder;
import dev.streamsight.image.internal.RegionJpeg;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link ImageDecoder}s of the inference core.
 *
 * <p>{@link #standard} decodes JPEGs on the fast path when the core's native JPEG decoder is
 * available ({@link #fastJpegAvailable()}: it was built, which needs a C compiler and the libjpeg
 * headers, and libjpeg-turbo's {@code libjpeg.so.62} is installed), and everything else (and
 * CMYK/YCCK JPEGs) with the pure-Java {@link #fallback}. Both follow the rules of {@link
 * ImageDecoder}; their outputs for the same JPEG agree to within IDCT/upsampling rounding (they may
 * differ by a few levels on some pixels). The fast path also honours {@link
 * DecodeHint#minShortSide()} by DCT-domain scaling and {@link DecodeHint#region()} by decoding only
 * that rectangle, with exactly the pixels of a whole decode; the fallback always decodes whole
 * images at full resolution. Without the fast path, the first {@link #standard} call of the process
 * logs one warning that says what is missing.
 *
 * <p>Returned decoders are thread-safe and hold no resources that need closing: the native decoder
 * allocates nothing beyond its call. Create one per application and share it.
 */
public final class ImageDecoders {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDecoders.class);
    private static final AtomicBoolean LOGGED = new AtomicBoolean();
    /** What the fast path saves, from {@code bench preprocess} on the ImageNet sample photos. */
    private static final String COST = "JPEG decoding is about 3.3x slower on javax.imageio";

    private ImageDecoders() {
    }

    /** The fastest decoder available here: the native JPEG decoder if it loads, else {@link #fallback}. */
    public static ImageDecoder standard(DecoderOptions options) {
        Objects.requireNonNull(options, "options");
        ImageIoDecoder fallback = new ImageIoDecoder(options);
        Optional<RegionJpeg> jpeg = RegionJpeg.instance();
        if (LOGGED.compareAndSet(false, true)) {
            fastJpegUnavailableReason().ifPresentOrElse(
                    why -> LOG.warn("JPEG fast path unavailable: {}; {}", why, COST),
                    () -> LOG.info("Image decoding: libjpeg-turbo ({}) through the native decoder for JPEG"
                            + " (DCT scaling, region decoding), javax.imageio for other formats",
                            RegionJpeg.LIBJPEG));
        }
        return jpeg.<ImageDecoder>map(j -> new LibjpegDecoder(j, fallback, options)).orElse(fallback);
    }

    /** The pure-Java decoder (javax.imageio with the TwelveMonkeys plugins); never uses native code. */
    public static ImageDecoder fallback(DecoderOptions options) {
        return new ImageIoDecoder(Objects.requireNonNull(options, "options"));
    }

    /** Whether the native JPEG decoder loaded, i.e. whether {@link #standard} uses the fast JPEG path. */
    public static boolean fastJpegAvailable() {
        return RegionJpeg.instance().isPresent();
    }

    /**
     * Why the fast JPEG path is unavailable and what would make it available (e.g. "libjpeg.so.62
     * is missing at run time; install libjpeg62-turbo"); empty when it is available.
     */
    public static Optional<String> fastJpegUnavailableReason() {
        return RegionJpeg.unavailable().map(u -> u.reason() + "; " + u.remedy());
    }
}
