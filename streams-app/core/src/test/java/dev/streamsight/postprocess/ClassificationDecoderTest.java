package dev.streamsight.postprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.model.ScoreKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassificationDecoderTest {

    private static List<Integer> indices(List<ScoredLabel> r) {
        return r.stream().map(ScoredLabel::index).toList();
    }

    @Test
    void softmaxMatchesReferenceValuesAndSumsToOne() {
        float[] p = ClassificationDecoder.softmax(new float[] {1f, 2f, 3f});
        assertEquals(0.09003057f, p[0], 1e-6f);
        assertEquals(0.24472847f, p[1], 1e-6f);
        assertEquals(0.66524096f, p[2], 1e-6f);
        assertEquals(1.0, p[0] + p[1] + p[2], 1e-6);
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        float[] p = ClassificationDecoder.softmax(new float[] {1000f, 1001f, -1000f});
        assertEquals(0.26894142f, p[0], 1e-6f);
        assertEquals(0.73105858f, p[1], 1e-6f);
        assertEquals(0f, p[2], 0f);
    }

    @Test
    void logitsAreSoftmaxedAndRanked() {
        var dec = new ClassificationDecoder(ScoreKind.LOGITS, List.of("a", "b", "c", "d"));
        List<ScoredLabel> top = dec.topK(new float[] {0.5f, 3f, -1f, 2f}, 2);
        assertEquals(List.of(1, 3), indices(top));
        assertEquals("b", top.get(0).label());
        double z = Math.exp(0.5) + Math.exp(3) + Math.exp(-1) + Math.exp(2);
        assertEquals(Math.exp(3) / z, top.get(0).score(), 1e-6);
        assertEquals(Math.exp(2) / z, top.get(1).score(), 1e-6);
    }

    @Test
    void probabilitiesPassThroughUnchanged() {
        var dec = new ClassificationDecoder(ScoreKind.PROBABILITIES, List.of("a", "b", "c"));
        List<ScoredLabel> top = dec.topK(new float[] {0.2f, 0.7f, 0.1f}, 3);
        assertEquals(List.of(1, 0, 2), indices(top));
        assertEquals(0.7f, top.get(0).score(), 0f);
        assertEquals(0.2f, top.get(1).score(), 0f);
        assertEquals(0.1f, top.get(2).score(), 0f);
    }

    @Test
    void tiesGoToTheLowerIndexForBothKinds() {
        float[] s = {0.1f, 0.4f, 0.2f, 0.4f, 0.4f};
        for (ScoreKind kind : ScoreKind.values()) {
            var dec = new ClassificationDecoder(kind, null);
            assertEquals(List.of(1, 3, 4, 2), indices(dec.topK(s, 4)), kind.name());
            List<ScoredLabel> all = dec.topK(s, 100);
            assertEquals(List.of(1, 3, 4, 2, 0), indices(all), kind.name());
        }
    }

    @Test
    void kIsClampedAndZeroOrEmptyGiveNothing() {
        var dec = new ClassificationDecoder(ScoreKind.LOGITS, List.of());
        assertEquals(3, dec.topK(new float[] {1, 2, 3}, 10).size());
        assertTrue(dec.topK(new float[] {1, 2, 3}, 0).isEmpty());
        assertTrue(dec.topK(new float[0], 5).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> dec.topK(new float[] {1}, -1));
    }

    @Test
    void missingShortOrNullLabelsReadClassIndex() {
        List<String> labels = new ArrayList<>(Arrays.asList("zero", null));
        var dec = new ClassificationDecoder(ScoreKind.PROBABILITIES, labels);
        labels.set(0, "changed later"); // the decoder keeps its own copy
        List<ScoredLabel> top = dec.topK(new float[] {0.5f, 0.3f, 0.2f}, 3);
        assertEquals(List.of("zero", "class_1", "class_2"), top.stream().map(ScoredLabel::label).toList());
        assertEquals("class_0", new ClassificationDecoder(ScoreKind.LOGITS, null)
                .topK(new float[] {1f}, 1).get(0).label());
    }

    @Test
    void nanSortsLastAndDoesNotPoisonTheSoftmax() {
        var probs = new ClassificationDecoder(ScoreKind.PROBABILITIES, null);
        assertEquals(List.of(2, 1, 0), indices(probs.topK(new float[] {Float.NaN, 0.3f, 0.6f}, 3)));

        var logits = new ClassificationDecoder(ScoreKind.LOGITS, null);
        List<ScoredLabel> top = logits.topK(new float[] {Float.NaN, 0f, 0f, Float.NaN}, 4);
        assertEquals(List.of(1, 2, 0, 3), indices(top));
        assertEquals(0.5f, top.get(0).score(), 1e-7f);
        assertEquals(0.5f, top.get(1).score(), 1e-7f);
        assertTrue(Float.isNaN(top.get(2).score()));

        List<ScoredLabel> allNan = logits.topK(new float[] {Float.NaN, Float.NaN}, 2);
        assertEquals(List.of(0, 1), indices(allNan));
    }

    @Test
    void infiniteLogitsShareTheMass() {
        float[] p = ClassificationDecoder.softmax(new float[] {Float.POSITIVE_INFINITY, 1f, Float.POSITIVE_INFINITY});
        assertEquals(0.5f, p[0], 0f);
        assertEquals(0f, p[1], 0f);
        assertEquals(0.5f, p[2], 0f);
        float[] q = ClassificationDecoder.softmax(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY});
        assertEquals(0.5f, q[0], 0f);
    }

    @Test
    void largeKUsesTheSameOrderAsAFullSort() {
        Random rnd = new Random(7);
        float[] s = new float[1000];
        for (int i = 0; i < s.length; i++) {
            s[i] = rnd.nextInt(50) / 10f; // many exact ties
        }
        var dec = new ClassificationDecoder(ScoreKind.PROBABILITIES, null);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            expected.add(i);
        }
        expected.sort(Comparator.<Integer>comparingDouble(i -> -s[i]).thenComparingInt(i -> i));
        assertEquals(expected.subList(0, 500), indices(dec.topK(s, 500)));
        assertEquals(expected.subList(0, 10), indices(dec.topK(s, 10)));
    }

    @Test
    void tensorShapesWithOneClassDimensionAreAccepted() {
        var dec = new ClassificationDecoder(ScoreKind.PROBABILITIES, null);
        float[] data = {0.1f, 0.6f, 0.3f};
        for (long[] shape : new long[][] {{3}, {3, 1, 1}, {1, 3}}) {
            assertEquals(List.of(1, 2), indices(dec.topK(new OutputTensor("out", shape, data), 2)));
        }
        var ex = assertThrows(IllegalArgumentException.class,
                () -> dec.topK(new OutputTensor("out", new long[] {2, 3}, new float[6]), 1));
        assertTrue(ex.getMessage().contains("[2, 3]"), ex.getMessage());
    }

    @Test
    void probabilitiesHelperSoftmaxesOnlyLogits() {
        float[] s = {1f, 2f};
        assertEquals(1f, new ClassificationDecoder(ScoreKind.PROBABILITIES, null).probabilities(s)[0]);
        assertEquals(0.26894142f, new ClassificationDecoder(ScoreKind.LOGITS, null).probabilities(s)[0], 1e-6f);
    }
}
