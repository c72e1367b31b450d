package dev.streamsight.fetch;

import dev.streamsight.ReasonCode;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Where an http(s) redirect leads, and whether to follow it: at most a number of redirects per
 * attempt, never to a URL already visited (a loop), never from https to http, only to http(s).
 * The host of the target is checked by the caller like any other. Stateless.
 */
final class Redirects {
    private Redirects() {
    }

    /** Whether {@code status} is a redirect with a Location to follow. */
    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * The URL that a redirect from {@code from} to {@code location} leads to, added to {@code visited}
     * (the URLs of this attempt so far, fragments left out).
     *
     * @param shown the reference as messages quote it
     * @throws FetchException REDIRECT_LIMIT for a loop, too many redirects or https to http;
     *     FETCH_REFUSED for a redirect to another scheme; FETCH_FAILED for one without a Location
     */
    static HttpUrl next(HttpUrl from, int status, String location, Set<HttpUrl> visited, int maxRedirects,
            String shown) {
        if (location == null || location.isBlank()) {
            throw failed("HTTP " + status + " without a Location for " + shown);
        }
        HttpUrl to = from.resolve(location);
        if (to == null) {
            throw new FetchException(ReasonCode.FETCH_REFUSED, shown + " redirects to " + UriText.forMessage(location)
                    + ", which is not an http(s) URL");
        }
        to = to.newBuilder().fragment(null).build();
        String target = UriText.forMessage(to.toString());
        if (from.isHttps() && !to.isHttps()) {
            throw limit(shown + " redirects from https to http (" + target + ")");
        }
        if (visited.size() > maxRedirects) {
            throw limit(shown + " redirects more than " + maxRedirects + " times (fetch.max.redirects)");
        }
        if (!visited.add(to)) {
            throw limit(shown + " redirects in a loop (to " + target + " again)");
        }
        return to;
    }

    private static FetchException limit(String message) {
        return new FetchException(ReasonCode.REDIRECT_LIMIT, message);
    }

    private static FetchException failed(String message) {
        return new FetchException(ReasonCode.FETCH_FAILED, message);
    }
}
