package dev.streamsight.inference;

/**
 * A model that cannot be loaded: the file is not a valid ONNX model, its descriptor does not match
 * the graph, or the requested execution provider is unavailable. Raised at start-up, never per
 * image; the message says exactly what is wrong.
 */
public final class ModelLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
