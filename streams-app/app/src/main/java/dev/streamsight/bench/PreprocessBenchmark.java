package dev.streamsight.bench;

import dev.streamsight.StreamsightException;
import dev.streamsight.image.DecodeHint;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.Preprocessor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Measures decode + preprocess throughput of one decoder on a set of encoded images, on the calling
 * thread: warm-up rounds first (JIT), then timed rounds over all images; the result is the best
 * round's rate (the least disturbed by other load on the machine) and the mean. Not thread-safe;
 * one benchmark per thread.
 */
public final class PreprocessBenchmark {
    /** Throughput of one decoder. */
    public record Result(String decoder, int images, int rounds, double bestImagesPerSecond,
            double meanImagesPerSecond, int failures) {
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

    public Result run(String name, ImageDecoder decoder, List<byte[]> images, int warmupRounds, int rounds) {
        int failures = 0;
        for (int r = 0; r < warmupRounds; r++) {
            failures = pass(decoder, images);
        }
        double best = 0;
        double sum = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            failures = pass(decoder, images);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double rate = images.size() / seconds;
            best = Math.max(best, rate);
            sum += rate;
        }
        return new Result(name, images.size(), rounds, best, sum / rounds, failures);
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
