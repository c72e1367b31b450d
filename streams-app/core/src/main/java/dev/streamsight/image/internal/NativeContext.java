package dev.streamsight.image.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.streamsight.ReasonCode;
import dev.streamsight.image.ImageException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

/**
 * A libturbojpeg decompressor handle with native input/output buffers that can be reused by the
 * next decode on the same thread ({@link #forThread}).
 *
 * <p>Lifecycle: a pooled context lives in a thread-local until the thread ends or a decode fails
 * ({@link #close}); its handle is then destroyed at once, or, after the thread ended, by a {@link
 * Cleaner} once the context is unreachable. Buffers come from automatic arenas and are freed by
 * the garbage collector. Buffers larger than {@link #MAX_RETAINED_INPUT} / {@link
 * #MAX_RETAINED_OUTPUT} are allocated from the caller's per-call arena instead and never kept, so
 * one huge image does not pin its size in every decoding thread.
 *
 * <p>Confined to the thread that created it; not thread-safe.
 */
final class NativeContext {
    /** Largest encoded image kept in the reusable input buffer. */
    static final long MAX_RETAINED_INPUT = 4L << 20;
    /** Largest decoded RGB image kept in the reusable output buffer (12 MiB: 4 MP). */
    static final long MAX_RETAINED_OUTPUT = 12L << 20;

    private static final Cleaner CLEANER = Cleaner.create();
    private static final ThreadLocal<NativeContext> LOCAL = new ThreadLocal<>();

    final MemorySegment handle;
    /** Four ints for tjDecompressHeader3: width, height, subsampling, colourspace. */
    final MemorySegment dims;
    private final TurboJpeg tj;
    private final boolean retainBuffers;
    private final Cleaner.Cleanable destroyer;
    private MemorySegment input = MemorySegment.NULL;
    private MemorySegment output = MemorySegment.NULL;

    NativeContext(TurboJpeg tj, boolean retainBuffers) {
        this.tj = tj;
        this.retainBuffers = retainBuffers;
        MemorySegment h = tj.initDecompress();
        if (h.equals(MemorySegment.NULL)) {
            throw new ImageException(ReasonCode.DECODE_FAILED,
                    "tjInitDecompress failed: " + tj.errorMessage(MemorySegment.NULL));
        }
        this.handle = h;
        // The action must not reference this context, or it would never become unreachable.
        this.destroyer = CLEANER.register(this, () -> tj.destroy(h));
        this.dims = Arena.ofAuto().allocate(JAVA_INT, 4);
    }

    /** This thread's context for {@code tj}, created on first use. */
    static NativeContext forThread(TurboJpeg tj) {
        NativeContext ctx = LOCAL.get();
        if (ctx == null || ctx.tj != tj) {
            if (ctx != null) {
                ctx.close(true);
            }
            ctx = new NativeContext(tj, true);
            LOCAL.set(ctx);
        }
        return ctx;
    }

    /** A buffer of at least {@code size} bytes for the encoded image. Contents undefined. */
    MemorySegment input(long size, Arena call) {
        if (input.byteSize() >= size) {
            return input;
        }
        if (!retainBuffers || size > MAX_RETAINED_INPUT) {
            return call.allocate(size);
        }
        input = Arena.ofAuto().allocate(size);
        return input;
    }

    /** A buffer of at least {@code size} bytes for the decoded pixels. Contents undefined. */
    MemorySegment output(long size, Arena call) {
        if (output.byteSize() >= size) {
            return output;
        }
        if (!retainBuffers || size > MAX_RETAINED_OUTPUT) {
            return call.allocate(size);
        }
        output = Arena.ofAuto().allocate(size);
        return output;
    }

    /** Destroys the handle now; a pooled context is also dropped from its thread. Idempotent. */
    void close(boolean pooled) {
        if (pooled && LOCAL.get() == this) {
            LOCAL.remove();
        }
        destroyer.clean();
    }
}
