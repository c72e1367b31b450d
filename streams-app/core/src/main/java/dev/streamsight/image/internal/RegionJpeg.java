package dev.streamsight.image.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.streamsight.image.PixelRegion;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * Binding to Streamsight's native JPEG decoder ({@code src/main/c/region_jpeg.c}, packaged as
 * {@code native/linux-ARCH/libstreamsight_jpeg.so} when the build had a C compiler and the libjpeg
 * headers), which drives libjpeg-turbo's libjpeg API ({@code libjpeg.so.62}) to decode any rectangle
 * of a JPEG, the whole image included, at a DCT scale, and to read JPEG headers.
 *
 * <p>The library is extracted and loaded once, on first use; if it is not packaged or does not
 * load, {@link #instance()} is empty and {@link #unavailable()} says why and what to install, and
 * nothing is thrown. The extracted file is deleted as soon as it is mapped. {@link #decode} and
 * {@link #header} are critical downcalls with heap access: the shim neither calls back nor blocks,
 * so the arrays are passed in place, without native copies, but the garbage collector cannot move
 * them, and so waits, while the call runs. {@link #decodeOffHeap} copies through native memory and
 * leaves the collector free. Immutable and thread-safe.
 */
public final class RegionJpeg {
    /** Decoded. */
    public static final int OK = 0;
    /** Decoded; libjpeg warned (the message is the first warning, or the data ending early). */
    public static final int WARNING = 1;
    /** CMYK or YCCK: not decoded. */
    public static final int NOT_RGB = 2;
    /** libjpeg failed. */
    public static final int ERROR = -1;
    /** The arguments do not fit the image. */
    public static final int MISMATCH = -2;

    /** The soname of the libjpeg the library links (Debian package libjpeg62-turbo). */
    public static final String LIBJPEG = "libjpeg.so.62";

    private static final int ABI_VERSION = 2;
    private static final String LIBRARY = "libstreamsight_jpeg.so";
    /** Room for libjpeg's longest message (JMSG_LENGTH_MAX is 200). */
    private static final int MESSAGE_CAPACITY = 256;

    private static final class Holder {
        static final Object RESULT = load();
    }

    /** A decode's outcome: one of the codes above, and libjpeg's message (empty when none). */
    public record Outcome(int code, String message) {
    }

    /**
     * A header read by libjpeg: {@link #OK}, {@link #WARNING} or {@link #NOT_RGB} with the image's
     * size as stored (before EXIF orientation), or {@link #ERROR} with libjpeg's message.
     */
    public record Header(int code, int width, int height, String message) {
    }

    /** Why the library is unavailable, in words, and what would make it available. */
    public record Unavailable(String reason, String remedy) {
    }

    private final MethodHandle criticalDecode;
    private final MethodHandle plainDecode;
    private final MethodHandle criticalInfo;

    private RegionJpeg(SymbolLookup lib) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle version = linker.downcallHandle(find(lib, "ssj_abi_version"), FunctionDescriptor.of(JAVA_INT));
        int v = (int) version.invokeExact();
        if (v != ABI_VERSION) {
            throw new IllegalStateException("interface version " + v + ", expected " + ABI_VERSION);
        }
        FunctionDescriptor decode = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT);
        criticalDecode = linker.downcallHandle(find(lib, "ssj_decode"), decode, Linker.Option.critical(true));
        plainDecode = linker.downcallHandle(find(lib, "ssj_decode"), decode);
        criticalInfo = linker.downcallHandle(find(lib, "ssj_info"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT),
                Linker.Option.critical(true));
    }

    private static MemorySegment find(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError("symbol " + name + " not found"));
    }

    /** The process-wide binding, or empty when the library is not packaged or cannot be loaded. */
    public static Optional<RegionJpeg> instance() {
        return Holder.RESULT instanceof RegionJpeg r ? Optional.of(r) : Optional.empty();
    }

    /** Why {@link #instance()} is empty; empty when the library loaded. */
    public static Optional<Unavailable> unavailable() {
        return Holder.RESULT instanceof Unavailable u ? Optional.of(u) : Optional.empty();
    }

    private static Object load() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        arch = arch.equals("amd64") ? "x86_64" : arch;
        String resource = "native/linux-" + arch + "/" + LIBRARY;
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return new Unavailable("the native JPEG decoder is built for Linux only (this is " + os + ")",
                    "run on Linux for it");
        }
        try (InputStream in = RegionJpeg.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                return new Unavailable("the native JPEG decoder was not built (" + resource
                        + " is not packaged: the build found no C compiler or no libjpeg headers)",
                        "install gcc and libjpeg62-turbo-dev and rebuild");
            }
            Path file = Files.createTempFile("streamsight-jpeg-", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                return load(file, resource, LIBJPEG);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            return new Unavailable(resource + " could not be extracted (" + e + ")",
                    "make java.io.tmpdir writable");
        }
    }

    /**
     * Loads the library from {@code file} (called {@code name} in messages), which links {@code
     * libjpeg}; returns the binding or an {@link Unavailable}. Never throws (but for VM errors).
     * Exposed for tests of a library that does not load.
     */
    public static Object load(Path file, String name, String libjpeg) {
        try {
            // The global arena keeps the library mapped for the life of the process; the file
            // itself is no longer needed once it is mapped.
            return new RegionJpeg(SymbolLookup.libraryLookup(file, Arena.global()));
        } catch (Throwable t) {
            DecodeErrors.rethrowFatal(t);
            if (!loads(libjpeg)) {
                return new Unavailable(libjpeg + " is missing at run time", "install libjpeg62-turbo");
            }
            return new Unavailable(name + " does not load (" + t.getClass().getSimpleName() + ": "
                    + t.getMessage() + ")", "rebuild with gcc and libjpeg62-turbo-dev installed");
        }
    }

    private static boolean loads(String library) {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(library, arena);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Decodes the rectangle {@code r} of {@code jpeg} scaled by {@code scale} (whose size must then
     * be {@code scaledWidth x scaledHeight}) into {@code dst} as packed RGB, {@code 3 * r.width() *
     * r.height()} bytes. Blocks no other thread, but holds the calling one, and the garbage
     * collector, for the whole decode: meant for images of a few megapixels.
     */
    public Outcome decode(byte[] jpeg, DctScale scale, int scaledWidth, int scaledHeight, PixelRegion r,
            byte[] dst) {
        byte[] message = new byte[MESSAGE_CAPACITY];
        int code;
        try {
            code = (int) criticalDecode.invokeExact(MemorySegment.ofArray(jpeg), (long) jpeg.length,
                    scale.eighths(), 8, scaledWidth, scaledHeight, r.x(), r.y(), r.width(), r.height(),
                    MemorySegment.ofArray(dst), (long) dst.length, MemorySegment.ofArray(message),
                    MESSAGE_CAPACITY);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return new Outcome(code, string(MemorySegment.ofArray(message)));
    }

    /**
     * Like {@link #decode}, through native copies of {@code jpeg} and {@code dst}, so that the
     * garbage collector runs during the decode: for large images, where that copying costs little
     * next to the decode.
     */
    public Outcome decodeOffHeap(byte[] jpeg, DctScale scale, int scaledWidth, int scaledHeight, PixelRegion r,
            byte[] dst) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(Math.max(1, jpeg.length));
            MemorySegment.copy(jpeg, 0, src, JAVA_BYTE, 0, jpeg.length);
            MemorySegment out = arena.allocate(Math.max(1, dst.length));
            MemorySegment message = arena.allocate(MESSAGE_CAPACITY);
            int code;
            try {
                code = (int) plainDecode.invokeExact(src, (long) jpeg.length, scale.eighths(), 8, scaledWidth,
                        scaledHeight, r.x(), r.y(), r.width(), r.height(), out, (long) dst.length, message,
                        MESSAGE_CAPACITY);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (code == OK || code == WARNING) {
                MemorySegment.copy(out, JAVA_BYTE, 0, dst, 0, dst.length);
            }
            return new Outcome(code, string(message));
        }
    }

    /** Reads the header of {@code jpeg} with libjpeg (its markers up to the first scan). */
    public Header header(byte[] jpeg) {
        byte[] message = new byte[MESSAGE_CAPACITY];
        int[] dims = new int[2];
        int code;
        try {
            code = (int) criticalInfo.invokeExact(MemorySegment.ofArray(jpeg), (long) jpeg.length, MemorySegment.ofArray(dims),
                    MemorySegment.ofArray(message), MESSAGE_CAPACITY);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return new Header(code, dims[0], dims[1], string(MemorySegment.ofArray(message)));
    }

    private static String string(MemorySegment nulTerminated) {
        return nulTerminated.getString(0, StandardCharsets.ISO_8859_1);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
