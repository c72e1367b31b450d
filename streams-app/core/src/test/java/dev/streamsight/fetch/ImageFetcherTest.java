package dev.streamsight.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.streamsight.ReasonCode;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files, file:// URIs and http(s) on 127.0.0.1 (opened by the allow-list of a public-only address
 * policy), with limits and a reason code per failure.
 */
class ImageFetcherTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final byte[] body = new byte[5000];

    @BeforeEach
    void startServer() throws Exception {
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok.jpg", ex -> {
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/chunked.jpg", ex -> {
            ex.sendResponseHeaders(200, 0); // no Content-Length: the cap applies while reading
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/boom", ex -> {
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        server.createContext("/trickle", ex -> {
            ex.sendResponseHeaders(200, 0);
            try {
                for (int i = 0; i < 40; i++) { // a byte every 100 ms: the body never finishes in time
                    ex.getResponseBody().write(1);
                    ex.getResponseBody().flush();
                    Thread.sleep(100);
                }
            } catch (InterruptedException | java.io.IOException e) {
                // the client gave up
            }
            ex.close();
        });
        java.util.concurrent.atomic.AtomicInteger flaky = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/flaky.jpg", ex -> {
            if (flaky.incrementAndGet() < 3) {
                ex.sendResponseHeaders(503, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // slow handlers must not block others
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Public addresses and the local server's. */
    private static FetchOptions options(long maxBytes, Duration timeout) {
        return new FetchOptions(maxBytes, timeout, FetchOptions.DEFAULT_MAX_REDIRECTS, FileAccess.ANYWHERE,
                AddressPolicy.publicOnly(List.of("127.0.0.1")), true);
    }

    private static ReasonCode code(Runnable r) {
        return assertThrows(FetchException.class, r::run).code();
    }

    @Test
    void readsPathsAndFileUris() throws Exception {
        Path f = Files.write(dir.resolve("a.jpg"), body);
        ImageFetcher fetcher = new ImageFetcher(FetchOptions.forCommandLine());
        assertArrayEquals(body, fetcher.fetch(f.toString()));
        assertArrayEquals(body, fetcher.fetch(f.toUri().toString()));
        assertEquals(ReasonCode.NOT_FOUND, code(() -> fetcher.fetch(dir.resolve("missing.jpg").toString())));
        assertEquals(ReasonCode.FETCH_REFUSED, code(() -> fetcher.fetch(dir.toString())), "a directory");
        assertEquals(ReasonCode.UNSUPPORTED_URI, code(() -> fetcher.fetch("ftp://127.0.0.1/a.jpg")));
        assertEquals(ReasonCode.UNSUPPORTED_URI, code(() -> fetcher.fetch("file://elsewhere.example/a.jpg")));
    }

    @Test
    void enforcesTheByteLimit() throws Exception {
        Path f = Files.write(dir.resolve("a.jpg"), body);
        ImageFetcher small = new ImageFetcher(options(1000, Duration.ofSeconds(5)));
        assertEquals(ReasonCode.TOO_LARGE, code(() -> small.fetch(f.toString())));
        assertEquals(ReasonCode.TOO_LARGE, code(() -> small.fetch(url("/ok.jpg"))));
        assertEquals(ReasonCode.TOO_LARGE, code(() -> small.fetch(url("/chunked.jpg"))));
    }

    @Test
    void fileRootsAreEnforcedOnRealPathsIncludingSymlinkedRoots() throws Exception {
        Path inside = Files.createDirectories(dir.resolve("images"));
        Path photo = Files.write(inside.resolve("a.jpg"), body);
        Path outside = Files.write(dir.resolve("secret.jpg"), body);
        Path link = Files.createSymbolicLink(dir.resolve("link"), inside);
        ImageFetcher rooted = new ImageFetcher(options(1 << 20, Duration.ofSeconds(5))
                .withFiles(FileAccess.under(List.of(link))));
        assertArrayEquals(body, rooted.fetch(photo.toString()));
        assertArrayEquals(body, rooted.fetch(link.resolve("a.jpg").toUri().toString()));
        assertEquals(ReasonCode.FETCH_REFUSED, code(() -> rooted.fetch(outside.toString())));
        assertEquals(ReasonCode.FETCH_REFUSED, code(() -> rooted.fetch(inside.resolve("../secret.jpg").toString())));
        Path escape = Files.createSymbolicLink(inside.resolve("escape.jpg"), outside);
        assertEquals(ReasonCode.FETCH_REFUSED, code(() -> rooted.fetch(escape.toString())));
        Path escapingDir = Files.createSymbolicLink(inside.resolve("up"), dir);
        assertEquals(ReasonCode.FETCH_REFUSED, code(() -> rooted.fetch(escapingDir.resolve("secret.jpg").toString())));
        // Outside the roots, a missing file is refused like a present one: no probing what exists.
        assertEquals(ReasonCode.FETCH_REFUSED, code(() -> rooted.fetch(dir.resolve("missing.jpg").toString())));
        assertEquals(ReasonCode.NOT_FOUND, code(() -> rooted.fetch(inside.resolve("missing.jpg").toString())));
        assertEquals(ReasonCode.FETCH_REFUSED, code(() -> rooted.fetch(inside.toString())), "a directory");
        // The root as its real path, the file written through a symlinked name of it (a mounted volume).
        ImageFetcher realRoot = new ImageFetcher(options(1 << 20, Duration.ofSeconds(5))
                .withFiles(FileAccess.under(List.of(inside.toRealPath()))));
        assertArrayEquals(body, realRoot.fetch(link.resolve("a.jpg").toString()));
        assertEquals(ReasonCode.FETCH_REFUSED, code(() -> realRoot.fetch(link.resolve("escape.jpg").toString())));
        Path fifo = inside.resolve("fifo.jpg");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertEquals(ReasonCode.FETCH_REFUSED, code(() -> rooted.fetch(fifo.toString())), "a FIFO is not read");
    }

    @Test
    void withoutFileRootsNoFileIsReadAndTheMessageSaysWhatToSet() throws Exception {
        Path f = Files.write(dir.resolve("a.jpg"), body);
        ImageFetcher service = new ImageFetcher(FetchOptions.forEvents());
        for (String ref : List.of(f.toString(), f.toUri().toString(), "file://localhost" + f, "/etc/passwd")) {
            FetchException e = assertThrows(FetchException.class, () -> service.fetch(ref));
            assertEquals(ReasonCode.FETCH_REFUSED, e.code(), ref);
            assertEquals(true, e.getMessage().contains("set fetch.file.roots"), e.getMessage());
        }
    }

    @Test
    void anInterruptedFetchEndsWithFetchInterruptedException() throws Exception {
        ImageFetcher fetcher = new ImageFetcher(options(1 << 20, Duration.ofSeconds(10)));
        java.util.concurrent.CompletableFuture<Throwable> failure = new java.util.concurrent.CompletableFuture<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                fetcher.fetch(url("/slow"));
                failure.complete(null);
            } catch (Throwable e) {
                failure.complete(e);
            }
        });
        Thread.sleep(300);
        long t0 = System.nanoTime();
        t.interrupt();
        Throwable e = failure.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(FetchInterruptedException.class, e == null ? null : e.getClass(), String.valueOf(e));
        assertEquals(true, System.nanoTime() - t0 < 2_000_000_000L, "promptly, not after the server answers");
    }

    @Test
    void fetchesOverHttpWithCodesForFailures() {
        ImageFetcher fetcher = new ImageFetcher(options(1 << 20, Duration.ofMillis(500)));
        assertArrayEquals(body, fetcher.fetch(url("/ok.jpg")));
        assertEquals(ReasonCode.NOT_FOUND, code(() -> fetcher.fetch(url("/nothing-here.jpg"))));
        assertEquals(ReasonCode.HTTP_ERROR, code(() -> fetcher.fetch(url("/boom"))));
        assertEquals(ReasonCode.FETCH_TIMEOUT, code(() -> fetcher.fetch(url("/slow"))));
        long t0 = System.nanoTime();
        assertEquals(ReasonCode.FETCH_TIMEOUT, code(() -> fetcher.fetch(url("/trickle"))));
        // Three attempts of at most 0.5 s each plus back-off, not the 4 s the body would take.
        assertEquals(true, System.nanoTime() - t0 < fetcher.maxDuration().toNanos() + 1_000_000_000L);
        assertArrayEquals(body, fetcher.fetch(url("/flaky.jpg")), "two 503s, then the image");
        ImageFetcher noHttp = new ImageFetcher(new FetchOptions(1 << 20, Duration.ofSeconds(1), 5, FileAccess.ANYWHERE,
                AddressPolicy.anyAddress(), false));
        assertEquals(ReasonCode.UNSUPPORTED_URI, code(() -> noHttp.fetch(url("/ok.jpg"))));
    }

    @Test
    void oddReferencesFailWithACodeInsteadOfThrowingAnythingElse() throws Exception {
        ImageFetcher fetcher = new ImageFetcher(options(1 << 20, Duration.ofMillis(500)));
        int port = server.getAddress().getPort();
        // Hosts the URI parser reads as registry-based authorities, which the JDK's HttpClient refuses
        // with an IllegalArgumentException.
        for (String uri : List.of("http://127.1:" + port + "/ok.jpg", "http://0x7f.1/ok.jpg", "http://a_b/ok.jpg",
                "http:///ok.jpg", "http://:80/ok.jpg", "https://", "")) {
            assertEquals(ReasonCode.UNSUPPORTED_URI, code(() -> fetcher.fetch(uri)), uri);
        }
        assertEquals(ReasonCode.UNSUPPORTED_URI, code(() -> fetcher.fetch("file:relative.jpg")));
        assertEquals(ReasonCode.UNSUPPORTED_URI, code(() -> fetcher.fetch("file:")));
        for (String uri : List.of("data:image/png;base64,iVBORw0KGgo=", "jar:http://127.0.0.1/a.jar!/a.jpg",
                "mailto:someone@example.com", "s3:bucket/a.jpg")) {
            assertEquals(ReasonCode.UNSUPPORTED_URI, code(() -> fetcher.fetch(uri)), uri);
        }
        Path fifo = dir.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        assertEquals(ReasonCode.FETCH_REFUSED, code(() -> fetcher.fetch(fifo.toString())), "a FIFO is not read");
    }

    @Test
    void messagesQuoteReferencesWithoutCredentialsOrQueriesAndCutShort() {
        assertEquals("https://***@host/a.jpg?***#f", UriText.forMessage("https://user:secret@host/a.jpg?sig=abc#f"));
        assertEquals("http://host/a\\u000a.jpg", UriText.forMessage("http://host/a\n.jpg"));
        String longest = UriText.forMessage("http://h/" + "a".repeat(70_000));
        assertEquals(true, longest.length() < UriText.MAX_CHARS + 40, longest);
        assertEquals(true, longest.endsWith("(70009 characters)"), longest);
        ImageFetcher fetcher = new ImageFetcher(options(1 << 20, Duration.ofMillis(500)));
        FetchException e = assertThrows(FetchException.class,
                () -> fetcher.fetch("http://user:pw@127.0.0.1:" + server.getAddress().getPort() + "/nothing?t=tok"));
        assertEquals(false, e.getMessage().contains("pw") || e.getMessage().contains("tok"), e.getMessage());
    }
}
