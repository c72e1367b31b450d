package dev.streamsight.bench;

import dev.streamsight.inference.ImageInput;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.PreparedInput;
import java.util.List;

/**
 * ONNX Runtime alone: the images are decoded and preprocessed once into a batch tensor
 * ({@link LoadedModel#prepare}), then the session runs on it in timed rounds of about
 * {@code roundMillis} each, after warm-up runs. A round's rate is its images over its wall time;
 * the result has the best round's (the least disturbed on a shared machine, as {@link
 * PreprocessBenchmark} reports) and the mean of all. Runs on the calling thread; ONNX Runtime uses
 * its own intra-op threads.
 */
public final class EngineBenchmark {
    /** The throughput of one batch size. */
    public record Result(int batchSize, int rounds, long runs, double bestImagesPerSecond,
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

    public Result run(LoadedModel model, List<ImageInput> images, int batchSize) {
        try (PreparedInput input = model.prepare(images, batchSize)) {
            long t0 = System.nanoTime();
            input.run();
            long first = System.nanoTime() - t0;
            for (int i = 1; i < warmupRuns; i++) {
                input.run();
            }
            // Calibrate the runs per round on the warm-up's pace.
            long w0 = System.nanoTime();
            input.run();
            long one = Math.max(1, Math.min(first, System.nanoTime() - w0));
            int perRound = (int) Math.max(1, Math.min(100_000, roundMillis * 1_000_000L / one));
            double best = 0;
            double sum = 0;
            long runs = 0;
            double bestMs = Double.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                long s = System.nanoTime();
                for (int i = 0; i < perRound; i++) {
                    input.run();
                }
                long nanos = System.nanoTime() - s;
                runs += perRound;
                double rate = (double) batchSize * perRound / (nanos / 1e9);
                sum += rate;
                if (rate > best) {
                    best = rate;
                    bestMs = nanos / 1e6 / perRound;
                }
            }
            return new Result(batchSize, rounds, runs, best, sum / rounds, bestMs);
        }
    }
}
