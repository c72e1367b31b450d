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

    /**
     * Reads one reference in full.
     *
     * @throws FetchException for anything about the reference or what it names (every reference,
     *     however malformed, fails this way)
     * @throws FetchInterruptedException when the calling thread is interrupted
     */
    public byte[] fetch(String reference) {
        if (reference == null || reference.isEmpty()) {
            throw new FetchException(ReasonCode.UNSUPPORTED_URI, "the image reference is empty");
        }
        String scheme = scheme(reference);
        return switch (scheme) {
            case "" -> readFile(toPath(reference, reference));
            case "file" -> readFile(fileUriPath(reference));
            case "http", "https" -> readHttp(reference);
            default -> throw new FetchException(ReasonCode.UNSUPPORTED_URI,
                    "unsupported URI scheme '" + UriText.forMessage(scheme) + "' in " + UriText.forMessage(reference)
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
            throw new FetchException(ReasonCode.UNSUPPORTED_URI, "invalid path " + UriText.forMessage(reference)
                    + ": " + UriText.forMessage(e.getReason()), e);
        }
    }

    private static Path fileUriPath(String reference) {
        try {
            URI uri = new URI(reference);
            if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()
                    && !uri.getAuthority().equalsIgnoreCase("localhost")) {
                throw new FetchException(ReasonCode.UNSUPPORTED_URI,
                        "file URI with a remote host is not supported: " + UriText.forMessage(reference));
            }
            if (uri.isOpaque() || uri.getPath() == null || uri.getPath().isEmpty()) {
                throw new FetchException(ReasonCode.UNSUPPORTED_URI,
                        "file URI without an absolute path: " + UriText.forMessage(reference));
            }
            return Path.of(uri.getPath());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchException(ReasonCode.UNSUPPORTED_URI, "invalid file URI " + UriText.forMessage(reference)
                    + ": " + UriText.forMessage(e.getMessage()), e);
        }
    }

    private byte[] readFile(Path path) {
        String shown = UriText.forMessage(path.toString());
        Path abs = path.toAbsolutePath().normalize();
        if (!options.fileRoots().isEmpty()) {
            Path real;
            try {
                real = abs.toRealPath();
            } catch (NoSuchFileException e) {
                throw new FetchException(ReasonCode.NOT_FOUND, "no such file: " + shown, e);
            } catch (IOException e) {
                throw new FetchException(ReasonCode.FETCH_FAILED, "cannot read " + shown + ": "
                    + UriText.forMessage(e.getMessage()), e);
            }
            if (options.fileRoots().stream().map(ImageFetcher::realRoot).noneMatch(real::startsWith)) {
                throw new FetchException(ReasonCode.FETCH_FAILED, shown + " is outside the allowed file roots "
                        + options.fileRoots());
            }
            abs = real; // read what was checked, so a symlink swapped in afterwards cannot escape the roots
        }
        try {
            if (Files.isDirectory(abs)) {
                throw new FetchException(ReasonCode.FETCH_FAILED, shown + " is a directory, not an image file");
            }
            if (Files.exists(abs) && !Files.isRegularFile(abs)) {
                // A FIFO or device would block the reading thread or never end.
                throw new FetchException(ReasonCode.FETCH_FAILED, shown + " is not a regular file");
            }
            long size = Files.size(abs);
            if (size > options.maxBytes()) {
                throw tooLarge(shown, size);
            }
            try (InputStream in = Files.newInputStream(abs)) {
                return readCapped(in, shown);
            }
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new FetchException(ReasonCode.NOT_FOUND, "no such file: " + shown, e);
        } catch (AccessDeniedException e) {
            throw new FetchException(ReasonCode.FETCH_FAILED, "permission denied: " + shown, e);
        } catch (IOException e) {
            throw new FetchException(ReasonCode.FETCH_FAILED, "cannot read " + shown + ": "
                    + UriText.forMessage(e.getMessage()), e);
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
            throw new FetchException(ReasonCode.UNSUPPORTED_URI, "http(s) fetching is disabled: " + UriText.forMessage(reference));
        }
        URI uri;
        try {
            uri = new URI(reference);
        } catch (URISyntaxException e) {
            throw new FetchException(ReasonCode.UNSUPPORTED_URI, "invalid URL " + UriText.forMessage(reference) + ": "
                    + UriText.forMessage(e.getReason()), e);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            // A registry-based authority (an invalid host name, a port that is not a number, an
            // IPv6 zone the URI parser does not take) or none at all.
            throw new FetchException(ReasonCode.UNSUPPORTED_URI, "URL without a valid host: "
                    + UriText.forMessage(reference));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return readHttpOnce(uri, reference);
            } catch (TransientFetchFailure e) {
                if (attempt >= HTTP_ATTEMPTS) {
                    throw new FetchException(ReasonCode.FETCH_FAILED, e.getMessage() + " (" + attempt + " attempts)",
                            e.getCause());
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new FetchInterruptedException(reference, e);
                }
                try {
                    Thread.sleep(BACKOFF_MS[attempt - 1]);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new FetchInterruptedException(reference, ie);
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
        String shown = UriText.forMessage(reference);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri).timeout(options.timeout()).GET().build();
        } catch (IllegalArgumentException e) {
            throw new FetchException(ReasonCode.UNSUPPORTED_URI, "URL not accepted by the HTTP client: " + shown
                    + " (" + UriText.forMessage(e.getMessage()) + ")", e);
        }
        long deadline = System.nanoTime() + options.timeout().toNanos();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                if (status == 404 || status == 410) {
                    throw new FetchException(ReasonCode.NOT_FOUND, "HTTP " + status + " for " + shown);
                }
                if (status >= 500 || status == 408 || status == 429) {
                    throw new TransientFetchFailure("HTTP " + status + " for " + shown, null);
                }
                if (status < 200 || status >= 300) {
                    throw new FetchException(ReasonCode.FETCH_FAILED, "HTTP " + status + " for " + shown);
                }
                long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > options.maxBytes()) {
                    throw tooLarge(shown, declared);
                }
                return readCapped(body, shown, deadline);
            }
        } catch (HttpTimeoutException e) {
            throw new TransientFetchFailure("timed out after " + options.timeout() + ": " + shown, e);
        } catch (java.io.InterruptedIOException | java.nio.channels.ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            throw new FetchInterruptedException(reference, e);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new FetchInterruptedException(reference, e);
            }
            throw new TransientFetchFailure("cannot fetch " + shown + ": " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            // Not the image's fault (the caller gave up or is shutting down): no reason code.
            Thread.currentThread().interrupt();
            throw new FetchInterruptedException(reference, e);
        } catch (IllegalArgumentException e) {
            // The client refuses what the URI parser took (a port out of range, an odd host form).
            throw new FetchException(ReasonCode.UNSUPPORTED_URI, "URL not accepted by the HTTP client: " + shown
                    + " (" + UriText.forMessage(e.getMessage()) + ")", e);
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
