package dev.streamsight.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Fetches a URL into a local file. {@link ModelLocator} and {@link LabelResolver} use it for the
 * catalog's download addresses; tests may pass their own. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Downloader {

    /**
     * Writes the body of {@code uri} to {@code target} (created or replaced).
     *
     * @throws IOException on a network error or a non-2xx status
     */
    void download(URI uri, Path target) throws IOException;

    /**
     * The default downloader: {@link HttpClient} following redirects (GitHub release and LFS links
     * redirect), with a connect timeout and a per-request timeout for the whole transfer.
     */
    static Downloader http(Duration connectTimeout, Duration requestTimeout) {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(connectTimeout)
                .build();
        return (uri, target) -> {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(requestTimeout)
                    .header("User-Agent", "streamsight")
                    .GET()
                    .build();
            HttpResponse<InputStream> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while downloading " + uri, e);
            }
            try (InputStream body = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    throw new IOException("HTTP " + response.statusCode() + " from " + uri);
                }
                Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
            }
        };
    }

    /** {@link #http(Duration, Duration)} with 20 s to connect and 30 min for the transfer. */
    static Downloader http() {
        return http(Duration.ofSeconds(20), Duration.ofMinutes(30));
    }
}
