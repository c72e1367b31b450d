package dev.streamsight.bench;

import dev.streamsight.inference.ImageInput;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.PreparedInput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * ONNX Runtime alone: the images are decoded and preprocessed once into a batch tensor
 * ({@link LoadedModel#prepare}), then the session runs on it in timed rounds of about
 * {@code roundMillis} each, after warm-up runs. A round's rate is its images over its wall time;
 * the result has the best round's (the least disturbed on a shared machine, as {@link
 * PreprocessBenchmark} reports) and the mean of all.
 *
 * <p>With one caller the session runs on the calling thread (ONNX Runtime adds its own intra-op
 * threads). With {@code callers} &gt; 1 that many threads run the same session at once, each on its
 * own tensor, as the stream threads of a pipeline do; a round ends when all of them have done their
 * runs. The callers' threads live for one {@link #run} call.
 */
public final class EngineBenchmark {
    /** The throughput of one batch size. */
    public record Result(int batchSize, int callers, int rounds, long runs, double bestImagesPerSecond,
            double meanImagesPerSecond, double bestMsPerBatch) {
    }

    private final int warmupRuns;
    private final int rounds;
    private final long roundMillis;

    public EngineBenchmark(int warmupRuns, int rounds, long roundMillis) {
        if (rounds < 1 || roundMillis < 1 || warmupRuns < 0) {
            throw new IllegalArgumentException("need rounds >= 1, round time >= 1 ms and warm-up runs >= 0");
        }
        this.warmupRuns = warmupRuns;
        this.rounds = rounds;
        this.roundMillis = roundMillis;
    }

    /** One caller. */
    public Result run(LoadedModel model, List<ImageInput> images, int batchSize) {
        return run(model, images, batchSize, 1);
    }

    /** {@code callers} threads at once, each on its own tensor of {@code batchSize} images. */
    public Result run(LoadedModel model, List<ImageInput> images, int batchSize, int callers) {
        if (callers < 1) {
            throw new IllegalArgumentException("callers must be >= 1: " + callers);
        }
        List<PreparedInput> inputs = new ArrayList<>();
        ExecutorService pool = callers > 1 ? Executors.newFixedThreadPool(callers - 1) : null;
        try {
            for (int c = 0; c < callers; c++) {
                inputs.add(model.prepare(images, batchSize));
            }
            PreparedInput first = inputs.getFirst();
            long t0 = System.nanoTime();
            first.run();
            long firstNanos = System.nanoTime() - t0;
            for (int i = 1; i < warmupRuns; i++) {
                first.run();
            }
            // Calibrate the runs per round on the warm-up's pace (one caller alone: a lower bound).
            long w0 = System.nanoTime();
            first.run();
            long one = Math.max(1, Math.min(firstNanos, System.nanoTime() - w0));
            int perRound = (int) Math.max(1, Math.min(100_000, roundMillis * 1_000_000L / one));
            double best = 0;
            double sum = 0;
            long runs = 0;
            double bestMs = Double.MAX_VALUE;
            for (int r = -1; r < rounds; r++) { // round -1 warms the other callers up
                long nanos = round(inputs, perRound, pool);
                if (r < 0) {
                    continue;
                }
                runs += (long) perRound * callers;
                double rate = (double) batchSize * perRound * callers / (nanos / 1e9);
                sum += rate;
                if (rate > best) {
                    best = rate;
                    bestMs = nanos / 1e6 / perRound;
                }
            }
            return new Result(batchSize, callers, rounds, runs, best, sum / rounds, bestMs);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
            inputs.forEach(PreparedInput::close);
        }
    }

    /**
     * Every caller does {@code perRound} runs; the wall time of the slowest. When a caller fails, the
     * others are still waited for before the failure is thrown, so that no run is in the session when
     * the caller closes the tensors and the model.
     */
    private static long round(List<PreparedInput> inputs, int perRound, ExecutorService pool) {
        long s = System.nanoTime();
        List<Future<?>> others = new ArrayList<>();
        for (int c = 1; c < inputs.size(); c++) {
            PreparedInput input = inputs.get(c);
            others.add(pool.submit(() -> {
                for (int i = 0; i < perRound; i++) {
                    input.run();
                }
            }));
        }
        RuntimeException failure = null;
        try {
            for (int i = 0; i < perRound; i++) {
                inputs.getFirst().run();
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return System.nanoTime() - s;
    }
}
