package dev.streamsight.image;

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

/** Test-only JPEG encoder on libturbojpeg's tjCompress2 (used to make CMYK/YCCK JPEGs). */
final class TurboJpegEncoder {
    static final int TJPF_RGB = 0;
    static final int TJPF_CMYK = 11;
    static final int TJSAMP_444 = 0;
    static final int TJSAMP_420 = 2;
    static final int TJSAMP_GRAY = 3;
    static final int TJPF_GRAY = 6;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB = SymbolLookup.libraryLookup("libturbojpeg.so.0", Arena.global());
    private static final MethodHandle INIT = handle("tjInitCompress", FunctionDescriptor.of(ADDRESS));
    private static final MethodHandle COMPRESS = handle("tjCompress2", FunctionDescriptor.of(JAVA_INT,
            ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,
            JAVA_INT));
    private static final MethodHandle FREE = handle("tjFree", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle DESTROY = handle("tjDestroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private TurboJpegEncoder() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIB.find(name).orElseThrow(), fd);
    }

    /** Compresses packed pixels ({@code channels} bytes each) of the given TurboJPEG pixel format. */
    static byte[] compress(byte[] pixels, int w, int h, int pixelFormat, int channels, int subsamp, int quality) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment tj = (MemorySegment) INIT.invokeExact();
            try {
                MemorySegment src = arena.allocate(pixels.length);
                MemorySegment.copy(pixels, 0, src, JAVA_BYTE, 0, pixels.length);
                MemorySegment bufPtr = arena.allocate(ADDRESS);
                bufPtr.set(ADDRESS, 0, MemorySegment.NULL);
                MemorySegment size = arena.allocate(JAVA_LONG);
                int rc = (int) COMPRESS.invokeExact(tj, src, w, w * channels, h, pixelFormat, bufPtr, size,
                        subsamp, quality, 4096);
                if (rc != 0) {
                    throw new IllegalStateException("tjCompress2 failed");
                }
                MemorySegment buf = bufPtr.get(ADDRESS, 0);
                long n = size.get(JAVA_LONG, 0);
                byte[] out = buf.reinterpret(n).toArray(JAVA_BYTE);
                FREE.invokeExact(buf);
                return out;
            } finally {
                int ignored = (int) DESTROY.invokeExact(tj);
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
