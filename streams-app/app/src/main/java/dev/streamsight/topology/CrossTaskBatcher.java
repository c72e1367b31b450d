package dev.streamsight.topology;

import dev.streamsight.inference.ImageInput;
import dev.streamsight.inference.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Merges the batches that several stream threads (tasks) submit for one model at about the same
 * time into one engine call, so the engine sees larger batches than any single task has.
 *
 * <p>Leader/follower: the first thread to submit while no merge is open becomes the leader; it
 * waits up to {@code linger} (less if {@code maxImages} are already queued) for other submissions,
 * takes everything queued, closes the merge, runs one call and hands each submitter its slice.
 * Followers block until their slice is ready. A thread that submits once the merge is closed (the
 * leader's call is running) opens the next one and runs its own call at the same time: calls never
 * wait for each other, so a model whose engine runs best one image at a time on one core (see
 * {@code EngineBatchTuner}) runs on as many cores as there are stream threads. With no linger
 * (a model of batch 1), a submission that fills a batch by itself runs at once, outside the merge.
 * A lone thread pays at most the linger, which is small next to inference. Thread-safe; holds no
 * resources.
 *
 * @param <T> the per-image result type of the model call
 */
final class CrossTaskBatcher<T> {
    private final Function<List<ImageInput>, List<Prediction<T>>> engine;
    private final int maxImages;
    private final long lingerNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition filled = lock.newCondition();
    private final List<Submission<T>> queue = new ArrayList<>();
    private int queuedImages;
    private boolean leaderActive;

    private record Submission<T>(List<ImageInput> inputs, CompletableFuture<List<Prediction<T>>> result) {
    }

    CrossTaskBatcher(Function<List<ImageInput>, List<Prediction<T>>> engine, int maxImages, long lingerMicros) {
        this.engine = engine;
        this.maxImages = maxImages;
        this.lingerNanos = TimeUnit.MICROSECONDS.toNanos(lingerMicros);
    }

    /** Runs the inputs, possibly merged with other threads' inputs; results in input order. */
    List<Prediction<T>> run(List<ImageInput> inputs) {
        Submission<T> mine = new Submission<>(inputs, new CompletableFuture<>());
        if (lingerNanos == 0 && inputs.size() >= maxImages) {
            return engine.apply(inputs); // nothing to merge it with
        }
        boolean leader;
        lock.lock();
        try {
            queue.add(mine);
            queuedImages += inputs.size();
            leader = !leaderActive;
            leaderActive = true;
            if (queuedImages >= maxImages) {
                filled.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (leader) {
            lead();
        }
        return mine.result.join();
    }

    private void lead() {
        List<Submission<T>> taken;
        lock.lock();
        try {
            long remaining = lingerNanos;
            while (queuedImages < maxImages && remaining > 0) {
                try {
                    remaining = filled.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            taken = new ArrayList<>(queue);
            queue.clear();
            queuedImages = 0;
            leaderActive = false;
        } finally {
            lock.unlock();
        }
        List<ImageInput> all = new ArrayList<>();
        taken.forEach(s -> all.addAll(s.inputs));
        try {
            List<Prediction<T>> out = engine.apply(all);
            int offset = 0;
            for (Submission<T> s : taken) {
                s.result.complete(out.subList(offset, offset + s.inputs.size()));
                offset += s.inputs.size();
            }
        } catch (RuntimeException | Error e) {
            taken.forEach(s -> s.result.completeExceptionally(e));
        }
    }
}
