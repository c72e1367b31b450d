package dev.streamsight.fetch;

import dev.streamsight.ReasonCode;

/**
 * A failure that a later attempt may not have: a 5xx, 408 or 429 ({@link ReasonCode#HTTP_ERROR}), a
 * timeout ({@link ReasonCode#FETCH_TIMEOUT}) or another I/O error ({@link ReasonCode#FETCH_FAILED}); the
 * code is what the fetch fails with when no attempt is left.
 */
final class TransientFetchFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final ReasonCode code;

    TransientFetchFailure(ReasonCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    ReasonCode code() {
        return code;
    }
}
