package dev.streamsight.model;

/** What a model does. */
public enum Task {
    CLASSIFICATION,
    DETECTION
}
