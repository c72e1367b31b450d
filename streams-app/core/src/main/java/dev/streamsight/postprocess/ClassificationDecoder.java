package dev.streamsight.postprocess;

import dev.streamsight.model.ScoreKind;
import dev.streamsight.postprocess.internal.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Turns a classifier's output vector into the k best classes.
 *
 * <p>For {@link ScoreKind#LOGITS} a numerically stable softmax is applied (maximum subtracted,
 * accumulated in {@code double}); {@link ScoreKind#PROBABILITIES} are used unchanged (softmax already
 * inside the graph, e.g. SqueezeNet's {@code softmaxout_1}). Ranking is by descending score, exact ties
 * by the lower class index (the convention of the shared fixtures' expected results), and NaN scores
 * rank after every number.
 *
 * <p>Lifecycle and threading: build one per model when it is loaded; instances are immutable (the
 * labels are copied) and safe to share between any number of threads.
 */
public final class ClassificationDecoder {
    /** Up to this k a bounded insertion buffer is used; above it, a full sort. */
    private static final int INSERTION_LIMIT = 64;

    private final ScoreKind scoreKind;
    private final List<String> labels;

    /**
     * @param scoreKind whether the output holds logits (softmax applied here) or probabilities
     * @param labels class names by index; may be {@code null}, shorter than the class count or hold
     *     {@code null} entries, in which case {@code "class_<i>"} is reported
     */
    public ClassificationDecoder(ScoreKind scoreKind, List<String> labels) {
        this.scoreKind = Objects.requireNonNull(scoreKind, "scoreKind");
        this.labels = labels == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(labels));
    }

    public ScoreKind scoreKind() {
        return scoreKind;
    }

    /** The labels, unmodifiable (may contain {@code null} entries). */
    public List<String> labels() {
        return labels;
    }

    /**
     * The k best classes of one output tensor. Any shape with at most one dimension larger than 1
     * is accepted ({@code [1000]}, {@code [1000,1,1]}, {@code [1,1000]}).
     *
     * @throws IllegalArgumentException when the shape holds more than one non-unit dimension
     */
    public List<ScoredLabel> topK(OutputTensor output, int k) {
        Objects.requireNonNull(output, "output");
        int nonUnit = 0;
        for (long d : output.shape()) {
            if (d > 1) {
                nonUnit++;
            }
        }
        if (nonUnit > 1) {
            throw new IllegalArgumentException("classifier output " + output.name()
                    + " must be a class vector such as [C], [C,1,1] or [1,C] (batch removed) but has shape "
                    + Arrays.toString(output.shape()));
        }
        return topK(output.data(), k);
    }

    /**
     * The k best classes, best first.
     *
     * @param scores one image's flat output; its length is the class count
     * @param k how many classes to return; clamped to the class count
     * @throws IllegalArgumentException when k is negative
     */
    public List<ScoredLabel> topK(float[] scores, int k) {
        Objects.requireNonNull(scores, "scores");
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0: " + k);
        }
        int n = scores.length;
        int kk = Math.min(k, n);
        if (kk == 0) {
            return List.of();
        }
        double[] p = scoreKind == ScoreKind.LOGITS ? softmaxDouble(scores) : widen(scores);
        int[] best = kk <= INSERTION_LIMIT ? selectByInsertion(p, kk) : selectBySort(p, kk);
        List<ScoredLabel> out = new ArrayList<>(kk);
        for (int idx : best) {
            out.add(new ScoredLabel(idx, Labels.name(labels, idx), (float) p[idx]));
        }
        return List.copyOf(out);
    }

    /**
     * The scores as probabilities: softmax of logits, or a copy of probabilities.
     */
    public float[] probabilities(float[] scores) {
        Objects.requireNonNull(scores, "scores");
        if (scoreKind == ScoreKind.PROBABILITIES) {
            return scores.clone();
        }
        return softmax(scores);
    }

    /**
     * Numerically stable softmax: the maximum is subtracted before {@code exp} and the sum is
     * accumulated in {@code double}. NaN inputs stay NaN and take no probability mass; if any input
     * is {@code +Infinity} the mass is shared equally among those inputs.
     */
    public static float[] softmax(float[] logits) {
        double[] p = softmaxDouble(Objects.requireNonNull(logits, "logits"));
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (float) p[i];
        }
        return out;
    }

    static double[] softmaxDouble(float[] x) {
        int n = x.length;
        double[] p = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        int numbers = 0;
        int positiveInfinities = 0;
        for (float v : x) {
            if (!Float.isNaN(v)) {
                numbers++;
                if (v > max) {
                    max = v;
                }
                if (v == Float.POSITIVE_INFINITY) {
                    positiveInfinities++;
                }
            }
        }
        if (numbers == 0) {
            Arrays.fill(p, Double.NaN);
            return p;
        }
        if (positiveInfinities > 0 || max == Double.NEGATIVE_INFINITY) {
            // Limit cases of exp(x - max): +inf entries share all the mass; all -inf is uniform.
            for (int i = 0; i < n; i++) {
                float v = x[i];
                if (Float.isNaN(v)) {
                    p[i] = Double.NaN;
                } else if (positiveInfinities > 0) {
                    p[i] = v == Float.POSITIVE_INFINITY ? 1.0 / positiveInfinities : 0.0;
                } else {
                    p[i] = 1.0 / numbers;
                }
            }
            return p;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float v = x[i];
            if (Float.isNaN(v)) {
                p[i] = Double.NaN;
            } else {
                double e = Math.exp(v - max);
                p[i] = e;
                sum += e;
            }
        }
        // sum >= 1: the maximum contributes exp(0).
        for (int i = 0; i < n; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static double[] widen(float[] x) {
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = x[i];
        }
        return p;
    }

    /** True when class a ranks before class b: higher score, NaN last, ties by lower index. */
    private static boolean before(double[] p, int a, int b) {
        double pa = p[a];
        double pb = p[b];
        boolean na = Double.isNaN(pa);
        boolean nb = Double.isNaN(pb);
        if (na || nb) {
            return na == nb ? a < b : nb;
        }
        if (pa != pb) {
            return pa > pb;
        }
        return a < b;
    }

    private static int[] selectByInsertion(double[] p, int k) {
        int[] buf = new int[k];
        int count = 0;
        for (int i = 0; i < p.length; i++) {
            if (count == k && !before(p, i, buf[k - 1])) {
                continue;
            }
            int pos = count == k ? k - 1 : count;
            while (pos > 0 && before(p, i, buf[pos - 1])) {
                buf[pos] = buf[pos - 1];
                pos--;
            }
            buf[pos] = i;
            if (count < k) {
                count++;
            }
        }
        return buf;
    }

    private static int[] selectBySort(double[] p, int k) {
        Integer[] idx = new Integer[p.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Comparator<Integer> order = (a, b) -> a.equals(b) ? 0 : before(p, a, b) ? -1 : 1;
        Arrays.sort(idx, order);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}
