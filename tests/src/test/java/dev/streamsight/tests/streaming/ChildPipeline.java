package dev.streamsight.tests.streaming;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pipeline application as a child JVM ({@link PipelineMain}) on the test class path, which the
 * test can SIGKILL and start again with the same application id. Reads the child's stdout protocol
 * (states, decode markers); the child's stderr goes to a log file whose tail failure messages quote.
 */
final class ChildPipeline implements AutoCloseable {
    private final Map<String, String> properties;
    private final Path log;
    private Process process;
    private int starts;
    private final AtomicInteger decodes = new AtomicInteger();
    private final AtomicReference<String> state = new AtomicReference<>("NONE");
    private final AtomicReference<String> fatal = new AtomicReference<>();

    /**
     * @param properties the {@code it.*} system properties of {@link PipelineMain}
     */
    ChildPipeline(Map<String, String> properties, Path log) {
        this.properties = Map.copyOf(properties);
        this.log = log;
    }

    /** Starts a fresh child JVM and waits (bounded) until Kafka Streams is RUNNING in it. */
    synchronized void start(Duration timeout) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        starts++;
        state.set("STARTING");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.add("-Xmx1g");
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(PipelineMain.class.getName());
        try {
            Files.writeString(log, "==== start #" + starts + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process p = process;
        Thread reader = new Thread(() -> readStdout(p), "child-stdout-" + starts);
        reader.setDaemon(true);
        reader.start();
        awaitState("RUNNING", timeout);
    }

    private void readStdout(Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.equals("DECODE")) {
                    decodes.incrementAndGet();
                } else if (line.startsWith("STATE ")) {
                    state.set(line.substring(6));
                } else if (line.startsWith("FATAL ")) {
                    fatal.set(line);
                }
            }
        } catch (IOException e) {
            // the child died; nothing more to read
        }
    }

    /** Waits (bounded) until the child reports the state; fails at once if it died. */
    void awaitState(String wanted, Duration timeout) {
        Await.until("child pipeline state " + wanted + " (now " + state.get() + ")", timeout, () -> {
            checkAlive();
            return wanted.equals(state.get());
        });
    }

    /** Images the child has started decoding since it first started (all its lives). */
    int decodes() {
        return decodes.get();
    }

    /** Throws (with the log tail) if the child is not running or a stream thread died. */
    void checkAlive() {
        if (fatal.get() != null || process == null || !process.isAlive()) {
            throw new AssertionError("child pipeline is not running (" + fatal.get() + "); log tail:\n" + logTail());
        }
    }

    /** SIGKILL, as a crash would, and waits until the process is gone. */
    synchronized void kill() {
        checkAlive();
        process.destroyForcibly();
        waitFor(process);
        state.set("KILLED");
    }

    int starts() {
        return starts;
    }

    private static void waitFor(Process p) {
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("child JVM " + p.pid() + " did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM (clean shutdown), then SIGKILL if it does not exit in time. */
    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    waitFor(process);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
