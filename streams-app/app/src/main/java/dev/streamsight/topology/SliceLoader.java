package dev.streamsight.topology;

import dev.streamsight.ReasonCode;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.fetch.UriText;
import dev.streamsight.image.DecodeFootprint;
import dev.streamsight.image.DecodeHint;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Fetches and decodes the images of a batch in slices that fit the instance's {@link DecodeBudget},
 * and hands each slice to the caller, which runs it through the models before the next slice is
 * loaded. Per slice:
 * <ol>
 *   <li>Images are taken in input order while their fetch allowance can be reserved: an inline
 *       image's size, or for a reference {@code fetch.max.bytes} (its size is known once fetched).
 *       The first image of a slice may wait for memory (its lease then holds none); the others are
 *       taken only if their memory is free now.</li>
 *   <li>The slice's references are fetched concurrently, under one deadline, and each reservation
 *       shrinks to the bytes fetched.</li>
 *   <li>Each image's decode footprint ({@link dev.streamsight.image.ImageDecoder#footprint}: its
 *       declared size at the scale it is decoded at) is added to its reservation. An image whose
 *       bytes and footprint exceed the whole budget is refused ({@code IMAGE_TOO_LARGE}, stage
 *       {@code decode}) without being decoded. An image whose footprint is not free now goes on to
 *       the next slice with the images after it, keeping its bytes; if it is the slice's first, the
 *       others give theirs back (they are fetched again later) and it waits for its memory alone,
 *       keeping its fetched bytes meanwhile.</li>
 *   <li>The images taken are decoded in parallel, and each reservation shrinks to the pixels
 *       kept.</li>
 *   <li>The caller runs the slice; then the pixels are let go and their memory given back.</li>
 * </ol>
 * So the images in flight hold at most the budget in fetched bytes and decoded pixels (the
 * preprocessing's scratch and the tensors come on top), except for the fetched bytes of the image a
 * stream thread waits with: one image per waiting thread. With one stream thread nothing ever waits.
 *
 * <p>Failures are recorded on the items ({@link BatchItem#fail}), for the caller's dead letters;
 * an interrupted fetch (a shutdown) is thrown instead, as it is not the image's fault. Shared by
 * the tasks of an instance; {@link #load} is called by stream threads, each with its own lease.
 */
final class SliceLoader {
    private final PipelineResources resources;
    private final DecodeHint hint;
    private final long fetchAllowance;

    /**
     * @param hint what the models need of each image (decoded once for all of them)
     * @param fetchMaxBytes {@code fetch.max.bytes}: the most a reference's bytes can take
     */
    SliceLoader(PipelineResources resources, DecodeHint hint, long fetchMaxBytes) {
        this.resources = resources;
        this.hint = hint;
        this.fetchAllowance = Math.min(fetchMaxBytes, resources.decodeBudget().capacityBytes());
    }

    /** Loads {@code items} slice by slice, calling {@code run} with each (its failed items included). */
    void load(List<BatchItem> items, Consumer<List<BatchItem>> run) {
        try (DecodeBudget.Lease lease = resources.decodeBudget().lease()) {
            Deque<BatchItem> queue = new ArrayDeque<>(items);
            while (!queue.isEmpty()) {
                List<BatchItem> slice = take(queue, lease);
                fetch(slice);
                List<BatchItem> admitted = admitDecodes(slice, queue, lease);
                decode(admitted);
                try {
                    run.accept(slice);
                } finally {
                    slice.forEach(BatchItem::done);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for decode memory", e);
        }
    }

    private List<BatchItem> take(Deque<BatchItem> queue, DecodeBudget.Lease lease) throws InterruptedException {
        List<BatchItem> slice = new ArrayList<>();
        while (!queue.isEmpty()) {
            BatchItem item = queue.peekFirst();
            if (item.memory == null) { // not fetched yet (a carried-over image holds its bytes' memory)
                ByteBuffer inline = item.inlineBytes();
                long allowance = Math.min(inline == null ? fetchAllowance : inline.remaining(),
                        resources.decodeBudget().capacityBytes());
                item.memory = slice.isEmpty() && lease.heldBytes() == 0 ? lease.reserve(allowance)
                        : lease.tryReserve(allowance);
                if (item.memory == null) {
                    break;
                }
            }
            slice.add(queue.pollFirst());
        }
        return slice;
    }

    private void fetch(List<BatchItem> slice) {
        List<BatchItem> toFetch = slice.stream().filter(i -> i.bytes == null && !i.failed()).toList();
        List<Future<PipelineResources.Fetched>> futures = new ArrayList<>(toFetch.size());
        for (BatchItem item : toFetch) {
            futures.add(item.event().getImage() instanceof ImageRef ref ? resources.fetchAsync(ref.getUri()) : null);
        }
        // One deadline for the whole slice: fetches run concurrently, and a server that stalls mid-body
        // must not hold the stream thread past max.poll.interval.ms.
        long deadline = System.nanoTime() + resources.fetchDeadline().toNanos();
        for (int i = 0; i < toFetch.size(); i++) {
            BatchItem item = toFetch.get(i);
            Future<PipelineResources.Fetched> future = futures.get(i);
            if (future == null) {
                ByteBuffer b = item.inlineBytes();
                item.bytes = new byte[b.remaining()];
                b.get(item.bytes);
            } else {
                awaitFetch(item, future, deadline);
            }
            if (item.bytes != null && !item.memory.tryResize(item.bytes.length)) {
                // Only an image larger than the whole budget has more bytes than its allowance.
                item.fail(ReasonCode.IMAGE_TOO_LARGE.name(), "the image has " + item.bytes.length
                        + " encoded bytes, more than the " + capacity() + "-byte decode memory budget"
                        + " (image.decode.memory)", Stage.DECODE);
            }
        }
    }

    private void awaitFetch(BatchItem item, Future<PipelineResources.Fetched> future, long deadline) {
        try {
            PipelineResources.Fetched fetched = future.get(Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
            item.bytes = fetched.bytes();
            item.fetchMs = fetched.nanos() / 1e6;
        } catch (TimeoutException e) {
            future.cancel(true);
            item.fail(ReasonCode.FETCH_TIMEOUT.name(), "no answer within " + resources.fetchDeadline() + " from "
                    + UriText.forMessage(((ImageRef) item.event().getImage()).getUri()), Stage.FETCH);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (InferenceProcessor.isInterruption(cause)) {
                // Interrupted or shutting down: not the image's fault, so no dead letter; the task
                // fails and its uncommitted work is replayed.
                throw new IllegalStateException("fetching images was interrupted", cause);
            }
            item.fail(cause, Stage.FETCH);
        } catch (CancellationException e) {
            throw new IllegalStateException("fetching images was cancelled", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching images", e);
        }
    }

    /** Reserves the decodes that fit, refuses those that never can, defers the rest. */
    private List<BatchItem> admitDecodes(List<BatchItem> slice, Deque<BatchItem> queue, DecodeBudget.Lease lease)
            throws InterruptedException {
        List<BatchItem> admitted = new ArrayList<>();
        for (int i = 0; i < slice.size(); i++) {
            BatchItem item = slice.get(i);
            if (item.failed()) {
                continue;
            }
            DecodeFootprint footprint = resources.decoder().footprint(item.bytes, hint);
            long total = item.bytes.length + footprint.peakBytes();
            if (total > capacity()) {
                item.fail(ReasonCode.IMAGE_TOO_LARGE.name(), "decoding the " + footprint.description() + " takes"
                        + " about " + mib(total) + " of memory with its encoded bytes, more than the " + mib(capacity())
                        + " decode memory budget (image.decode.memory)", Stage.DECODE);
                continue;
            }
            if (item.memory.tryResize(total)) {
                admitted.add(item);
                continue;
            }
            if (!admitted.isEmpty()) {
                defer(slice, i, queue, false);
                break;
            }
            // The first to decode: the others give back their memory; if that is not enough, wait for
            // this one's alone, holding nothing meanwhile (so no two threads wait on each other).
            defer(slice, i + 1, queue, true);
            if (!item.memory.tryResize(total)) {
                item.memory.release();
                item.memory = lease.reserve(total);
            }
            admitted.add(item);
            break;
        }
        return admitted;
    }

    /**
     * Moves the images of {@code slice} from {@code from} on (failed ones stay, for their dead letters)
     * to the front of the queue, in order; {@code drop}: forgetting their bytes and memory.
     */
    private static void defer(List<BatchItem> slice, int from, Deque<BatchItem> queue, boolean drop) {
        List<BatchItem> moved = new ArrayList<>();
        for (ListIterator<BatchItem> it = slice.listIterator(from); it.hasNext(); ) {
            BatchItem item = it.next();
            if (!item.failed()) {
                it.remove();
                if (drop) {
                    item.dropFetched();
                }
                moved.add(item);
            }
        }
        for (int i = moved.size() - 1; i >= 0; i--) {
            queue.addFirst(moved.get(i));
        }
    }

    private void decode(List<BatchItem> items) {
        IntStream.range(0, items.size()).parallel().forEach(i -> {
            BatchItem item = items.get(i);
            long t0 = System.nanoTime();
            try {
                item.image = resources.decoder().decode(item.bytes, hint);
            } catch (RuntimeException | StackOverflowError e) {
                // Whatever one image's bytes make the decoder throw is that image's failure.
                item.decodeError = e;
            }
            long nanos = System.nanoTime() - t0;
            item.decodeMs = nanos / 1e6;
            resources.metrics().decoded(nanos);
        });
        // Failures are recorded on the stream thread, in input order.
        for (BatchItem item : items) {
            item.bytes = null;
            if (item.decodeError != null) {
                item.fail(item.decodeError, Stage.DECODE);
            } else if (item.image.pixels().length < item.memory.bytes()) {
                item.memory.tryResize(item.image.pixels().length);
            }
        }
    }

    private long capacity() {
        return resources.decodeBudget().capacityBytes();
    }

    private static String mib(long bytes) {
        return (bytes + (1 << 20) - 1 >> 20) + " MiB";
    }
}
