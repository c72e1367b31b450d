package dev.streamsight.inference;

import dev.streamsight.ReasonCode;
import dev.streamsight.StreamsightException;

/** ONNX Runtime failed while running a batch; every image of that batch gets this error. */
public final class InferenceException extends StreamsightException {
    private static final long serialVersionUID = 1L;

    public InferenceException(String message, Throwable cause) {
        super(ReasonCode.INFERENCE_FAILED, message, cause);
    }
}
