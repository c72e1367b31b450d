package dev.streamsight.postprocess;

/** One class of a classification: index into the model's labels, its label and score. */
public record ScoredLabel(int index, String label, float score) {
}
