package dev.streamsight;

import java.util.Objects;

/**
 * A failure attributable to one input, carrying the stable {@link ReasonCode} that callers report
 * (CLI error line, dead-letter record). Each stage throws a subclass of its own.
 */
public class StreamsightException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ReasonCode code;

    public StreamsightException(ReasonCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public StreamsightException(ReasonCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The reason code reported for the failing input. */
    public ReasonCode code() {
        return code;
    }
}
