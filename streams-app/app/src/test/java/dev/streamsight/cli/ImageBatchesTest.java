package dev.streamsight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.StreamsightException;
import dev.streamsight.fetch.FetchOptions;
import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.inference.ImageInput;
import dev.streamsight.inference.Prediction;
import dev.streamsight.inference.StageTimings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Groups run on several workers at once, and every reference is still reported in input order. */
class ImageBatchesTest {
    @TempDir
    Path dir;

    @Test
    void reportsInInputOrderWhateverOrderTheGroupsFinishIn() throws Exception {
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            Path f = dir.resolve("img" + i);
            if (i % 5 != 3) { // every fifth is missing: a fetch error in its place
                Files.write(f, new byte[i + 1]);
            }
            refs.add(f.toString());
        }
        Set<String> workers = ConcurrentHashMap.newKeySet();
        List<String> reported = Collections.synchronizedList(new ArrayList<>());
        boolean ok = ImageBatches.process(refs, new ImageFetcher(FetchOptions.forCommandLine()), 2, 3,
                (List<ImageInput> inputs) -> {
                    workers.add(Thread.currentThread().getName());
                    try {
                        Thread.sleep(ThreadLocalRandom.current().nextInt(1, 30)); // groups finish out of order
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return inputs.stream().map(in -> Prediction.success(((ImageInput.Encoded) in).bytes().length,
                            StageTimings.NONE)).toList();
                },
                new ImageBatches.Sink<Integer>() {
                    @Override
                    public void result(String image, Prediction<Integer> p) {
                        reported.add(image + "=" + p.value());
                    }

                    @Override
                    public void error(String image, StreamsightException e) {
                        reported.add(image + "=" + e.code());
                    }
                });
        assertFalse(ok, "missing files are failures");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            expected.add(refs.get(i) + "=" + (i % 5 == 3 ? "NOT_FOUND" : String.valueOf(i + 1)));
        }
        assertEquals(expected, reported);
        assertTrue(workers.size() > 1, "groups ran on several workers: " + workers);
    }

    @Test
    void groupsHoldTwoBatchesAndAtLeastSixteenImages() {
        assertEquals(16, ImageBatches.groupSize(1));
        assertEquals(16, ImageBatches.groupSize(8));
        assertEquals(32, ImageBatches.groupSize(16));
    }
}
