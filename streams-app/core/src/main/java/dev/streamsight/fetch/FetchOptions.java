package dev.streamsight.fetch;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and policies for reading image references. Two starting points: {@link #forCommandLine()}
 * for references a user names (any file, any address) and {@link #forEvents()} for references in
 * events that others write (no files, public addresses only). Immutable.
 *
 * @param maxBytes largest encoded image accepted; larger ones fail with TOO_LARGE before being read
 *     in full
 * @param timeout connect and read timeout for http(s), and the longest one attempt (its redirects
 *     included) may take
 * @param maxRedirects http(s) redirects followed per attempt (0 to 20)
 * @param files which plain paths and {@code file://} URIs may be read
 * @param addresses which addresses http(s) fetches may connect to
 * @param allowHttp whether http(s) URIs are fetched at all
 */
public record FetchOptions(long maxBytes, Duration timeout, int maxRedirects, FileAccess files,
        AddressPolicy addresses, boolean allowHttp) {
    public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_REDIRECTS = 5;
    /** The most redirects that may be configured. */
    public static final int MAX_REDIRECTS_LIMIT = 20;

    public FetchOptions {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("max bytes must be >= 1: " + maxBytes);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (maxRedirects < 0 || maxRedirects > MAX_REDIRECTS_LIMIT) {
            throw new IllegalArgumentException("max redirects must be between 0 and " + MAX_REDIRECTS_LIMIT + ": "
                    + maxRedirects);
        }
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(addresses, "addresses");
    }

    /** 50 MiB, 10 s, 5 redirects, any file, any address: for references the user names. */
    public static FetchOptions forCommandLine() {
        return new FetchOptions(DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, DEFAULT_MAX_REDIRECTS, FileAccess.ANYWHERE,
                AddressPolicy.anyAddress(), true);
    }

    /** 50 MiB, 10 s, 5 redirects, no files, public addresses only: for references in others' events. */
    public static FetchOptions forEvents() {
        return new FetchOptions(DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, DEFAULT_MAX_REDIRECTS, FileAccess.NONE,
                AddressPolicy.publicOnly(), true);
    }

    public FetchOptions withMaxBytes(long bytes) {
        return new FetchOptions(bytes, timeout, maxRedirects, files, addresses, allowHttp);
    }

    public FetchOptions withFiles(FileAccess access) {
        return new FetchOptions(maxBytes, timeout, maxRedirects, access, addresses, allowHttp);
    }

    public FetchOptions withAddresses(AddressPolicy policy) {
        return new FetchOptions(maxBytes, timeout, maxRedirects, files, policy, allowHttp);
    }
}
