package dev.streamsight.image;

import dev.streamsight.ReasonCode;
import dev.streamsight.StreamsightException;

/** An image that cannot be decoded or preprocessed; the reason code says why. */
public final class ImageException extends StreamsightException {
    private static final long serialVersionUID = 1L;

    public ImageException(ReasonCode code, String message) {
        super(code, message);
    }

    public ImageException(ReasonCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
