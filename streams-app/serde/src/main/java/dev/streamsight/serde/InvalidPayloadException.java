package dev.streamsight.serde;

import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A value the deserializer cannot read because of the value itself (never because of the registry's
 * availability): the {@link Problem} says which way it is bad, so that a dead-letter handler can give
 * each its own reason code. Still a {@link SerializationException}, so code that catches those is
 * unaffected.
 */
public final class InvalidPayloadException extends SerializationException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the value; the names are the dead-letter reason codes. */
    public enum Problem {
        /** Not in the Confluent wire format: shorter than the 5-byte header, or no magic byte 0. */
        NOT_WIRE_FORMAT,
        /** The schema id in the header is not registered (the registry answers 40403). */
        UNKNOWN_SCHEMA_ID,
        /** The writer schema is registered but cannot be resolved to the reader schema (another record type). */
        SCHEMA_MISMATCH,
        /** The body does not decode with its writer schema: truncated, trailing bytes, invalid data. */
        MALFORMED_AVRO
    }

    private final Problem problem;

    public InvalidPayloadException(Problem problem, String message) {
        super(message);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public InvalidPayloadException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public Problem problem() {
        return problem;
    }
}
