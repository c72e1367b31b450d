package dev.streamsight.image.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

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
 * Binding to Streamsight's region JPEG decoder ({@code src/main/c/region_jpeg.c}, packaged as
 * {@code native/linux-ARCH/libstreamsight_jpeg.so} when the build had a C compiler and the
 * libjpeg-turbo headers), which decodes only a rectangle of a JPEG with libjpeg-turbo's libjpeg
 * API, and decodes baseline scans with its own, faster entropy decoder ({@code huffman.c}; same
 * coefficients, so the same pixels).
 *
 * <p>The library is extracted and loaded once, on first use; if it is not packaged or does not
 * load, {@link #instance()} is empty and {@link #loadFailure()} says why, and nothing is thrown.
 * The extracted file is deleted as soon as it is mapped. The function is bound as a critical
 * downcall with heap access: it neither calls back nor blocks, so the encoded bytes and the pixel
 * array are passed in place, without native copies. Immutable and thread-safe.
 */
public final class RegionJpeg {
    /** Decoded. */
    public static final int OK = 0;
    /** Decoded; libjpeg warned (the first warning is the message). */
    public static final int WARNING = 1;
    /** CMYK or YCCK: not decoded. */
    public static final int NOT_RGB = 2;
    /** libjpeg failed. */
    public static final int ERROR = -1;
    /** The arguments do not fit the image. */
    public static final int MISMATCH = -2;

    private static final int ABI_VERSION = 1;
    private static final String LIBRARY = "libstreamsight_jpeg.so";
    /** Room for libjpeg's longest message (JMSG_LENGTH_MAX is 200). */
    private static final int MESSAGE_CAPACITY = 256;

    private static final class Holder {
        static final Object RESULT = load();
    }

    /** A decode's outcome: one of the codes above, and libjpeg's message (empty when none). */
    public record Outcome(int code, String message) {
    }

    private final MethodHandle decode;

    private RegionJpeg(SymbolLookup lib) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle version = linker.downcallHandle(find(lib, "ssj_abi_version"), FunctionDescriptor.of(JAVA_INT));
        int v = (int) version.invokeExact();
        if (v != ABI_VERSION) {
            throw new IllegalStateException("interface version " + v + ", expected " + ABI_VERSION);
        }
        decode = linker.downcallHandle(find(lib, "ssj_decode"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                        JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT),
                Linker.Option.critical(true));
    }

    private static MemorySegment find(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError("symbol " + name + " not found"));
    }

    /** The process-wide binding, or empty when the library is not packaged or cannot be loaded. */
    public static Optional<RegionJpeg> instance() {
        return Holder.RESULT instanceof RegionJpeg r ? Optional.of(r) : Optional.empty();
    }

    /** Why {@link #instance()} is empty, or null when the library loaded. */
    public static String loadFailure() {
        return Holder.RESULT instanceof String why ? why : null;
    }

    private static Object load() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        arch = arch.equals("amd64") ? "x86_64" : arch;
        String resource = "/native/linux-" + arch + "/" + LIBRARY;
        if (!os.startsWith("linux")) {
            return "not built for " + os;
        }
        try (InputStream in = RegionJpeg.class.getResourceAsStream(resource)) {
            if (in == null) {
                return resource + " is not packaged (the build had no C compiler or libjpeg-turbo headers)";
            }
            Path file = Files.createTempFile("streamsight-jpeg-", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                // The global arena keeps the library mapped for the life of the process; the
                // file itself is no longer needed once it is mapped.
                return new RegionJpeg(SymbolLookup.libraryLookup(file, Arena.global()));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                throw vme;
            }
            return resource + ": " + t.getClass().getSimpleName() + ": " + t.getMessage();
        }
    }

    /**
     * Decodes rows {@code [y, y + h)} and columns {@code [x, x + w)} of {@code jpeg} scaled by
     * {@code num/denom} (whose size must then be {@code scaledWidth x scaledHeight}) into {@code
     * dst} as packed RGB, {@code 3 * w * h} bytes. Blocks no other thread, but holds the calling
     * one for the whole decode, during which the garbage collector cannot move the two arrays.
     */
    public Outcome decode(byte[] jpeg, int num, int denom, int scaledWidth, int scaledHeight, int x, int y, int w,
            int h, byte[] dst) {
        byte[] message = new byte[MESSAGE_CAPACITY];
        int code;
        try {
            code = (int) decode.invokeExact(MemorySegment.ofArray(jpeg), (long) jpeg.length, num, denom,
                    scaledWidth, scaledHeight, x, y, w, h, MemorySegment.ofArray(dst), (long) dst.length,
                    MemorySegment.ofArray(message), MESSAGE_CAPACITY);
        } catch (Throwable t) {
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
        int end = 0;
        while (end < message.length && message[end] != 0) {
            end++;
        }
        return new Outcome(code, new String(message, 0, end, StandardCharsets.ISO_8859_1));
    }
}
