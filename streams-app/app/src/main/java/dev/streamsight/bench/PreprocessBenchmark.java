package dev.streamsight.bench;

import dev.streamsight.StreamsightException;
import dev.streamsight.image.DecodeHint;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.Preprocessor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Compares the decode + preprocess throughput of two decoders on a set of encoded images, on the
 * calling thread. Rounds alternate between the two (in alternating order), so that both see the
 * same machine: load from elsewhere or a change of clock speed slows both alike instead of
 * biasing the ratio. Warm-up rounds come first (JIT). Each decoder's rate is its best round's
 * (the least disturbed) and its mean; the speedup is the ratio of the best rates, and also the
 * median of the per-round ratios. Not thread-safe; one benchmark per thread. {@link #parallel} measures
 * one decoder on several threads at once.
 */
public final class PreprocessBenchmark {
    /** Throughput of one decoder. */
    public record Result(String decoder, int images, int rounds, double bestImagesPerSecond,
            double meanImagesPerSecond, int failures) {
    }

    /**
     * Both decoders' throughput; {@code speedup} is {@code candidate.best / baseline.best} and
     * {@code medianRoundSpeedup} the median over rounds of the baseline's time over the candidate's.
     */
    public record Comparison(Result candidate, Result baseline, double speedup, double medianRoundSpeedup) {
    }

    private final Preprocessor preprocessor;
    private final DecodeHint hint;
    private final FloatBuffer tensor;

    public PreprocessBenchmark(Preprocessor preprocessor, DecodeHint hint) {
        this.preprocessor = preprocessor;
        this.hint = hint;
        int elements = 3 * preprocessor.spec().width() * preprocessor.spec().height();
        this.tensor = ByteBuffer.allocateDirect(elements * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Times {@code candidate} against {@code baseline} in alternating rounds. */
    public Comparison compare(String candidateName, ImageDecoder candidate, String baselineName,
            ImageDecoder baseline, List<byte[]> images, int warmupRounds, int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1");
        }
        for (int r = 0; r < warmupRounds; r++) {
            pass(candidate, images);
            pass(baseline, images);
        }
        long[] candidateNanos = new long[rounds];
        long[] baselineNanos = new long[rounds];
        int[] failures = new int[2];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                baselineNanos[r] = timed(baseline, images, failures, 1);
                candidateNanos[r] = timed(candidate, images, failures, 0);
            } else {
                candidateNanos[r] = timed(candidate, images, failures, 0);
                baselineNanos[r] = timed(baseline, images, failures, 1);
            }
        }
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = (double) baselineNanos[r] / candidateNanos[r];
        }
        Arrays.sort(ratios);
        double median = rounds % 2 == 1 ? ratios[rounds / 2] : (ratios[rounds / 2 - 1] + ratios[rounds / 2]) / 2;
        Result c = result(candidateName, images.size(), candidateNanos, failures[0]);
        Result b = result(baselineName, images.size(), baselineNanos, failures[1]);
        return new Comparison(c, b, c.bestImagesPerSecond() / b.bestImagesPerSecond(), median);
    }

    /**
     * The throughput of {@code threads} threads decoding and preprocessing disjoint shares of the
     * images at once (image i on thread i mod threads, each with its own preprocessor and tensor), in
     * rounds that each go once over all the images; the best round's rate and the mean, as for one
     * thread.
     */
    public static Result parallel(String name, Supplier<Preprocessor> preprocessors, DecodeHint hint,
            ImageDecoder decoder, List<byte[]> images, int threads, int warmupRounds, int rounds) {
        if (rounds < 1 || threads < 1) {
            throw new IllegalArgumentException("rounds and threads must be >= 1");
        }
        List<PreprocessBenchmark> workers = new ArrayList<>();
        List<List<byte[]>> shares = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(new PreprocessBenchmark(preprocessors.get(), hint));
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < images.size(); i++) {
            shares.get(i % threads).add(images.get(i));
        }
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            PreprocessBenchmark w = workers.get(t);
            List<byte[]> share = shares.get(t);
            tasks.add(() -> w.pass(decoder, share));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long[] nanos = new long[rounds];
            int failures = 0;
            for (int r = -warmupRounds; r < rounds; r++) {
                long t0 = System.nanoTime();
                int failed = 0;
                for (Future<Integer> f : pool.invokeAll(tasks)) {
                    failed += f.get();
                }
                if (r >= 0) {
                    nanos[r] = System.nanoTime() - t0;
                    failures = failed;
                }
            }
            return result(name, images.size(), nanos, failures);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a preprocessing thread failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private long timed(ImageDecoder decoder, List<byte[]> images, int[] failures, int slot) {
        long t0 = System.nanoTime();
        failures[slot] = pass(decoder, images);
        return System.nanoTime() - t0;
    }

    private static Result result(String name, int images, long[] nanos, int failures) {
        double best = 0;
        double sum = 0;
        for (long n : nanos) {
            double rate = images / (n / 1e9);
            best = Math.max(best, rate);
            sum += rate;
        }
        return new Result(name, images, nanos.length, best, sum / nanos.length, failures);
    }

    private int pass(ImageDecoder decoder, List<byte[]> images) {
        int failures = 0;
        for (byte[] encoded : images) {
            try {
                preprocessor.write(decoder.decode(encoded, hint), tensor, 0);
            } catch (StreamsightException e) {
                failures++;
            }
        }
        return failures;
    }
}
