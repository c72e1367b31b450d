package dev.streamsight.connect.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server from the Debian binaries ({@code /usr/lib/postgresql/<v>/bin}):
 * {@code initdb} into a fresh temporary directory, {@code pg_ctl start} on 127.0.0.1 and a free port
 * with the socket in that directory, {@code pg_ctl stop} and removal on close. As root (which
 * {@code initdb} refuses) the server runs as the {@code postgres} user through {@code runuser}.
 *
 * <p>Absent binaries skip the calling test, unless {@code STREAMSIGHT_REQUIRE_POSTGRES=true}, which
 * makes it fail instead (CI installs them).
 */
final class LocalPostgres implements AutoCloseable {

    static final String USER = "streamsight";
    private static final Path INSTALL_ROOT = Path.of("/usr/lib/postgresql");

    private final Path bin;
    private final Path base;
    private final int port;
    private final boolean asPostgresUser;

    private LocalPostgres(Path bin, Path base, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.base = base;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    static LocalPostgres start() throws Exception {
        Optional<Path> bin = findBin();
        require(bin.isPresent(), "PostgreSQL binaries not found under " + INSTALL_ROOT
                + "/*/bin (install the Debian package postgresql)");
        boolean root = "root".equals(System.getProperty("user.name")) || uid() == 0;
        if (root) {
            require(Files.isExecutable(Path.of("/usr/sbin/runuser")) && userExists("postgres"),
                    "running as root, and initdb refuses root: need /usr/sbin/runuser and a postgres user");
        }
        // As root, under /tmp: the postgres user must be able to reach it (java.io.tmpdir may be private).
        Path base = root ? Files.createTempDirectory(Path.of("/tmp"), "streamsight-pg")
                : Files.createTempDirectory("streamsight-pg");
        if (root) {
            UserPrincipalLookupService users = base.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(base, users.lookupPrincipalByName("postgres"));
        }
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
        LocalPostgres pg = new LocalPostgres(bin.get(), base, freePort(), root);
        pg.run("initdb", "-D", pg.data().toString(), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync");
        pg.run("pg_ctl", "-D", pg.data().toString(), "-l", base.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + pg.port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + base
                        + " -c fsync=off", "start");
        return pg;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    public void close() throws Exception {
        try {
            run("pg_ctl", "-D", data().toString(), "-m", "fast", "-w", "stop");
        } finally {
            try (Stream<Path> files = Files.walk(base)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private Path data() {
        return base.resolve("data");
    }

    private void run(String tool, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("/usr/sbin/runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            String log = Files.exists(base.resolve("server.log")) ? Files.readString(base.resolve("server.log")) : "";
            throw new IllegalStateException(tool + " failed: " + output + log);
        }
    }

    private static Optional<Path> findBin() throws IOException {
        if (!Files.isDirectory(INSTALL_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(INSTALL_ROOT)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(Path::toString));
        }
    }

    private static void require(boolean condition, String reason) {
        if (!condition) {
            if ("true".equalsIgnoreCase(System.getenv("STREAMSIGHT_REQUIRE_POSTGRES"))) {
                fail(reason + " (STREAMSIGHT_REQUIRE_POSTGRES=true)");
            }
            assumeTrue(false, reason + "; skipping the PostgreSQL sink test");
        }
    }

    private static long uid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (Exception e) {
            return -1;
        }
    }

    private static boolean userExists(String name) {
        try {
            Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
