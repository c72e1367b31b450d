package dev.streamsight.inference;

import dev.streamsight.ReasonCode;
import dev.streamsight.StreamsightException;
import java.util.Objects;

/**
 * The outcome for one image of a batch: a value, or the error that stopped this image alone.
 *
 * @param <T> {@link Classification} or {@link DetectionResult}
 */
public record Prediction<T>(T value, StreamsightException error, StageTimings timings) {

    public Prediction {
        if ((value == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of value and error must be set");
        }
        Objects.requireNonNull(timings, "timings");
    }

    public static <T> Prediction<T> success(T value, StageTimings timings) {
        return new Prediction<>(value, null, timings);
    }

    public static <T> Prediction<T> failure(StreamsightException error, StageTimings timings) {
        return new Prediction<>(null, error, timings);
    }

    public boolean ok() {
        return error == null;
    }

    /** The error's reason code, or null on success. */
    public ReasonCode code() {
        return error == null ? null : error.code();
    }
}
