package dev.streamsight.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineBatchTunerTest {
    @TempDir
    Path cache;

    @Test
    void triesPowersOfTwoUpToTheCeiling() {
        assertEquals(List.of(1), EngineBatchTuner.candidates(1));
        assertEquals(List.of(1, 2, 4, 8, 16), EngineBatchTuner.candidates(16));
        assertEquals(List.of(1, 2, 4, 8, 12), EngineBatchTuner.candidates(12));
    }

    @Test
    void picksTheSmallestBatchWithinFivePercentOfTheFastest() {
        // int8 on two CPU cores: nothing gained from batching, so one image at a time.
        assertEquals(1, EngineBatchTuner.pick(new TreeMap<>(Map.of(1, 484.0, 2, 503.0, 4, 491.0, 16, 365.0))));
        // fp32 or a GPU: large batches pay.
        assertEquals(8, EngineBatchTuner.pick(new TreeMap<>(Map.of(1, 100.0, 2, 180.0, 4, 300.0, 8, 390.0,
                16, 400.0))));
        assertEquals(16, EngineBatchTuner.pick(new TreeMap<>(Map.of(1, 100.0, 8, 300.0, 16, 400.0))));
    }

    @Test
    void aBatchTheGraphCannotRunEndsTheSweepWithTheOnesThatRan() {
        List<Integer> asked = new java.util.ArrayList<>();
        EngineBatchTuner.Choice c = EngineBatchTuner.choose(16, batch -> {
            asked.add(batch);
            if (batch >= 4) {
                throw new InferenceException("Reshape: the input has 4 images, the shape says 1", null);
            }
            return 100.0 * batch;
        });
        assertEquals(2, c.chosen());
        assertEquals(List.of(1, 2), List.copyOf(c.imagesPerSecond().keySet()));
        assertEquals("batch 4 failed: Reshape: the input has 4 images, the shape says 1", c.failure());
        assertEquals(List.of(1, 2, 4, 1, 2), asked, "the second pass times only the batches that ran");
        // At batch 1 the failure is the model's own.
        assertThrows(InferenceException.class, () -> EngineBatchTuner.choose(16, batch -> {
            throw new InferenceException("broken", null);
        }));
        // A sweep that stops because a batch is much slower has no failure.
        assertNull(EngineBatchTuner.choose(8, batch -> batch <= 2 ? 100.0 : 10.0).failure());
    }

    @Test
    void aTunedModelGetsTheChosenBatchAndStillClassifies() {
        EngineOptions tuned = EngineOptions.cpu().withTunedBatch(4);
        assertTrue(tuned.tuneBatch());
        try (LoadedModel m = TestModels.loader(cache, tuned).load("mobilenetv2-12-int8")) {
            assertTrue(List.of(1, 2, 4).contains(m.batchCapacity()), "chosen among the candidates: " + m.batchCapacity());
            List<Prediction<Classification>> out = m.classify(List.of(
                    ImageInput.decoded(TestModels.photo("winml_hummingbird.jpg")),
                    ImageInput.decoded(TestModels.photo("coco_000000000285_bear.jpg"))), 1);
            assertEquals("hummingbird", out.get(0).value().top().getFirst().label());
            assertEquals("brown bear", out.get(1).value().top().getFirst().label());
        }
    }

    @Test
    void aFixedBatchIsNotTuned() {
        EngineOptions fixed = EngineOptions.cpu().withMaxBatchSize(3);
        assertFalse(fixed.tuneBatch());
        try (LoadedModel m = TestModels.loader(cache, fixed).load("mobilenetv2-12-int8")) {
            assertEquals(3, m.batchCapacity());
        }
        // A graph with a fixed batch keeps it whatever the options say.
        try (LoadedModel m = TestModels.loader(cache, EngineOptions.cpu().withTunedBatch(16)).load("squeezenet1.0-fp16")) {
            assertEquals(1, m.batchCapacity());
        }
    }
}
