package dev.streamsight.config;

/**
 * An invalid Streamsight configuration: the message names the key and says why, e.g.
 * {@code batch.size: must be between 1 and 4096, got 0}. An {@link IllegalArgumentException}, so
 * that the command line reports it as a configuration error (exit status 2) without a stack trace.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, String reason) {
        super(key + ": " + reason);
        this.key = key;
    }

    public ConfigException(String key, String reason, Throwable cause) {
        super(key + ": " + reason, cause);
        this.key = key;
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }
}
