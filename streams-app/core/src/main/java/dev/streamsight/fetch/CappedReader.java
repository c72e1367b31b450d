package dev.streamsight.fetch;

import dev.streamsight.ReasonCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/** Reads a stream in full, up to a byte limit and a deadline. Stateless. */
final class CappedReader {
    private static final int CHUNK = 64 * 1024;

    private CappedReader() {
    }

    /**
     * Reads at most {@code maxBytes}; more is TOO_LARGE. A stream still delivering at {@code deadline}
     * ({@link System#nanoTime()}; {@link Long#MAX_VALUE} for none) fails with a
     * {@link SocketTimeoutException}.
     */
    static byte[] read(InputStream in, long maxBytes, String what, long deadline) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNK);
        byte[] buf = new byte[CHUNK];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) {
                throw new SocketTimeoutException("the body of " + what + " was still arriving at its deadline");
            }
            total += n;
            if (total > maxBytes) {
                throw tooLarge(what, maxBytes, total);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    static FetchException tooLarge(String what, long maxBytes, long size) {
        return new FetchException(ReasonCode.TOO_LARGE, what + " is larger than the " + maxBytes
                + "-byte limit" + (size > 0 ? " (" + size + " bytes or more)" : ""));
    }
}
