package dev.streamsight.testing;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Test-only JPEG encoder on libjpeg's compression API ({@code src/test/c/test_jpeg_encoder.c},
 * built into {@code target/test-classes/native/linux-ARCH/libstreamsight_jpeg_test.so}): RGB with
 * any chroma subsampling, baseline or progressive, grayscale, CMYK and YCCK. Obtain it through
 * {@link NativeJpeg#encoder()}, which skips the test where it was not built. Immutable and
 * thread-safe.
 */
public final class LibjpegEncoder {
    /** Input pixel layouts, and how the JPEG stores them. */
    public enum Layout {
        /** 3 bytes a pixel, stored as YCbCr. */
        RGB(3),
        /** 1 byte a pixel. */
        GRAY(1),
        /** 4 bytes a pixel, stored as CMYK (with an Adobe marker). */
        CMYK(4),
        /** 4 bytes a pixel (CMYK), stored as YCCK (with an Adobe marker). */
        YCCK(4);

        final int channels;

        Layout(int channels) {
            this.channels = channels;
        }
    }

    /** Sampling factors of the luma component (the chroma ones are 1x1): 4:2:0 is {@code (2, 2)}. */
    public record Sampling(int h, int v) {
        public static final Sampling S444 = new Sampling(1, 1);
        public static final Sampling S422 = new Sampling(2, 1);
        public static final Sampling S420 = new Sampling(2, 2);
        public static final Sampling S440 = new Sampling(1, 2);
        public static final Sampling S411 = new Sampling(4, 1);
    }

    private static final String LIBRARY = "native/linux-" + arch() + "/libstreamsight_jpeg_test.so";

    private final MethodHandle encode;
    private final MethodHandle free;

    private LibjpegEncoder(SymbolLookup lib) {
        Linker linker = Linker.nativeLinker();
        encode = linker.downcallHandle(lib.find("sst_encode").orElseThrow(), FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS,
                ADDRESS, JAVA_INT));
        free = linker.downcallHandle(lib.find("sst_free").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));
    }

    private static String arch() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") ? "x86_64" : arch;
    }

    /** Loads the library: the encoder, or a String that says why it is unavailable. */
    static Object load() {
        URL url = LibjpegEncoder.class.getClassLoader().getResource(LIBRARY);
        if (url == null) {
            return "the tests' JPEG encoder " + LIBRARY + " was not built (no C compiler or no libjpeg headers)";
        }
        try {
            return new LibjpegEncoder(SymbolLookup.libraryLookup(Path.of(url.toURI()), Arena.global()));
        } catch (Exception e) {
            return "the tests' JPEG encoder " + LIBRARY + " does not load: " + e;
        }
    }

    /** Compresses RGB pixels, baseline, with the given chroma subsampling. */
    public byte[] rgb(byte[] rgb, int width, int height, Sampling sampling, int quality) {
        return encode(rgb, width, height, Layout.RGB, sampling, quality, false);
    }

    /**
     * Compresses packed pixels of {@code layout}; {@code sampling} applies to RGB only, {@code
     * progressive} selects libjpeg's default progression.
     */
    public byte[] encode(byte[] pixels, int width, int height, Layout layout, Sampling sampling, int quality,
            boolean progressive) {
        if (pixels.length != width * height * layout.channels) {
            throw new IllegalArgumentException(pixels.length + " bytes for " + width + "x" + height + " " + layout);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(pixels.length);
            MemorySegment.copy(pixels, 0, src, JAVA_BYTE, 0, pixels.length);
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment size = arena.allocate(JAVA_LONG);
            MemorySegment message = arena.allocate(256);
            int rc = (int) encode.invokeExact(src, width, height, layout.ordinal(), sampling.h(), sampling.v(),
                    quality, progressive ? 1 : 0, out, size, message, 256);
            if (rc != 0) {
                throw new IllegalStateException("sst_encode failed: "
                        + message.getString(0, StandardCharsets.ISO_8859_1));
            }
            MemorySegment jpeg = out.get(ADDRESS, 0);
            try {
                return jpeg.reinterpret(size.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
            } finally {
                free.invokeExact(jpeg);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
