package dev.streamsight.serde;

/**
 * A failed Schema Registry call: either an error response (with its HTTP status and Confluent
 * {@code error_code}) or no response at all (status {@link #NO_RESPONSE}, registry unreachable).
 *
 * <p>Serializers turn the answers that are about the data (unknown schema id, incompatible or invalid
 * schema) into {@link org.apache.kafka.common.errors.SerializationException}s; the rest (unreachable,
 * unauthorized, server errors) propagate as this exception, because a dead letter is the wrong
 * answer to a registry outage. {@link #isRetriable()} says which is which.
 */
public class RegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Status of a call that got no HTTP response (connection refused, timeout, TLS failure). */
    public static final int NO_RESPONSE = -1;

    /** Subject not found. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Version not found. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Schema not found (unknown id, or lookup of a schema not in the subject). */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Subject has no subject-level compatibility configured. */
    public static final int SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED = 40408;
    /** Incompatible schema (HTTP 409; the registry sends 409 as error code too). */
    public static final int INCOMPATIBLE_SCHEMA = 409;
    /** Invalid schema or unsupported schema type. */
    public static final int INVALID_SCHEMA = 42201;
    /** Invalid version. */
    public static final int INVALID_VERSION = 42202;
    /** Invalid compatibility level. */
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    /** Error in the backend store. */
    public static final int STORE_ERROR = 50001;

    private final int status;
    private final int errorCode;

    public RegistryException(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = NO_RESPONSE;
        this.errorCode = NO_RESPONSE;
    }

    /** HTTP status of the response, or {@link #NO_RESPONSE}. */
    public int status() {
        return status;
    }

    /** Confluent {@code error_code} (e.g. 40403), the HTTP status when the body had none, or {@link #NO_RESPONSE}. */
    public int errorCode() {
        return errorCode;
    }

    /**
     * True when {@code failure}'s cause chain holds a {@link #isRetriable() retriable} registry
     * failure: an outage, which is not the record's fault, so the record is retried, never dead-lettered.
     */
    public static boolean isOutageIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RegistryException r && r.isRetriable()) {
                return true;
            }
        }
        return false;
    }

    /** True when the same call may succeed later: no response, a 5xx, 408 or 429. */
    public boolean isRetriable() {
        return status == NO_RESPONSE || status >= 500 || status == 408 || status == 429;
    }

    /**
     * True when the registry answered about the schema or subject itself (not found, incompatible,
     * invalid), so the same record will fail again: a problem of the data, not of the registry.
     */
    public boolean isSchemaError() {
        return switch (errorCode) {
            case SUBJECT_NOT_FOUND, VERSION_NOT_FOUND, SCHEMA_NOT_FOUND, INCOMPATIBLE_SCHEMA, INVALID_SCHEMA,
                    INVALID_VERSION -> true;
            default -> false;
        };
    }

    /** The registry's message alone, without the status suffix of {@link #getMessage()}. */
    public String detail() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        String base = super.getMessage();
        return status == NO_RESPONSE ? base : base + " (HTTP " + status + ", error_code " + errorCode + ")";
    }
}
