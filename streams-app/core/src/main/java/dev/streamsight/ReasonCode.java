package dev.streamsight;

/**
 * Stable, upper-case reason codes for an input that could not be processed.
 *
 * <p>They appear in CLI error lines ({@code {"error":{"code":...}}}) and in dead-letter records, so
 * a constant is never renamed or reused for another cause; new causes get new constants.
 */
public enum ReasonCode {
    /** The image reference names nothing that exists (missing file, HTTP 404). */
    NOT_FOUND,
    /**
     * The image could not be fetched for a reason no more specific fetch code describes: an I/O error
     * (connection refused or reset, permission denied), a malformed redirect. Before
     * {@link #FETCH_TIMEOUT}, {@link #FETCH_REFUSED}, {@link #REDIRECT_LIMIT} and {@link #HTTP_ERROR}
     * existed it covered those causes too.
     */
    FETCH_FAILED,
    /** The URI scheme or form is not one the fetcher accepts. */
    UNSUPPORTED_URI,
    /** The encoded image is larger than the configured byte limit. */
    TOO_LARGE,
    /** The input has zero bytes. */
    EMPTY_INPUT,
    /** The bytes are not an image format Streamsight decodes (text, PDF, unknown magic). */
    UNSUPPORTED_FORMAT,
    /** The bytes claim a supported format but the data ends early. */
    TRUNCATED,
    /** The bytes claim a supported format but cannot be decoded (corrupt header or data). */
    DECODE_FAILED,
    /**
     * The image's declared size is more than is decoded here: its pixel count exceeds the configured
     * limit (decompression-bomb guard), or its decode would not fit the memory budget of the images in
     * flight, even alone. The message names the limit.
     */
    IMAGE_TOO_LARGE,
    /** ONNX Runtime failed on this image's batch. */
    INFERENCE_FAILED,
    /**
     * Handling this input threw an error that no other code describes: a defect in Streamsight or in a
     * library it calls, met on this input. The message names the stage and the error; please report it.
     */
    INTERNAL_ERROR,
    /**
     * Fetching the image took longer than allowed: an http(s) connect or read timeout, a body still
     * arriving at the fetch deadline ({@code fetch.timeout}, every attempt), or no answer at all within
     * the pipeline's fetch deadline.
     */
    FETCH_TIMEOUT,
    /**
     * The fetch policy refuses the reference: an address class that is not allowed (also when a
     * redirect leads there), local files switched off, a path outside the allowed roots (as written,
     * with {@code ..}, or through a symbolic link), or a directory, FIFO or device instead of a regular
     * file. Never retried; the message names the rule.
     */
    FETCH_REFUSED,
    /**
     * An http(s) redirect was not followed: a loop, more than {@code fetch.max.redirects} redirects, or a
     * downgrade from https to http.
     */
    REDIRECT_LIMIT,
    /** The http(s) server answered with an error status other than 404/410 (the message has the status). */
    HTTP_ERROR;
}
