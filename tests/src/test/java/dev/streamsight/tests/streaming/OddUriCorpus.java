package dev.streamsight.tests.streaming;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generates odd image references the way an attacker or a careless producer would write them: every
 * part of a URI (scheme, user-info, host, port, path, query, fragment) drawn from a pool of malformed,
 * shorthand, encoded and extreme forms, combined at random from a seed. Every host it writes is a
 * loopback address in some notation, a name that only a hosts file could resolve, or not a host at
 * all, so that fetching the corpus never sends a packet beyond this machine (name lookups must be
 * confined to a hosts file by whoever fetches it: {@code -Djdk.net.hosts.file}).
 *
 * <p>Stateless apart from its seeded {@link Random}; not thread-safe.
 */
final class OddUriCorpus {
    private static final String[] SCHEMES = {"http", "https", "HTTP", "hTtPs", "ftp", "gopher", "file", "jar:http",
        "data", "javascript", "mailto", "ht tp", "http\u0000", "h\u0442tp", "", "s3", "urn", "x-" + "y".repeat(40)};
    private static final String[] SEPARATORS = {"://", ":", ":/", ":///", "//", ":\\\\", "://\t", ": //"};
    private static final String[] USER_INFO = {"", "", "", "user@", "user:pass@", "a@b@", "@", ":@", "us%40er:p%3Ass@",
        "\u00fcser:\u00fc@", "user name@", "u:" + "p".repeat(300) + "@"};
    /** {@code %P} is replaced by the port of the local image server. */
    private static final String[] HOSTS = {"127.0.0.1", "127.1", "127.0.1", "0x7f.1", "0x7f000001", "2130706433",
        "017700000001", "0177.0.0.1", "127.000.000.001", "127.0.0.1.", "127.0.0.01", "0127.0.0.1", "[::1]",
        "[0:0:0:0:0:0:0:1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::1%25lo]", "[::1%lo]", "[::1%2525]",
        "[::1%25eth0]", "[fe80::1%25lo]", "[::1", "::1]", "[127.0.0.1]", "[]", "localhost", "LOCALHOST",
        "localhost.", "loc%61lhost", "l\u043ecalhost", "\u4f8b\u3048.\u30c6\u30b9\u30c8", "xn--r8jz45g.xn--zckzah",
        "under_score.invalid", "-leading.invalid", "a..b.invalid", "", " ", "%20", "127.0.0.1 ", "127.0.0.1\r\n",
        "h".repeat(300) + ".invalid", "256.256.256.256", "127.0.0.1:80:90", "127.0.0.1\\@localhost"};
    private static final String[] PORTS = {"", "", ":%P", ":%P", ":%P", ":", ":0", ":1", ":65535", ":65536", ":99999",
        ":-1", ":abc", ":4294967377", ":%P%P", ": %P", ":0%P", ":+%P", ":%P.0"};
    private static final String[] PATHS = {"/cat.jpg", "/cat.jpg", "", "/", "/missing.jpg", "/text", "/redirect",
        "/%00", "/a b.jpg", "/..%2f..%2fetc%2fpasswd", "/../../../etc/passwd", "/%", "/%zz", "/\u202ecat.jpg",
        "/\r\nX-Injected: 1", "/\u00fcn\u00efc\u00f6d\u00e9.jpg", "//cat.jpg", "/cat.jpg/", "/./cat.jpg",
        "/cat.jpg%00.png", "\\cat.jpg", "/" + "a".repeat(70_000)};
    private static final String[] QUERIES = {"", "", "", "?", "?x=1", "?x=%", "?" + "q".repeat(5000), "?a=b&c"};
    private static final String[] FRAGMENTS = {"", "", "", "#", "#frag", "#%", "#\u0000"};

    private final Random random;
    private final int port;

    OddUriCorpus(long seed, int port) {
        this.random = new Random(seed);
        this.port = port;
    }

    /**
     * Unusual but valid references to the local server's photo, which must be fetched and classified;
     * {@link #generate} includes them.
     */
    List<String> fetchable() {
        String p = Integer.toString(port);
        return List.of("http://127.0.0.1:" + p + "/cat.jpg", "http://localhost:" + p + "/cat.jpg",
                "HTTP://127.0.0.1:" + p + "/cat.jpg", "http://127.0.0.1:" + p + "/cat.jpg#frag",
                "http://127.0.0.1:" + p + "/cat.jpg?x=1&y=%20", "http://127.0.0.1:" + p + "/cat.jpg?" + "q".repeat(5000));
    }

    /** {@code count} distinct references, plus whole-string oddities that no combination produces. */
    List<String> generate(int count) {
        Set<String> out = new LinkedHashSet<>(fetchable());
        String p = Integer.toString(port);
        out.add("http://127.1:" + p + "/cat.jpg");
        out.add("");
        out.add(" ");
        out.add("\u0000");
        out.add("x".repeat(70_000));
        out.add("http://" + "a".repeat(70_000));
        out.add("http://127.0.0.1:" + p);
        out.add("file:");
        out.add("file:relative/cat.jpg");
        out.add("file:///");
        out.add("file:///dev/null");
        out.add("file:///dev/zero");
        out.add("file:///proc/self/environ");
        out.add("file://localhost/etc/passwd");
        out.add("file:////etc/passwd");
        out.add("file:///%2e%2e/%2e%2e/etc/passwd");
        out.add("file:/" + "b".repeat(70_000));
        out.add("http:");
        out.add("http://");
        out.add("http:///cat.jpg");
        out.add("https://[::1]:" + p + "/cat.jpg");
        out.add("//127.0.0.1:" + p + "/cat.jpg");
        out.add("\thttp://127.0.0.1:" + p + "/cat.jpg");
        out.add("http://127.0.0.1:" + p + "/cat.jpg\n");
        while (out.size() < count) {
            StringBuilder sb = new StringBuilder();
            sb.append(pick(SCHEMES)).append(pick(SEPARATORS)).append(pick(USER_INFO)).append(pick(HOSTS))
                    .append(pick(PORTS).replace("%P", p)).append(pick(PATHS)).append(pick(QUERIES))
                    .append(pick(FRAGMENTS));
            out.add(sb.toString());
        }
        return new ArrayList<>(out);
    }

    private String pick(String[] pool) {
        return pool[random.nextInt(pool.length)];
    }
}
