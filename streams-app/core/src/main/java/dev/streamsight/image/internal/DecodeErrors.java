package dev.streamsight.image.internal;

import dev.streamsight.ReasonCode;
import dev.streamsight.image.ImageException;
import java.io.EOFException;
import java.util.Locale;

/** Shared checks and error classification of the decoders. */
final class DecodeErrors {
    private DecodeErrors() {
    }

    /** Rejects a declared size above {@code maxPixels} (or non-positive), before any pixel allocation. */
    static void checkPixels(ImageFormat format, long width, long height, long maxPixels) {
        if (width <= 0 || height <= 0) {
            throw new ImageException(ReasonCode.DECODE_FAILED,
                    format + " header declares an invalid size " + width + "x" + height);
        }
        if (width * height > maxPixels) {
            throw new ImageException(ReasonCode.IMAGE_TOO_LARGE, format + " declares " + width + "x" + height
                    + " = " + width * height + " pixels, above the limit of " + maxPixels);
        }
    }

    /** Whether a codec message says the data ended early. */
    static boolean saysTruncated(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("premature end") || m.contains("unexpected end") || m.contains("end of file")
                || m.contains("end of stream") || m.contains("truncated") || m.contains("missing eoi")
                || m.matches("(?s).*\\beof\\b.*");
    }

    /** Whether {@code t} or one of its causes reports an early end of data. */
    static boolean isTruncation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof EOFException || saysTruncated(c.getMessage())) {
                return true;
            }
        }
        return false;
    }

    static ImageException classify(ImageFormat format, Throwable t) {
        if (isTruncation(t)) {
            return new ImageException(ReasonCode.TRUNCATED, format + " data ends early: " + t, t);
        }
        return new ImageException(ReasonCode.DECODE_FAILED, "cannot decode " + format + ": " + t, t);
    }

    /** Rethrows VM errors that must not be masked (OutOfMemoryError, InternalError). */
    static void rethrowFatal(Throwable t) {
        if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
            throw vme;
        }
    }
}
