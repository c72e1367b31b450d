package dev.streamsight.replay;

/**
 * A replay that cannot start as asked (an unknown topic, an empty range, a comparison topic of the
 * wrong kind): the message says what is wrong and how to put it right. An {@link
 * IllegalArgumentException}, so the command line reports it as a usage error (exit status 2).
 */
public final class ReplayException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ReplayException(String message) {
        super(message);
    }

    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
