package dev.streamsight.model;

/** What a classifier's output holds, which decides whether Streamsight applies a softmax. */
public enum ScoreKind {
    /** Unnormalised scores: softmax is applied. */
    LOGITS,
    /** Already probabilities (softmax inside the graph): used as they are. */
    PROBABILITIES
}
