package dev.streamsight.image;

import dev.streamsight.image.internal.ImageIoDecoder;
import dev.streamsight.image.internal.RegionJpeg;
import dev.streamsight.image.internal.TurboJpeg;
import dev.streamsight.image.internal.TurboJpegDecoder;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link ImageDecoder}s of the inference core.
 *
 * <p>{@link #standard} decodes JPEGs with libturbojpeg (through the Java FFM API) when the native
 * library {@code libturbojpeg.so.0} can be loaded, and everything else (and CMYK/YCCK JPEGs) with
 * the pure-Java {@link #fallback}. Both follow the rules of {@link ImageDecoder}; their outputs
 * for the same JPEG agree to within IDCT/upsampling rounding (they may differ by a few levels on
 * some pixels). The fast path also honours {@link DecodeHint#minShortSide()} by DCT-domain
 * scaling and, when the region decoder was built ({@link #regionDecodingAvailable()}), {@link
 * DecodeHint#region()} by decoding only that rectangle, with exactly the pixels of a whole decode
 * (baseline JPEGs then also get a faster entropy decoder of the same output); the fallback always
 * decodes whole images at full resolution.
 *
 * <p>Returned decoders are thread-safe and hold no resources that need closing: each thread keeps
 * one TurboJPEG handle and its buffers (released when the thread ends), and the region decoder
 * allocates nothing beyond its call. Create one per application and share it.
 */
public final class ImageDecoders {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDecoders.class);
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private ImageDecoders() {
    }

    /** The fastest decoder available here: libturbojpeg for JPEG if it loads, else {@link #fallback}. */
    public static ImageDecoder standard(DecoderOptions options) {
        Objects.requireNonNull(options, "options");
        ImageIoDecoder fallback = new ImageIoDecoder(options);
        var turbo = TurboJpeg.instance();
        if (LOGGED.compareAndSet(false, true)) {
            if (turbo.isPresent()) {
                String regions = RegionJpeg.instance().isPresent() ? "with region decoding"
                        : "whole images only: " + RegionJpeg.loadFailure();
                LOG.info("Image decoding: libturbojpeg {} (JPEG fast path, {}), javax.imageio for"
                        + " other formats", TurboJpeg.LIBRARY_NAME, regions);
            } else {
                LOG.info("Image decoding: javax.imageio only; libturbojpeg unavailable ({})",
                        TurboJpeg.loadFailure());
            }
        }
        RegionJpeg region = RegionJpeg.instance().orElse(null);
        return turbo.<ImageDecoder>map(tj -> new TurboJpegDecoder(tj, region, fallback, options)).orElse(fallback);
    }

    /** The pure-Java decoder (javax.imageio with the TwelveMonkeys plugins); never uses native code. */
    public static ImageDecoder fallback(DecoderOptions options) {
        return new ImageIoDecoder(Objects.requireNonNull(options, "options"));
    }

    /**
     * Whether {@link #standard}'s JPEG path decodes only the region its caller reads ({@link
     * DecodeHint#region()}): libturbojpeg loaded and the region decoder was built and loaded.
     */
    public static boolean regionDecodingAvailable() {
        return fastJpegAvailable() && RegionJpeg.instance().isPresent();
    }

    /** Whether libturbojpeg was loaded, i.e. whether {@link #standard} uses the native JPEG path. */
    public static boolean fastJpegAvailable() {
        return TurboJpeg.instance().isPresent();
    }
}
