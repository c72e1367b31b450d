package dev.streamsight.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The heap that images in flight may hold at once in one application instance ({@code
 * image.decode.memory}): the encoded bytes of fetched images and the decoders' rasters and pixels,
 * over every stream thread. Memory is reserved before it is allocated and given back when it is
 * no longer held, so that a burst of large images waits its turn instead of running the JVM out of
 * memory.
 *
 * <p>Reservations are made through a {@link Lease}, one per flush on a stream thread, in {@link
 * Reservation}s, one per image. A lease may wait for memory only while it holds none, so stream
 * threads never wait on each other in a cycle; waiting is first come, first served (a large image is
 * not starved by small ones), and a reservation tried without waiting does not overtake a waiting
 * one. Memory is counted in KiB.
 *
 * <p>Thread-safe; a lease and its reservations are used by one thread.
 */
final class DecodeBudget {
    private static final long KIB = 1024;

    private final long capacityBytes;
    private final int permits;
    private final Semaphore kib;

    DecodeBudget(long capacityBytes) {
        if (capacityBytes < KIB || capacityBytes / KIB > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image.decode.memory: must be between 1 KiB and 2 TiB, got "
                    + capacityBytes);
        }
        this.permits = (int) (capacityBytes / KIB);
        this.capacityBytes = permits * KIB;
        this.kib = new Semaphore(permits, true);
    }

    /** The budget in bytes (whole KiB). */
    long capacityBytes() {
        return capacityBytes;
    }

    /** Bytes reserved now, over all leases (for tests and diagnostics). */
    long reservedBytes() {
        return (long) (permits - kib.availablePermits()) * KIB;
    }

    /** A new lease for one flush. */
    Lease lease() {
        return new Lease();
    }

    private static int toKib(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, (Math.max(0, bytes) + KIB - 1) / KIB);
    }

    /** What one flush holds. Closing it gives back whatever its reservations still hold. */
    final class Lease implements AutoCloseable {
        private final List<Reservation> reservations = new ArrayList<>();
        private long heldKib;

        /** Reserves {@code bytes} if they are free now and nobody waits; null otherwise. */
        Reservation tryReserve(long bytes) {
            int n = toKib(bytes);
            if (!tryAcquire(n)) {
                return null;
            }
            return add(n);
        }

        /**
         * Reserves {@code bytes}, waiting until they are free.
         *
         * @throws IllegalStateException when this lease holds memory (it could wait forever on a
         *     thread that waits for it), or {@code bytes} exceed the budget
         * @throws InterruptedException when the waiting thread is interrupted
         */
        Reservation reserve(long bytes) throws InterruptedException {
            if (heldKib > 0) {
                throw new IllegalStateException("a lease holding " + heldKib + " KiB may not wait for more");
            }
            int n = toKib(bytes);
            if (n > permits) {
                throw new IllegalStateException(bytes + " bytes exceed the whole budget of " + capacityBytes);
            }
            kib.acquire(n);
            return add(n);
        }

        private Reservation add(int n) {
            heldKib += n;
            Reservation r = new Reservation(this, n);
            reservations.add(r);
            return r;
        }

        /** Bytes this lease holds now. */
        long heldBytes() {
            return heldKib * KIB;
        }

        private boolean tryAcquire(int n) {
            try {
                return kib.tryAcquire(n, 0, TimeUnit.SECONDS); // unlike tryAcquire(n), fair to waiting threads
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private void give(int n) {
            heldKib -= n;
            kib.release(n);
        }

        @Override
        public void close() {
            reservations.forEach(Reservation::release);
            reservations.clear();
        }
    }

    /** Memory reserved for one image; resized as it moves from encoded bytes to pixels. */
    static final class Reservation {
        private final Lease lease;
        private int kib;

        private Reservation(Lease lease, int kib) {
            this.lease = lease;
            this.kib = kib;
        }

        /** Bytes reserved. */
        long bytes() {
            return kib * KIB;
        }

        /** Grows (if the difference is free now) or shrinks to {@code bytes}; false if it cannot grow. */
        boolean tryResize(long bytes) {
            int n = toKib(bytes);
            if (n > kib) {
                if (!lease.tryAcquire(n - kib)) {
                    return false;
                }
                lease.heldKib += n - kib;
            } else if (n < kib) {
                lease.give(kib - n);
            }
            kib = n;
            return true;
        }

        /** Gives everything back; idempotent. */
        void release() {
            if (kib > 0) {
                lease.give(kib);
                kib = 0;
            }
        }
    }
}
