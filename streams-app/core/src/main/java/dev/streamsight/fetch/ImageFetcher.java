package dev.streamsight.fetch;

import dev.streamsight.ReasonCode;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads the encoded bytes of an image reference: a plain file path, a {@code file://} URI or an
 * {@code http(s)://} URL, within the limits of {@link FetchOptions}.
 *
 * <p>Thread-safe and blocking; one instance is shared (it holds one {@link HttpClient}), and
 * I/O-bound callers may call it from many virtual threads at once. Failures are
 * {@link FetchException}s: NOT_FOUND, FETCH_FAILED, TOO_LARGE, UNSUPPORTED_URI.
 */
public final class ImageFetcher {
    private final FetchOptions options;
    private final HttpClient http;

    public ImageFetcher(FetchOptions options) {
        this.options = options;
        this.http = HttpClient.newBuilder()
                .connectTimeout(options.timeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public FetchOptions options() {
        return options;
    }

    /** Reads one reference in full. */
    public byte[] fetch(String reference) {
        String scheme = scheme(reference);
        return switch (scheme) {
            case "" -> readFile(toPath(reference, reference));
            case "file" -> readFile(fileUriPath(reference));
            case "http", "https" -> readHttp(reference);
            default -> throw new FetchException(ReasonCode.UNSUPPORTED_URI,
                    "unsupported URI scheme '" + scheme + "' in " + reference
                            + " (expected a file path, file://, http:// or https://)");
        };
    }

    private static String scheme(String reference) {
        int colon = reference.indexOf(':');
        if (colon < 2) { // no scheme, or a Windows drive letter
            return "";
        }
        String s = reference.substring(0, colon);
        if (!s.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
            return "";
        }
        return reference.startsWith(s + "://") || s.equalsIgnoreCase("file")
                ? s.toLowerCase(Locale.ROOT) : "";
    }

    private static Path toPath(String text, String reference) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new FetchException(ReasonCode.UNSUPPORTED_URI, "invalid path " + reference + ": " + e.getMessage(), e);
        }
    }

    private static Path fileUriPath(String reference) {
        try {
            URI uri = new URI(reference);
            if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()
                    && !uri.getAuthority().equalsIgnoreCase("localhost")) {
                throw new FetchException(ReasonCode.UNSUPPORTED_URI,
                        "file URI with a remote host is not supported: " + reference);
            }
            return Path.of(uri.getPath());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchException(ReasonCode.UNSUPPORTED_URI, "invalid file URI " + reference + ": " + e.getMessage(), e);
        }
    }

    private byte[] readFile(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        if (!options.fileRoots().isEmpty()) {
            Path real;
            try {
                real = abs.toRealPath();
            } catch (NoSuchFileException e) {
                throw new FetchException(ReasonCode.NOT_FOUND, "no such file: " + path, e);
            } catch (IOException e) {
                throw new FetchException(ReasonCode.FETCH_FAILED, "cannot read " + path + ": " + e.getMessage(), e);
            }
            if (options.fileRoots().stream().map(ImageFetcher::realRoot).noneMatch(real::startsWith)) {
                throw new FetchException(ReasonCode.FETCH_FAILED, path + " is outside the allowed file roots "
                        + options.fileRoots());
            }
            abs = real; // read what was checked, so a symlink swapped in afterwards cannot escape the roots
        }
        try {
            if (Files.isDirectory(abs)) {
                throw new FetchException(ReasonCode.FETCH_FAILED, path + " is a directory, not an image file");
            }
            long size = Files.size(abs);
            if (size > options.maxBytes()) {
                throw tooLarge(path.toString(), size);
            }
            try (InputStream in = Files.newInputStream(abs)) {
                return readCapped(in, path.toString());
            }
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new FetchException(ReasonCode.NOT_FOUND, "no such file: " + path, e);
        } catch (AccessDeniedException e) {
            throw new FetchException(ReasonCode.FETCH_FAILED, "permission denied: " + path, e);
        } catch (IOException e) {
            throw new FetchException(ReasonCode.FETCH_FAILED, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** A root compared with a file's real path must be real too (it may be or contain a symlink). */
    private static Path realRoot(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root;
        }
    }

    /** Attempts for an http(s) fetch that failed in a way that may pass (5xx, I/O error, timeout). */
    static final int HTTP_ATTEMPTS = 3;
    private static final long[] BACKOFF_MS = {200, 600};

    /**
     * The longest one {@link #fetch} may take: every http(s) attempt with its timeout (which bounds the
     * headers and, checked between reads, the body) plus the back-off between attempts. A caller
     * waiting on a fetch in another thread gives up after this much.
     */
    public java.time.Duration maxDuration() {
        long backoff = 0;
        for (long b : BACKOFF_MS) {
            backoff += b;
        }
        return options.timeout().multipliedBy(HTTP_ATTEMPTS).plusMillis(backoff);
    }

    private byte[] readHttp(String reference) {
        if (!options.allowHttp()) {
            throw new FetchException(ReasonCode.UNSUPPORTED_URI, "http(s) fetching is disabled: " + reference);
        }
        URI uri;
        try {
            uri = new URI(reference);
        } catch (URISyntaxException e) {
            throw new FetchException(ReasonCode.UNSUPPORTED_URI, "invalid URL " + reference + ": " + e.getMessage(), e);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return readHttpOnce(uri, reference);
            } catch (TransientFetchFailure e) {
                if (attempt >= HTTP_ATTEMPTS) {
                    throw new FetchException(ReasonCode.FETCH_FAILED, e.getMessage() + " (" + attempt + " attempts)",
                            e.getCause());
                }
                try {
                    Thread.sleep(BACKOFF_MS[attempt - 1]);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while fetching " + reference, ie);
                }
            }
        }
    }

    /** A failure that a later attempt may not have: a 5xx, an I/O error or a timeout. */
    private static final class TransientFetchFailure extends Exception {
        private static final long serialVersionUID = 1L;

        TransientFetchFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private byte[] readHttpOnce(URI uri, String reference) throws TransientFetchFailure {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(options.timeout()).GET().build();
        long deadline = System.nanoTime() + options.timeout().toNanos();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                if (status == 404 || status == 410) {
                    throw new FetchException(ReasonCode.NOT_FOUND, "HTTP " + status + " for " + reference);
                }
                if (status >= 500 || status == 408 || status == 429) {
                    throw new TransientFetchFailure("HTTP " + status + " for " + reference, null);
                }
                if (status < 200 || status >= 300) {
                    throw new FetchException(ReasonCode.FETCH_FAILED, "HTTP " + status + " for " + reference);
                }
                long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > options.maxBytes()) {
                    throw tooLarge(reference, declared);
                }
                return readCapped(body, reference, deadline);
            }
        } catch (HttpTimeoutException e) {
            throw new TransientFetchFailure("timed out after " + options.timeout() + ": " + reference, e);
        } catch (java.io.InterruptedIOException | java.nio.channels.ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + reference, e);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted while fetching " + reference, e);
            }
            throw new TransientFetchFailure("cannot fetch " + reference + ": " + e, e);
        } catch (InterruptedException e) {
            // Not the image's fault (the caller gave up or is shutting down): no reason code.
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + reference, e);
        }
    }

    private byte[] readCapped(InputStream in, String what) throws IOException {
        return readCapped(in, what, Long.MAX_VALUE);
    }

    /** Reads at most maxBytes; a body still arriving at {@code deadline} (nanoTime) times out. */
    private byte[] readCapped(InputStream in, String what, long deadline) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            if (System.nanoTime() - deadline > 0) {
                throw new HttpTimeoutException("the body of " + what + " was still arriving after " + options.timeout());
            }
            total += n;
            if (total > options.maxBytes()) {
                throw tooLarge(what, total);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private FetchException tooLarge(String what, long size) {
        return new FetchException(ReasonCode.TOO_LARGE, what + " is larger than the " + options.maxBytes()
                + "-byte limit" + (size > 0 ? " (" + size + " bytes or more)" : ""));
    }
}
