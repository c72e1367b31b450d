package dev.streamsight.postprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NmsTest {

    private static Detection det(int cls, float score, float x1, float y1, float x2, float y2) {
        return new Detection(cls, "c" + cls, score, x1, y1, x2, y2);
    }

    @Test
    void classWiseKeepsOverlappingBoxesOfDifferentClasses() {
        var a = det(0, 0.9f, 0, 0, 100, 100);
        var b = det(1, 0.8f, 5, 5, 105, 105); // IoU ~0.82 with a, other class
        var c = det(0, 0.7f, 2, 2, 102, 102); // same class as a, suppressed
        List<Detection> kept = Nms.apply(List.of(c, b, a), 0.5f, 10, false);
        assertEquals(List.of(a, b), kept);
    }

    @Test
    void classAgnosticSuppressesAcrossClasses() {
        var a = det(0, 0.9f, 0, 0, 100, 100);
        var b = det(1, 0.8f, 5, 5, 105, 105);
        var far = det(1, 0.6f, 300, 300, 350, 350);
        assertEquals(List.of(a, far), Nms.apply(List.of(a, b, far), 0.5f, 10, true));
    }

    @Test
    void iouEqualToTheThresholdIsKept() {
        // IoU of [0,0,10,10] and [5,0,15,10] = 50 / 150 = 1/3
        var a = det(0, 0.9f, 0, 0, 10, 10);
        var b = det(0, 0.8f, 5, 0, 15, 10);
        assertEquals(2, Nms.apply(List.of(a, b), 1f / 3f, 10, false).size());
        assertEquals(1, Nms.apply(List.of(a, b), 0.33f, 10, false).size());
    }

    @Test
    void capsAtMaxDetectionsAndOrdersByScoreThenIndex() {
        List<Detection> in = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            in.add(det(i, i % 2 == 0 ? 0.5f : 0.9f, i * 20, 0, i * 20 + 10, 10));
        }
        List<Detection> kept = Nms.apply(in, 0.5f, 3, false);
        assertEquals(List.of(in.get(1), in.get(3), in.get(5)), kept);
    }

    @Test
    void optionsVariantAppliesTheScoreThreshold() {
        var a = det(0, 0.9f, 0, 0, 10, 10);
        var low = det(0, 0.2f, 50, 50, 60, 60);
        assertEquals(List.of(a), Nms.apply(List.of(low, a), new DetectionOptions(0.3f, 0.5f, 10, false)));
    }

    @Test
    void rankPutsNanLastAndHandlesNegativeScores() {
        float[] s = {-1f, Float.NaN, 0.5f, -0f, 0f, 2f};
        assertArrayEquals(new int[] {5, 2, 3, 4, 0, 1}, Nms.rank(s, s.length, 100));
        assertArrayEquals(new int[] {5, 2}, Nms.rank(s, s.length, 2));
    }

    @Test
    void staysBoundedWithManyCandidates() {
        int n = 60_000;
        float[] boxes = new float[4 * n];
        float[] scores = new float[n];
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            float x = (i % 300) * 3f;
            float y = (i / 300) * 3f;
            boxes[4 * i] = x;
            boxes[4 * i + 1] = y;
            boxes[4 * i + 2] = x + 2f;
            boxes[4 * i + 3] = y + 2f;
            scores[i] = (i * 7919 % n) / (float) n;
        }
        long t0 = System.nanoTime();
        int[] keep = Nms.select(boxes, scores, classes, n, 0.5f, 300, false);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(300, keep.length);
        for (int i = 1; i < keep.length; i++) {
            assertTrue(scores[keep[i - 1]] >= scores[keep[i]]);
        }
        assertTrue(ms < 5_000, "NMS took " + ms + " ms");
    }
}
