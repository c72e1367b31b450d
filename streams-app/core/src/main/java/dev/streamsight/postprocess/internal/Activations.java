package dev.streamsight.postprocess.internal;

/** Activation helpers. Stateless. */
public final class Activations {
    private Activations() {
    }

    public static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /** {@code sigmoid(x)} when {@code logits}, else x unchanged. */
    public static float score(float x, boolean logits) {
        return logits ? sigmoid(x) : x;
    }
}
