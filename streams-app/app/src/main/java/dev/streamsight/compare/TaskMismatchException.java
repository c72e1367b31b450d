package dev.streamsight.compare;

/**
 * The two sides of a comparison are of different tasks (classification against detection), or one
 * side mixes them. An {@link IllegalArgumentException}: the inputs were wrong, nothing can be compared.
 */
public final class TaskMismatchException extends IllegalArgumentException {
    TaskMismatchException(String message) {
        super(message);
    }
}
