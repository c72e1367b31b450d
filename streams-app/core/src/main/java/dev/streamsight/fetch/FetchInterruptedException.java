package dev.streamsight.fetch;

/**
 * A fetch was abandoned because its thread was interrupted (the caller gave up on it, or the
 * application is shutting down). Not the image's fault, so it carries no reason code: callers that
 * turn failures into dead letters must let this one through.
 */
public final class FetchInterruptedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    FetchInterruptedException(String reference, Throwable cause) {
        super("interrupted while fetching " + UriText.forMessage(reference), cause);
    }
}
