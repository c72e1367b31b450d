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
     * The image could not be fetched (I/O error, timeout, HTTP error other than 404) or may not be:
     * a file outside the allowed roots, an address or redirect the fetch policy refuses.
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
    INTERNAL_ERROR;
}
