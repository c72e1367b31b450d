package dev.streamsight.inference;

import dev.streamsight.image.RgbImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Chooses the batch size of a model with a dynamic batch dimension by timing its session at load:
 * batches of 1, 2, 4, ... up to the ceiling run on one prepared tensor, in two passes of half of
 * {@value #MIN_MILLIS} ms and at least {@value #MIN_RUNS} runs each (after one untimed run), and the
 * smallest batch whose images per second come within 5% ({@value #TOLERANCE}) of the best is
 * chosen: as fast, with less waiting for a batch to fill and less tensor memory.
 *
 * <p>Why at load, on this machine: the best batch depends on the model, the provider and the cores.
 * On two CPU cores an int8 MobileNetV2 runs fastest one image at a time (its kernels gain nothing
 * from batching), while fp32 graphs and GPUs gain from large batches; a fixed default is wrong for
 * one of them. The sweep stops early once a batch is clearly slower than the best so far (throughput
 * does not come back at larger batches), and does not start a batch that would take it past
 * {@value #BUDGET_MILLIS} ms, so a large model on a small CPU adds a few seconds to its start at most.
 *
 * <p>A graph that declares a dynamic batch but fails at a larger one (some exports fix a reshape to
 * batch 1) gets the largest batch that ran, and the failure is logged: found at load, not as dead
 * letters later. Not used for TensorRT, where every new batch shape builds an engine. Stateless;
 * called once per model by {@link ModelLoader} on the loading thread.
 */
final class EngineBatchTuner {
    static final int MIN_RUNS = 3;
    static final long MIN_MILLIS = 150;
    static final double TOLERANCE = 0.05;
    static final long BUDGET_MILLIS = 4_000;
    /** A batch this much slower than the best so far ends the sweep. */
    static final double GIVE_UP = 0.80;

    private EngineBatchTuner() {
    }

    /**
     * What the sweep measured and chose.
     *
     * @param chosen the batch size to use
     * @param imagesPerSecond by batch size, for the batches timed
     * @param millis how long the sweep took
     * @param failure why the session failed at the next larger batch (an export whose batch
     *     dimension is declared dynamic but whose graph only runs smaller batches), or null
     */
    record Choice(int chosen, SortedMap<Integer, Double> imagesPerSecond, long millis, String failure) {
        String describe() {
            Map<Integer, Long> rounded = new LinkedHashMap<>();
            imagesPerSecond.forEach((b, r) -> rounded.put(b, Math.round(r)));
            return "images/s by batch " + rounded + " in " + millis + " ms";
        }
    }

    /** Images per second of the session at one batch size. */
    @FunctionalInterface
    interface Timer {
        double imagesPerSecond(int batch);
    }

    /** The batch sizes tried: powers of two below {@code ceiling}, then {@code ceiling}. */
    static List<Integer> candidates(int ceiling) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int b = 1; b < ceiling; b *= 2) {
            out.add(b);
        }
        out.add(ceiling);
        return out;
    }

    /**
     * Times {@code model}'s session on {@code image} at each candidate batch size and chooses one. Two
     * passes of half the time each, keeping each batch's better rate: a disturbance during one
     * batch's timing (a broker starting in the same process, another model loading) then rarely
     * decides the choice.
     */
    static Choice choose(LoadedModel model, RgbImage image, int ceiling) {
        return choose(ceiling, batch -> time(model, image, batch));
    }

    /**
     * The sweep over {@code timer}. A batch larger than 1 that fails ends the sweep with the batches
     * that ran (the failure is in the choice); a failure at batch 1 is the model's and is thrown.
     */
    static Choice choose(int ceiling, Timer timer) {
        long start = System.nanoTime();
        SortedMap<Integer, Double> rates = new TreeMap<>();
        String failure = null;
        double best = 0;
        for (int batch : candidates(ceiling)) {
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            // Both passes at this batch take about batch / rate seconds a run, MIN_RUNS + 1 runs each.
            double expectedMillis = best == 0 ? 0 : 2 * (MIN_RUNS + 1) * 1000.0 * batch / best;
            if (elapsed + expectedMillis > BUDGET_MILLIS) {
                break;
            }
            double rate;
            try {
                rate = timer.imagesPerSecond(batch);
            } catch (RuntimeException e) {
                if (batch == 1) {
                    throw e;
                }
                failure = "batch " + batch + " failed: " + e.getMessage();
                break;
            }
            rates.put(batch, rate);
            best = Math.max(best, rate);
            if (rate < GIVE_UP * best) {
                break;
            }
        }
        for (var e : rates.entrySet()) {
            e.setValue(Math.max(e.getValue(), timer.imagesPerSecond(e.getKey())));
        }
        return new Choice(pick(rates), rates, (System.nanoTime() - start) / 1_000_000, failure);
    }

    private static double time(LoadedModel model, RgbImage image, int batch) {
        try (PreparedInput input = model.prepare(List.of(ImageInput.decoded(image)), batch)) {
            return time(input);
        }
    }

    /** The smallest batch within {@link #TOLERANCE} of the fastest. */
    static int pick(SortedMap<Integer, Double> rates) {
        double best = rates.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        for (var e : rates.entrySet()) {
            if (e.getValue() >= (1 - TOLERANCE) * best) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("no rate");
    }

    private static double time(PreparedInput input) {
        input.run(); // the first run of a new shape allocates and plans: not timed
        long t0 = System.nanoTime();
        int runs = 0;
        long elapsed;
        do {
            input.run();
            runs++;
            elapsed = System.nanoTime() - t0;
        } while (runs < MIN_RUNS || elapsed < MIN_MILLIS * 1_000_000 / 2);
        return runs * (double) input.batchSize() / (elapsed / 1e9);
    }
}
