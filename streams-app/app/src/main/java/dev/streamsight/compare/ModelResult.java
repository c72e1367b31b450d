package dev.streamsight.compare;

import dev.streamsight.model.Task;
import dev.streamsight.postprocess.Detection;
import dev.streamsight.postprocess.ScoredLabel;
import java.util.List;
import java.util.Objects;

/**
 * What one side of a comparison produced for one key: a classification, a detection, or an error.
 * The key joins the two sides: the event id, or the image when there is none. Immutable.
 */
public sealed interface ModelResult {
    /** The join key: event id, else image. */
    String key();

    /** The model id that produced the result; null when unknown (an error before any model ran). */
    String model();

    /** The task the result is of; null for an error, which fits either. */
    Task task();

    /** The top classes of an image, best first (at least one). */
    record Classified(String key, String model, List<ScoredLabel> top) implements ModelResult {
        public Classified {
            Objects.requireNonNull(key, "key");
            top = List.copyOf(top);
            if (top.isEmpty()) {
                throw new IllegalArgumentException("a classification needs at least one label");
            }
        }

        @Override
        public Task task() {
            return Task.CLASSIFICATION;
        }

        /** The best class. */
        public ScoredLabel first() {
            return top.getFirst();
        }
    }

    /** The objects found in an image of {@code width} x {@code height} pixels (boxes in those pixels). */
    record Detected(String key, String model, int width, int height, List<Detection> detections)
            implements ModelResult {
        public Detected {
            Objects.requireNonNull(key, "key");
            detections = List.copyOf(detections);
        }

        @Override
        public Task task() {
            return Task.DETECTION;
        }
    }

    /** An image that could not be processed; {@code code} is the error code ({@code DECODE_FAILED}, ...). */
    record Failed(String key, String model, String code) implements ModelResult {
        public Failed {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(code, "code");
        }

        @Override
        public Task task() {
            return null;
        }
    }
}
