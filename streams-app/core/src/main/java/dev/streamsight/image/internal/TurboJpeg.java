package dev.streamsight.image.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Binding to the TurboJPEG 2.x C API of libjpeg-turbo through the FFM API (decompression only).
 *
 * <p>The library is looked up once, on first use; if it is missing or lacks a symbol, {@link
 * #instance()} is empty and {@link #loadFailure()} says why, and nothing is thrown. The object
 * holds only method handles and the library's static scaling-factor table, so it is immutable and
 * thread-safe. Callers own every {@code tjhandle} they create and must {@link #destroy} it.
 */
public final class TurboJpeg {
    /** The soname looked up through the dynamic linker. */
    public static final String LIBRARY_NAME = "libturbojpeg.so.0";

    public static final int TJPF_RGB = 0;
    public static final int TJCS_CMYK = 3;
    public static final int TJCS_YCCK = 4;
    public static final int TJERR_WARNING = 0;
    public static final int TJFLAG_ACCURATEDCT = 4096;

    /** A DCT scaling factor {@code num/denom} offered by the library. */
    public record ScalingFactor(int num, int denom) {
        /** TJSCALED: {@code ceil(dim * num / denom)}. */
        public int scale(int dim) {
            return (int) (((long) dim * num + denom - 1) / denom);
        }
    }

    private static final class Holder {
        static final Object RESULT = load(LIBRARY_NAME);
    }

    private final MethodHandle initDecompress;
    private final MethodHandle decompressHeader3;
    private final MethodHandle decompress2;
    private final MethodHandle getErrorStr2;
    private final MethodHandle getErrorCode;
    private final MethodHandle destroy;
    private final List<ScalingFactor> scalingFactors;

    private TurboJpeg(SymbolLookup lib) throws Throwable {
        Linker linker = Linker.nativeLinker();
        initDecompress = bind(linker, lib, "tjInitDecompress", FunctionDescriptor.of(ADDRESS));
        decompressHeader3 = bind(linker, lib, "tjDecompressHeader3", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        decompress2 = bind(linker, lib, "tjDecompress2", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        getErrorStr2 = bind(linker, lib, "tjGetErrorStr2", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getErrorCode = bind(linker, lib, "tjGetErrorCode", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        destroy = bind(linker, lib, "tjDestroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle factors = bind(linker, lib, "tjGetScalingFactors",
                FunctionDescriptor.of(ADDRESS, ADDRESS));
        List<ScalingFactor> list = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            MemorySegment array = (MemorySegment) factors.invokeExact(count);
            int n = count.get(JAVA_INT, 0);
            if (array.equals(MemorySegment.NULL) || n <= 0 || n > 64) {
                throw new IllegalStateException("tjGetScalingFactors failed");
            }
            MemorySegment table = array.reinterpret(8L * n);
            for (int i = 0; i < n; i++) {
                list.add(new ScalingFactor(table.get(JAVA_INT, 8L * i), table.get(JAVA_INT, 8L * i + 4)));
            }
        }
        scalingFactors = List.copyOf(list);
    }

    private static MethodHandle bind(Linker linker, SymbolLookup lib, String name, FunctionDescriptor fd) {
        MemorySegment symbol = lib.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("symbol " + name + " not found"));
        return linker.downcallHandle(symbol, fd);
    }

    /** The process-wide binding to {@link #LIBRARY_NAME}, or empty when it cannot be loaded. */
    public static Optional<TurboJpeg> instance() {
        return Holder.RESULT instanceof TurboJpeg tj ? Optional.of(tj) : Optional.empty();
    }

    /** Why {@link #instance()} is empty, or null when the library loaded. */
    public static String loadFailure() {
        return Holder.RESULT instanceof String why ? why : null;
    }

    /**
     * Loads the library named {@code library} (a soname or a path); returns the binding or a String
     * explaining the failure. Never throws. Exposed for tests of a missing library.
     */
    public static Object load(String library) {
        try {
            // The global arena keeps the library mapped for the life of the process.
            return new TurboJpeg(SymbolLookup.libraryLookup(library, Arena.global()));
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                throw vme;
            }
            return t.getClass().getSimpleName() + ": " + t.getMessage();
        }
    }

    /** The DCT scaling factors the library supports, as it lists them (largest first). */
    public List<ScalingFactor> scalingFactors() {
        return scalingFactors;
    }

    public MemorySegment initDecompress() {
        try {
            return (MemorySegment) initDecompress.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int decompressHeader3(MemorySegment handle, MemorySegment jpeg, long size, MemorySegment width,
            MemorySegment height, MemorySegment subsamp, MemorySegment colorspace) {
        try {
            return (int) decompressHeader3.invokeExact(handle, jpeg, size, width, height, subsamp, colorspace);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int decompress2(MemorySegment handle, MemorySegment jpeg, long size, MemorySegment dst,
            int width, int pitch, int height, int pixelFormat, int flags) {
        try {
            return (int) decompress2.invokeExact(handle, jpeg, size, dst, width, pitch, height, pixelFormat, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The last error message for {@code handle} (thread-local in libjpeg-turbo 2.x). */
    public String errorMessage(MemorySegment handle) {
        try {
            MemorySegment s = (MemorySegment) getErrorStr2.invokeExact(handle);
            return s.equals(MemorySegment.NULL) ? "unknown error" : s.reinterpret(512).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** TJERR_WARNING (0) or TJERR_FATAL (1) for the last error on {@code handle}. */
    public int errorCode(MemorySegment handle) {
        try {
            return (int) getErrorCode.invokeExact(handle);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void destroy(MemorySegment handle) {
        try {
            int ignored = (int) destroy.invokeExact(handle);
        } catch (Throwable t) {
            throw rethrow(t);
        }
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
