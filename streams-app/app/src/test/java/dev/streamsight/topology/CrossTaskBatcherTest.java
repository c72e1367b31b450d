package dev.streamsight.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamsight.image.RgbImage;
import dev.streamsight.inference.ImageInput;
import dev.streamsight.inference.Prediction;
import dev.streamsight.inference.StageTimings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Concurrent submissions are merged into one engine call and each gets its own results back. */
class CrossTaskBatcherTest {

    /** An engine that reports, per image, the size of the call it was part of and the image's width. */
    private final List<Integer> callSizes = Collections.synchronizedList(new ArrayList<>());

    private List<Prediction<int[]>> engine(List<ImageInput> inputs) {
        callSizes.add(inputs.size());
        return inputs.stream().map(in -> Prediction.success(
                new int[] {inputs.size(), ((ImageInput.Decoded) in).image().width()}, StageTimings.NONE)).toList();
    }

    private static List<ImageInput> images(int width, int n) {
        List<ImageInput> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ImageInput.decoded(RgbImage.of(width, 1, new byte[3 * width])));
        }
        return out;
    }

    @Test
    void concurrentSubmissionsShareOneCall() throws Exception {
        CrossTaskBatcher<int[]> batcher = new CrossTaskBatcher<>(this::engine, 64, 200_000);
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<List<Prediction<int[]>>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int width = t + 1;
                futures.add(pool.submit(() -> {
                    start.await();
                    return batcher.run(images(width, 3));
                }));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                List<Prediction<int[]>> out = futures.get(t).get();
                assertEquals(3, out.size());
                for (Prediction<int[]> p : out) {
                    assertEquals(t + 1, p.value()[1], "each submitter gets its own images' results");
                }
            }
        }
        assertEquals(12, callSizes.stream().mapToInt(Integer::intValue).sum());
        assertEquals(1, callSizes.size(), "merged into one call: " + callSizes);
    }

    @Test
    void aFullQueueRunsWithoutWaitingForTheLinger() {
        CrossTaskBatcher<int[]> batcher = new CrossTaskBatcher<>(this::engine, 4, 60_000_000);
        long t0 = System.nanoTime();
        assertEquals(5, batcher.run(images(2, 5)).size());
        assertEquals(true, System.nanoTime() - t0 < 30_000_000_000L);
        assertEquals(List.of(5), callSizes);
    }

    @Test
    void callsRunAtTheSameTimeWhenTheMergeIsClosed() throws Exception {
        // Batch 1, no linger (a model that runs best one image at a time): two threads' calls overlap
        // instead of one thread waiting for the other's.
        CountDownLatch bothInside = new CountDownLatch(2);
        CrossTaskBatcher<int[]> batcher = new CrossTaskBatcher<>(inputs -> {
            bothInside.countDown();
            try {
                if (!bothInside.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the other call never started");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return engine(inputs);
        }, 1, 0);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<List<Prediction<int[]>>> a = pool.submit(() -> batcher.run(images(1, 1)));
            Future<List<Prediction<int[]>>> b = pool.submit(() -> batcher.run(images(2, 1)));
            assertEquals(1, a.get().getFirst().value()[1]);
            assertEquals(2, b.get().getFirst().value()[1]);
        }
        assertEquals(List.of(1, 1), callSizes);
    }
}
