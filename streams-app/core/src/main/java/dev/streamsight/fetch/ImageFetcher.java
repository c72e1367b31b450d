package dev.streamsight.fetch;

import dev.streamsight.ReasonCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import okhttp3.Dns;
import okhttp3.EventListener;
import okhttp3.HttpUrl;

/**
 * Reads the encoded bytes of an image reference: a plain file path, a {@code file://} URI or an
 * {@code http(s)://} URL, within the limits and policies of {@link FetchOptions}: which files may be
 * read ({@link FileAccess}), which addresses http(s) may reach ({@link AddressPolicy}, checked after
 * name resolution, on every connection and on every redirect), how many redirects are followed, how
 * many bytes and how much time one fetch may take.
 *
 * <p>Thread-safe and blocking; one instance is shared (it holds one HTTP client), and I/O-bound
 * callers may call it from many virtual threads at once. Failures are {@link FetchException}s:
 * NOT_FOUND, FETCH_REFUSED (a file or address the policy refuses), FETCH_TIMEOUT, REDIRECT_LIMIT,
 * HTTP_ERROR, TOO_LARGE, UNSUPPORTED_URI, and FETCH_FAILED for other I/O errors.
 */
public final class ImageFetcher {
    /** Attempts for an http(s) fetch that failed in a way that may pass (5xx, I/O error, timeout). */
    static final int HTTP_ATTEMPTS = 3;
    private static final long[] BACKOFF_MS = {200, 600};

    private final FetchOptions options;
    private final HttpTransport http;

    public ImageFetcher(FetchOptions options) {
        this(options, Dns.SYSTEM, EventListener.NONE);
    }

    /** With the resolver that names go through and a listener of the HTTP client's events (tests). */
    ImageFetcher(FetchOptions options, Dns dns, EventListener events) {
        this.options = options;
        this.http = new HttpTransport(options, dns, events);
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
            case "" -> LocalFiles.read(toPath(reference, reference), options.files(), options.maxBytes());
            case "file" -> LocalFiles.read(fileUriPath(reference), options.files(), options.maxBytes());
            case "http", "https" -> readHttp(reference);
            default -> throw new FetchException(ReasonCode.UNSUPPORTED_URI,
                    "unsupported URI scheme '" + UriText.forMessage(scheme) + "' in " + UriText.forMessage(reference)
                            + " (expected a file path, file://, http:// or https://)");
        };
    }

    /**
     * The longest one {@link #fetch} may take: every http(s) attempt with its timeout (which bounds the
     * headers, the redirects and, checked between reads, the body) plus the back-off between
     * attempts. A caller waiting on a fetch in another thread gives up after this much.
     */
    public Duration maxDuration() {
        long backoff = 0;
        for (long b : BACKOFF_MS) {
            backoff += b;
        }
        return options.timeout().multipliedBy(HTTP_ATTEMPTS).plusMillis(backoff);
    }

    /**
     * The URI scheme, lower-cased, or "" for a plain path. A reference that starts like an RFC 3986
     * scheme ({@code ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"}) of two characters or more is a
     * URI, so that {@code data:}, {@code jar:} or {@code mailto:} are an unsupported scheme rather than
     * a file name; one letter before the colon is a Windows drive.
     */
    private static String scheme(String reference) {
        int colon = reference.indexOf(':');
        if (colon < 2) { // no scheme, or a Windows drive letter
            return "";
        }
        String s = reference.substring(0, colon);
        if (!isAsciiLetter(s.charAt(0)) || !s.chars().allMatch(c -> isAsciiLetter(c) || (c >= '0' && c <= '9')
                || c == '+' || c == '-' || c == '.')) {
            return "";
        }
        return s.toLowerCase(Locale.ROOT);
    }

    private static boolean isAsciiLetter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
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

    private byte[] readHttp(String reference) {
        if (!options.allowHttp()) {
            throw new FetchException(ReasonCode.UNSUPPORTED_URI, "http(s) fetching is disabled: " + UriText.forMessage(reference));
        }
        HttpUrl url = httpUrl(reference);
        for (int attempt = 1; ; attempt++) {
            try {
                return http.get(url, reference);
            } catch (TransientFetchFailure e) {
                if (attempt >= HTTP_ATTEMPTS) {
                    throw new FetchException(e.code(), e.getMessage() + " (" + attempt + " attempts)",
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

    /** The URL, when both the URI parser and the HTTP client take it (with a host). */
    private static HttpUrl httpUrl(String reference) {
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
        HttpUrl url = HttpUrl.parse(reference);
        if (url == null) {
            // A port out of range, a host form the client does not take.
            throw new FetchException(ReasonCode.UNSUPPORTED_URI, "URL not accepted by the HTTP client: "
                    + UriText.forMessage(reference));
        }
        return url;
    }
}
