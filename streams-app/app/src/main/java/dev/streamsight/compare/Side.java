package dev.streamsight.compare;

/** The two sides of a comparison: the reference results and the candidate's. */
public enum Side {
    /** The reference: results of the model in use. */
    OLD,
    /** The candidate: results of the model being evaluated. */
    NEW
}
