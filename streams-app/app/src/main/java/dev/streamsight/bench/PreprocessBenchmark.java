package dev.streamsight.bench;

import dev.streamsight.StreamsightException;
import dev.streamsight.image.DecodeHint;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.Preprocessor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Compares the decode + preprocess throughput of two decoders on a set of encoded images, on the
 * calling thread. Rounds alternate between the two (in alternating order), so that both see the
 * same machine: load from elsewhere or a change of clock speed slows both alike instead of
 * biasing the ratio. Warm-up rounds come first (JIT). Each decoder's rate is its best round's
 * (the least disturbed) and its mean; the speedup is the ratio of the best rates, and also the
 * median of the per-round ratios. Not thread-safe; one benchmark per thread.
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
