package dev.streamsight.fetch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Limits for reading image references.
 *
 * @param maxBytes largest encoded image accepted; larger ones fail with TOO_LARGE before being read
 *     in full
 * @param timeout connect and read timeout for http(s)
 * @param fileRoots directories that {@code file://} URIs and plain paths must lie under; empty
 *     means any readable file (the CLI's default, where the user names the files)
 * @param allowHttp whether http(s) URIs are fetched at all
 */
public record FetchOptions(long maxBytes, Duration timeout, List<Path> fileRoots, boolean allowHttp) {
    public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;

    public FetchOptions {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("max bytes must be >= 1: " + maxBytes);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        fileRoots = fileRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** 50 MiB, 10 s, any file, http allowed. */
    public static FetchOptions defaults() {
        return new FetchOptions(DEFAULT_MAX_BYTES, Duration.ofSeconds(10), List.of(), true);
    }
}
