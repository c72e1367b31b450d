package dev.streamsight.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.streamsight.ReasonCode;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Dns;
import okhttp3.EventListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The address policy of http(s) fetches, end to end through the HTTP client but with no traffic
 * beyond this machine: names resolve through a fake resolver, the only server is on 127.0.0.1, and
 * a listener fails the test as soon as a connection to any other address is about to be made.
 */
class FetchSecurityTest {
    private static final byte[] BODY = {1, 2, 3, 4, 5};

    /** What the fake resolver answers; any other name is unknown (no real lookup ever happens). */
    private static final Map<String, String> NAMES = Map.of(
            "metadata.test", "169.254.169.254",
            "intranet.test", "10.0.0.1",
            "mapped.test", "::ffff:10.0.0.1",
            "nat64.test", "64:ff9b::a9fe:a9fe",
            "images.test", "127.0.0.1",
            "cdn.images.test", "127.0.0.1");

    private HttpServer server;
    private final List<String> lookups = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok.jpg", ex -> {
            ex.sendResponseHeaders(200, BODY.length);
            ex.getResponseBody().write(BODY);
            ex.close();
        });
        server.createContext("/to/", ex -> { // /to/<location>: a redirect there
            String location = ex.getRequestURI().getRawPath().substring("/to/".length())
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
            ex.getResponseHeaders().add("Location", java.net.URLDecoder.decode(location,
                    java.nio.charset.StandardCharsets.UTF_8));
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/to-secret", ex -> {
            ex.getResponseHeaders().add("Location", "http://user:hunter2@169.254.169.254/x?sig=s3cr3t");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/hops/", ex -> { // /hops/N: N redirects, then the image
            int n = Integer.parseInt(ex.getRequestURI().getPath().substring("/hops/".length()));
            ex.getResponseHeaders().add("Location", n == 0 ? "/ok.jpg" : "/hops/" + (n - 1));
            ex.sendResponseHeaders(n == 0 ? 303 : 307, -1);
            ex.close();
        });
        server.createContext("/ping", ex -> {
            ex.getResponseHeaders().add("Location", "/pong");
            ex.sendResponseHeaders(301, -1);
            ex.close();
        });
        server.createContext("/pong", ex -> {
            ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + port() + "/ping#again");
            ex.sendResponseHeaders(308, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private String local(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** A fetcher with {@code policy}, the fake resolver and the connection guard of this test. */
    private ImageFetcher fetcher(AddressPolicy policy, int maxRedirects) {
        FetchOptions options = new FetchOptions(1 << 20, Duration.ofSeconds(5), maxRedirects, FileAccess.NONE,
                policy, true);
        Dns fake = host -> {
            synchronized (lookups) {
                lookups.add(host);
            }
            String address = NAMES.get(host);
            if (address == null) {
                throw new UnknownHostException(host + " (the fake resolver knows no such name)");
            }
            return List.of(InetAddress.ofLiteral(address));
        };
        EventListener guard = new EventListener() {
            @Override
            public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
                if (!address.getAddress().isLoopbackAddress()) {
                    throw new AssertionError("a connection to " + address + " was about to be made");
                }
                connections.incrementAndGet();
            }
        };
        return new ImageFetcher(options, fake, guard);
    }

    private ImageFetcher fetcher(AddressPolicy policy) {
        return fetcher(policy, FetchOptions.DEFAULT_MAX_REDIRECTS);
    }

    private static FetchException refused(ImageFetcher fetcher, String reference) {
        return refused(fetcher, reference, ReasonCode.FETCH_REFUSED);
    }

    private static FetchException refused(ImageFetcher fetcher, String reference, ReasonCode code) {
        FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(reference), reference);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' in: " + message);
        }
    }

    @Test
    void everyRefusedAddressClassIsRefusedAndPublicAddressesAreNot() throws Exception {
        AddressPolicy policy = AddressPolicy.publicOnly();
        Map<String, String> refused = Map.ofEntries(
                Map.entry("127.0.0.1", "loopback"), Map.entry("127.255.0.9", "loopback"), Map.entry("::1", "loopback"),
                Map.entry("169.254.169.254", "cloud metadata service"), Map.entry("169.254.170.2", "cloud metadata"),
                Map.entry("fd00:ec2::254", "cloud metadata"), Map.entry("100.100.100.200", "cloud metadata"),
                Map.entry("169.254.1.1", "link-local"), Map.entry("fe80::1", "link-local"),
                Map.entry("10.0.0.1", "private"), Map.entry("172.16.0.1", "private"),
                Map.entry("172.31.255.255", "private"), Map.entry("192.168.1.1", "private"),
                Map.entry("fc00::1", "unique-local"), Map.entry("fd12:3456::1", "unique-local"),
                Map.entry("100.64.0.1", "carrier-grade NAT"), Map.entry("100.127.255.254", "carrier-grade NAT"),
                Map.entry("224.0.0.1", "multicast"), Map.entry("239.255.255.250", "multicast"),
                Map.entry("ff02::1", "multicast"), Map.entry("255.255.255.255", "broadcast"),
                Map.entry("0.0.0.0", "unspecified"), Map.entry("0.1.2.3", "unspecified"), Map.entry("::", "unspecified"),
                Map.entry("240.0.0.1", "reserved"), Map.entry("198.18.0.1", "reserved"),
                Map.entry("::a00:1", "private (10.0.0.1 embedded as IPv4-compatible IPv6)"),
                Map.entry("::ffff:0:7f00:1", "loopback (127.0.0.1 embedded as IPv4-translated IPv6)"),
                Map.entry("64:ff9b::a9fe:a9fe", "cloud metadata service (169.254.169.254 embedded as NAT64 IPv6)"),
                Map.entry("2002:c0a8:101::1", "private (192.168.1.1 embedded as 6to4 IPv6)"),
                Map.entry("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback (127.0.0.1 embedded as Teredo IPv6)"));
        for (var e : refused.entrySet()) {
            String addressClass = policy.refusal(null, InetAddress.ofLiteral(e.getKey()));
            assertTrue(addressClass != null && addressClass.startsWith(e.getValue()), e.getKey() + ": " + addressClass);
        }
        // IPv4-mapped IPv6 kept as an Inet6Address (InetAddress.ofLiteral would return the IPv4 address).
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(new byte[] {10, 0, 0, 1}, 0, mapped, 12, 4);
        assertEquals("private (10.0.0.1 embedded as IPv4-mapped IPv6)",
                policy.refusal(null, Inet6Address.getByAddress(null, mapped, -1)));
        for (String open : List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "169.253.0.1",
                "2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8")) {
            assertEquals(null, policy.refusal(null, InetAddress.ofLiteral(open)), open);
        }
        assertEquals(null, AddressPolicy.anyAddress().refusal(null, InetAddress.ofLiteral("169.254.169.254")));
    }

    @Test
    void namesResolvingToRefusedAddressesAreRefusedBeforeAnyConnection() {
        ImageFetcher fetcher = fetcher(AddressPolicy.publicOnly());
        assertMentions(refused(fetcher, "http://metadata.test/latest/meta-data/").getMessage(),
                "metadata.test", "169.254.169.254", "cloud metadata service", "fetch.http.allow");
        assertMentions(refused(fetcher, "https://intranet.test/a.jpg").getMessage(), "intranet.test", "10.0.0.1",
                "private");
        assertMentions(refused(fetcher, "http://mapped.test/a.jpg").getMessage(), "mapped.test", "private");
        assertMentions(refused(fetcher, "http://nat64.test/a.jpg").getMessage(), "nat64.test",
                "cloud metadata service", "NAT64");
        assertMentions(refused(fetcher, "http://images.test:" + port() + "/ok.jpg").getMessage(), "images.test",
                "loopback");
        assertEquals(List.of("metadata.test", "intranet.test", "mapped.test", "nat64.test", "images.test"), lookups,
                "each name was resolved once: a refusal is not retried");
        assertEquals(0, connections.get(), "no connection was attempted");
    }

    @Test
    void addressLiteralsAreRefusedWithoutAResolverOrAConnection() {
        ImageFetcher fetcher = fetcher(AddressPolicy.publicOnly());
        for (String url : List.of(local("/ok.jpg"), "http://[::1]:" + port() + "/ok.jpg",
                "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/a.jpg", "http://[::ffff:10.0.0.1]/a.jpg",
                "http://[::ffff:7f00:1]:" + port() + "/ok.jpg", "http://[fd00::1]/a.jpg", "http://[64:ff9b::a00:1]/",
                "http://0.0.0.0:" + port() + "/ok.jpg", "https://192.168.0.1/a.jpg", "http://100.64.0.1/")) {
            assertMentions(refused(fetcher, url).getMessage(), "refused", "address");
        }
        assertMentions(refused(fetcher, "http://[::ffff:a9fe:a9fe]/").getMessage(), "host 169.254.169.254",
                "cloud metadata service");
        assertEquals(List.of(), lookups);
        assertEquals(0, connections.get());
    }

    @Test
    void theSocketRefusesARefusedAddressEvenWhenNothingElseChecked() throws Exception {
        GuardedSocketFactory sockets = new GuardedSocketFactory(AddressPolicy.publicOnly());
        try (Socket socket = sockets.createSocket()) {
            IOException e = assertThrows(AddressRefusedException.class,
                    () -> socket.connect(new InetSocketAddress("127.0.0.1", port()), 1000));
            assertMentions(e.getMessage(), "127.0.0.1", "loopback");
            assertFalse(socket.isConnected());
        }
        assertThrows(IOException.class, () -> sockets.createSocket("127.0.0.1", port()), "no unchecked lookups");
        // A name on the allow-list carries its resolved address through.
        GuardedSocketFactory named = new GuardedSocketFactory(AddressPolicy.publicOnly(List.of("images.test")));
        InetAddress resolved = InetAddress.getByAddress("images.test", new byte[] {127, 0, 0, 1});
        try (Socket socket = named.createSocket(resolved, port())) {
            assertTrue(socket.isConnected());
        }
        assertThrows(AddressRefusedException.class, () -> named.createSocket(InetAddress.ofLiteral("127.0.0.1"), port()));
    }

    @Test
    void aRedirectToARefusedAddressIsRefused() {
        ImageFetcher fetcher = fetcher(AddressPolicy.publicOnly(List.of("127.0.0.1")));
        assertArrayEquals(BODY, fetcher.fetch(local("/to/%2Fok.jpg")), "a redirect within the allowed server");
        assertMentions(refused(fetcher, local("/to/http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F")).getMessage(),
                "redirected to http://169.254.169.254/latest/meta-data/", "cloud metadata service");
        assertMentions(refused(fetcher, local("/to/http%3A%2F%2Fintranet.test%2Fa.jpg")).getMessage(),
                "redirected to http://intranet.test/a.jpg", "intranet.test resolves to 10.0.0.1", "private");
        assertMentions(refused(fetcher, local("/to/http%3A%2F%2F%5B%3A%3Affff%3A10.0.0.1%5D%2F")).getMessage(),
                "10.0.0.1", "private");
        assertMentions(refused(fetcher, local("/to/http%3A%2F%2F%5B%3A%3A1%5D%3A" + port() + "%2Fok.jpg"))
                .getMessage(), "::1", "loopback");
        assertMentions(refused(fetcher, local("/to/ftp%3A%2F%2F127.0.0.1%2Fa.jpg")).getMessage(),
                "not an http(s) URL");
        assertTrue(connections.get() > 0, "connections to the local server only (the guard checks each)");
    }

    @Test
    void redirectLoopsAndRedirectsBeyondTheLimitAreRefused() {
        ImageFetcher fetcher = fetcher(AddressPolicy.publicOnly(List.of("127.0.0.0/8")));
        assertArrayEquals(BODY, fetcher.fetch(local("/hops/4")), "five redirects: the limit");
        assertMentions(refused(fetcher, local("/hops/5"), ReasonCode.REDIRECT_LIMIT).getMessage(), "more than 5", "fetch.max.redirects");
        assertMentions(refused(fetcher, local("/ping"), ReasonCode.REDIRECT_LIMIT).getMessage(), "loop", "/ping");
        assertMentions(refused(fetcher, local("/to/%2Fto%2F"), ReasonCode.FETCH_FAILED).getMessage(), "without a Location");
        ImageFetcher none = fetcher(AddressPolicy.publicOnly(List.of("127.0.0.0/8")), 0);
        assertArrayEquals(BODY, none.fetch(local("/ok.jpg")));
        assertMentions(refused(none, local("/hops/0"), ReasonCode.REDIRECT_LIMIT).getMessage(), "more than 0");
    }

    @Test
    void aRedirectFromHttpsToHttpIsRefused() {
        var from = okhttp3.HttpUrl.get("https://images.example/a.jpg");
        var visited = new java.util.HashSet<>(List.of(from));
        FetchException e = assertThrows(FetchException.class,
                () -> Redirects.next(from, 302, "http://images.example/a.jpg", visited, 5, "shown"));
        assertMentions(e.getMessage(), "from https to http");
        assertEquals(ReasonCode.REDIRECT_LIMIT, e.code());
        assertEquals(okhttp3.HttpUrl.get("https://cdn.example/b.jpg"),
                Redirects.next(from, 302, "//cdn.example/b.jpg#top", visited, 5, "shown"));
    }

    @Test
    void theAllowListOpensRangesAndHostNames() {
        assertArrayEquals(BODY, fetcher(AddressPolicy.publicOnly(List.of("127.0.0.0/8"))).fetch(local("/ok.jpg")));
        assertArrayEquals(BODY, fetcher(AddressPolicy.publicOnly(List.of("10.0.0.0/8", " 127.0.0.1 ")))
                .fetch("http://images.test:" + port() + "/ok.jpg"), "a range opens the address whatever the name");
        assertArrayEquals(BODY, fetcher(AddressPolicy.publicOnly(List.of("Images.Test.")))
                .fetch("http://images.test:" + port() + "/ok.jpg"), "a name opens whatever it resolves to");
        assertArrayEquals(BODY, fetcher(AddressPolicy.publicOnly(List.of("*.images.test")))
                .fetch("http://cdn.images.test:" + port() + "/ok.jpg"));
        ImageFetcher other = fetcher(AddressPolicy.publicOnly(List.of("10.0.0.0/8", "*.images.test", "cdn.test")));
        assertMentions(refused(other, "http://images.test:" + port() + "/ok.jpg").getMessage(), "loopback");
        assertMentions(refused(other, local("/ok.jpg")).getMessage(), "loopback");
        assertMentions(refused(other, "http://metadata.test/").getMessage(), "cloud metadata service");
        assertEquals("public addresses and 10.0.0.0/8, cdn.test, *.images.test", other.options().addresses().toString());
    }

    @Test
    void theCommandLinePolicyReachesAnyAddress() {
        ImageFetcher cli = fetcher(FetchOptions.forCommandLine().addresses());
        assertArrayEquals(BODY, cli.fetch(local("/ok.jpg")));
        assertArrayEquals(BODY, cli.fetch("http://images.test:" + port() + "/to/%2Fok.jpg"));
        assertEquals("any address", FetchOptions.forCommandLine().addresses().toString());
    }

    @Test
    void allowListEntriesAreValidated() {
        for (String bad : List.of("10.0.0.0/33", "10.1.2.3/8", "10.0.0", "256.1.1.1", "fe80::1%eth0", "::1/129",
                "*", "*.", "a..b", "localhost:8080", "http://images.test", "im ages.test", "-a.test", "a/b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AddressPolicy.publicOnly(List.of("192.168.0.0/16", bad)), bad);
            assertMentions(e.getMessage(), "'" + bad + "'");
        }
        assertEquals("public addresses and 192.168.0.0/16, ::1, [fd00::1], images.test",
                AddressPolicy.publicOnly(List.of("192.168.0.0/16", "", "::1", "[fd00::1]", "images.test")).toString());
    }

    @Test
    void refusalMessagesQuoteNoCredentialsOrQueries() {
        ImageFetcher fetcher = fetcher(AddressPolicy.publicOnly(List.of("127.0.0.1")));
        String direct = refused(fetcher, "http://user:hunter2@metadata.test/creds?token=s3cr3t").getMessage();
        String redirected = refused(fetcher, local("/to-secret?session=s3cr3t")).getMessage();
        for (String message : List.of(direct, redirected)) {
            assertFalse(message.contains("hunter2") || message.contains("s3cr3t"), message);
            assertMentions(message, "cloud metadata service");
        }
        assertMentions(direct, "http://***@metadata.test/creds?***");
        assertMentions(redirected, "/to-secret?***", "redirected to http://***@169.254.169.254/x?***");
    }
}
