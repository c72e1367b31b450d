package dev.streamsight.inference.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A small bounded pool of direct buffers, each large enough for one full batch tensor, so batches
 * reuse native memory instead of allocating (and zeroing) it each time. At most {@code capacity}
 * idle buffers are kept; when the pool is empty a new buffer is allocated, and a returned buffer
 * beyond the capacity is dropped for the garbage collector. Thread-safe.
 */
public final class BatchBufferPool {
    private final int bufferBytes;
    private final ArrayBlockingQueue<ByteBuffer> idle;

    public BatchBufferPool(int bufferBytes, int capacity) {
        this.bufferBytes = bufferBytes;
        this.idle = new ArrayBlockingQueue<>(capacity);
    }

    public ByteBuffer acquire() {
        ByteBuffer b = idle.poll();
        if (b == null) {
            b = ByteBuffer.allocateDirect(bufferBytes).order(ByteOrder.nativeOrder());
        }
        return b.clear();
    }

    public void release(ByteBuffer b) {
        idle.offer(b);
    }
}
