package dev.streamsight.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streamsight.image.ImageDecoders;
import java.util.Optional;

/**
 * The tests' policy for native code that a machine may lack: the JPEG fast path ({@link
 * ImageDecoders#fastJpegAvailable()}) and the tests' JPEG encoder ({@link LibjpegEncoder}), both
 * built only where the build found a C compiler and the libjpeg headers. A test that needs one is
 * skipped, with the reason, where it is unavailable; but when the environment variable {@code
 * STREAMSIGHT_REQUIRE_NATIVE} is {@code true} (as in CI, whose build then also fails without them)
 * it fails instead, so that the fast path cannot go untested unnoticed.
 */
public final class NativeJpeg {
    /** The environment variable that turns skips into failures. */
    public static final String REQUIRE = "STREAMSIGHT_REQUIRE_NATIVE";

    private static final class Holder {
        static final Object ENCODER = LibjpegEncoder.load();
    }

    private NativeJpeg() {
    }

    /** Whether native code is required here ({@value #REQUIRE}{@code =true}). */
    public static boolean required() {
        return "true".equals(System.getenv(REQUIRE));
    }

    /** Skips (or, where required, fails) the calling test unless the JPEG fast path is available. */
    public static void assumeAvailable() {
        need(ImageDecoders.fastJpegUnavailableReason().map(why -> "JPEG fast path unavailable: " + why));
    }

    /** The tests' JPEG encoder; skips (or, where required, fails) the calling test without it. */
    public static LibjpegEncoder encoder() {
        need(Holder.ENCODER instanceof String why ? Optional.of(why) : Optional.empty());
        return (LibjpegEncoder) Holder.ENCODER;
    }

    private static void need(Optional<String> missing) {
        if (missing.isEmpty()) {
            return;
        }
        if (required()) {
            fail(missing.get() + " (" + REQUIRE + "=true)");
        }
        assumeTrue(false, missing.get());
    }
}
