package dev.streamsight.fetch;

import dev.streamsight.ReasonCode;
import dev.streamsight.StreamsightException;

/** An image reference that could not be read; the reason code says why. */
public final class FetchException extends StreamsightException {
    private static final long serialVersionUID = 1L;

    public FetchException(ReasonCode code, String message) {
        super(code, message);
    }

    public FetchException(ReasonCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
