package dev.streamsight.bench;

import dev.streamsight.inference.ImageInput;
import dev.streamsight.inference.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Decoding and inference together, without Kafka, fetching or output: {@code workers} threads at
 * once, each handing the model groups of encoded images (in memory) to decode, preprocess and run in
 * engine batches, as {@code classify}'s workers and the pipeline's stream threads do. What the
 * machine's two kernels reach when they share the cores, against the limit's assumption that each
 * runs as fast beside the other as alone.
 *
 * <p>The workers first run for the warm-up time (the JIT compiles the decode path), which also sets
 * the groups per round from their pace; then each round every worker runs the same number of groups,
 * and a round lasts until the slowest is done. A round's rate is its images over its wall time; the
 * result has the best round's and the mean. Failed images count as done (a broken file costs its
 * decode) and are reported. The worker threads live for one {@link #run} call.
 */
public final class OverlapBenchmark {
    /**
     * The throughput of one run.
     *
     * @param firstFailure why the first failed image failed, or null when none did
     */
    public record Result(int workers, int group, int rounds, long timedImages, double bestImagesPerSecond,
            double meanImagesPerSecond, long failures, String firstFailure) {
    }

    private final long warmupMillis;
    private final int rounds;
    private final long roundMillis;

    public OverlapBenchmark(long warmupMillis, int rounds, long roundMillis) {
        if (rounds < 1 || roundMillis < 1 || warmupMillis < 0) {
            throw new IllegalArgumentException("need rounds >= 1, round time >= 1 ms and warm-up >= 0 ms");
        }
        this.warmupMillis = warmupMillis;
        this.rounds = rounds;
        this.roundMillis = roundMillis;
    }

    /**
     * Runs {@code model} (a model's {@code classify} or {@code detect}) on groups of {@code group}
     * images cycling through {@code images}, each worker starting at its own offset.
     */
    public Result run(Function<List<ImageInput>, List<? extends Prediction<?>>> model, List<ImageInput> images,
            int workers, int group) {
        if (workers < 1 || group < 1 || images.isEmpty()) {
            throw new IllegalArgumentException("need workers >= 1, group >= 1 and images");
        }
        List<Worker> all = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            all.add(new Worker(model, images, group, w * images.size() / workers));
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            long warmupEnd = System.nanoTime() + warmupMillis * 1_000_000;
            long w0 = System.nanoTime();
            long warmupGroups = onEveryWorker(pool, all, worker -> {
                long n = 0;
                do {
                    worker.group();
                    n++;
                } while (System.nanoTime() < warmupEnd);
                return n;
            }) / workers;
            long warmupNanos = System.nanoTime() - w0;
            // One group's pace from the warm-up (its end, the JIT done, is faster: a lower bound).
            long perRound = Math.max(1, Math.round(roundMillis * 1e6 / (warmupNanos / (double) Math.max(1, warmupGroups))));
            double best = 0;
            double sum = 0;
            long failuresBefore = failures(all);
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                onEveryWorker(pool, all, worker -> {
                    for (long i = 0; i < perRound; i++) {
                        worker.group();
                    }
                    return perRound;
                });
                double rate = (double) perRound * group * workers / ((System.nanoTime() - t0) / 1e9);
                best = Math.max(best, rate);
                sum += rate;
            }
            return new Result(workers, group, rounds, perRound * group * workers * rounds, best, sum / rounds,
                    failures(all) - failuresBefore, all.stream().map(w -> w.firstFailure).filter(f -> f != null)
                            .findFirst().orElse(null));
        } finally {
            pool.shutdownNow();
        }
    }

    private static long failures(List<Worker> workers) {
        return workers.stream().mapToLong(w -> w.failures).sum();
    }

    /**
     * Runs {@code body} on every worker at once and waits for all of them, also when one fails (so no
     * worker is still in the model when the caller closes it); the sum of what they return.
     */
    private static long onEveryWorker(ExecutorService pool, List<Worker> workers, ToLongFunction<Worker> body) {
        List<Callable<Long>> tasks = workers.stream().<Callable<Long>>map(w -> () -> body.applyAsLong(w)).toList();
        long sum = 0;
        try {
            for (Future<Long> f : pool.invokeAll(tasks)) {
                sum += f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return sum;
    }

    /** One worker's cursor over the images; used by one thread at a time. */
    private static final class Worker {
        private final Function<List<ImageInput>, List<? extends Prediction<?>>> model;
        private final List<ImageInput> images;
        private final int group;
        private int next;
        private long failures;
        private String firstFailure;

        Worker(Function<List<ImageInput>, List<? extends Prediction<?>>> model, List<ImageInput> images, int group,
                int start) {
            this.model = model;
            this.images = images;
            this.group = group;
            this.next = start;
        }

        void group() {
            List<ImageInput> batch = new ArrayList<>(group);
            for (int i = 0; i < group; i++) {
                batch.add(images.get(next));
                next = (next + 1) % images.size();
            }
            for (Prediction<?> p : model.apply(batch)) {
                if (!p.ok()) {
                    failures++;
                    if (firstFailure == null) {
                        firstFailure = p.error().code() + ": " + p.error().getMessage();
                    }
                }
            }
        }
    }
}
