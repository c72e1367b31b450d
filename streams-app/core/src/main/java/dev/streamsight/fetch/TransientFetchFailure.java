package dev.streamsight.fetch;

/** A failure that a later attempt may not have: a 5xx, 408 or 429, an I/O error or a timeout. */
final class TransientFetchFailure extends Exception {
    private static final long serialVersionUID = 1L;

    TransientFetchFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
