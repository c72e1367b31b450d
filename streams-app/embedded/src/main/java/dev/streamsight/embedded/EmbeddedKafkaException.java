package dev.streamsight.embedded;

import java.io.Serial;

/** A broker could not be formatted, started, reached or stopped, or an admin call on it failed. */
public class EmbeddedKafkaException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message. */
    public EmbeddedKafkaException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the underlying cause. */
    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
