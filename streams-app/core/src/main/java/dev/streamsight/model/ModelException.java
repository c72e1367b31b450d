package dev.streamsight.model;

/**
 * A model, descriptor or label set could not be resolved or is invalid: a descriptor file with an
 * unknown key or a bad value, a model that is nowhere on the model path, a failed or corrupt
 * download. Unchecked; the message is meant for the user and names the file, key or places looked.
 */
public class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
