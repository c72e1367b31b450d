package dev.streamsight.postprocess.internal;

import java.util.Arrays;

/**
 * Growable struct-of-arrays buffer of decoded boxes in model-input pixels: {@code x1, y1, x2, y2}
 * interleaved, a score and a class per box. Only anchors that pass the score threshold are added,
 * so nothing is allocated per anchor. Mutable; one instance per decode call, never shared.
 */
public final class Candidates {
    private float[] boxes;
    private float[] scores;
    private int[] classes;
    private int size;

    public Candidates(int initialCapacity) {
        int c = Math.max(16, initialCapacity);
        boxes = new float[4 * c];
        scores = new float[c];
        classes = new int[c];
    }

    public void add(float x1, float y1, float x2, float y2, float score, int cls) {
        if (size == scores.length) {
            int c = scores.length * 2;
            boxes = Arrays.copyOf(boxes, 4 * c);
            scores = Arrays.copyOf(scores, c);
            classes = Arrays.copyOf(classes, c);
        }
        int b = 4 * size;
        boxes[b] = x1;
        boxes[b + 1] = y1;
        boxes[b + 2] = x2;
        boxes[b + 3] = y2;
        scores[size] = score;
        classes[size] = cls;
        size++;
    }

    /** Adds a centre-size box ({@code cx, cy, w, h}) as corners. */
    public void addCenter(float cx, float cy, float w, float h, float score, int cls) {
        float hw = w * 0.5f;
        float hh = h * 0.5f;
        add(cx - hw, cy - hh, cx + hw, cy + hh, score, cls);
    }

    public int size() {
        return size;
    }

    /** The backing box array (valid for the first {@code 4*size()} values). */
    public float[] boxes() {
        return boxes;
    }

    /** The backing score array (valid for the first {@code size()} values). */
    public float[] scores() {
        return scores;
    }

    /** The backing class array (valid for the first {@code size()} values). */
    public int[] classes() {
        return classes;
    }
}
