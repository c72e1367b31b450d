package dev.streamsight.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster (KRaft broker and controller in one process) running as a
 * <em>child JVM</em>, for tests that kill or restart the broker.
 *
 * <p><b>Lifecycle.</b> {@link Builder#build()} fixes the ports (free ones on {@code 127.0.0.1}
 * unless given), creates the directory, writes {@code server.properties} and formats the storage
 * with Kafka's {@code StorageTool} in this JVM. {@link #start()} launches the current {@code java}
 * binary with the current class path ({@code java.class.path}) running {@code kafka.Kafka} (through
 * {@link ChildBrokerMain}, which also stops the child when this JVM dies) and waits until the
 * broker answers an Admin {@code DescribeCluster}. {@link #stop()} sends SIGTERM and waits for a
 * clean shutdown; {@link #kill()} sends SIGKILL; {@link #restart()} stops if needed and starts again
 * on the <em>same</em> ports and data directory, so committed data survives. {@link #close()} stops
 * the child and deletes a temporary directory; it is idempotent. The child's standard output and
 * error are appended to {@link #logFile()}, whose path every startup failure reports.
 *
 * <p><b>Threading.</b> Lifecycle methods are synchronized: one state change at a time.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerProcess.class);
    private static final int LOG_TAIL_LINES = 40;

    private final BrokerLayout layout;
    private final int brokerPort;
    private final int controllerPort;
    private final List<String> command;
    private final Duration startupTimeout;
    private final Duration stopTimeout;
    private final Duration adminTimeout;
    private final Thread shutdownHook;
    private Process process; // guarded by this
    private Duration lastStartupTime; // guarded by this
    private int starts; // guarded by this
    private boolean closed; // guarded by this

    private KafkaBrokerProcess(Builder b, BrokerLayout layout, int brokerPort, int controllerPort,
                               List<String> command) {
        this.layout = layout;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.command = List.copyOf(command);
        this.startupTimeout = b.startupTimeout;
        this.stopTimeout = b.stopTimeout;
        this.adminTimeout = b.adminTimeout;
        this.shutdownHook = new Thread(this::killForShutdown, "streamsight-kafka-process-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the child JVM and waits until the broker is ready. Does nothing if it is running.
     *
     * @return this
     * @throws EmbeddedKafkaException if the child exits or is not ready within the startup
     *     timeout; the message names the log file and quotes its last lines
     */
    public synchronized KafkaBrokerProcess start() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        if (process != null && process.isAlive()) {
            return this;
        }
        long t0 = System.nanoTime();
        starts++;
        appendToLog("==== streamsight: start #" + starts + " at " + Instant.now()
                + (starts == 1 ? ": " + String.join(" ", command) : ""));
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .directory(layout.root().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.consoleLog().toFile()))
                    .start(); // stdin stays a pipe: its end of file tells the child we are gone
        } catch (IOException e) {
            throw new EmbeddedKafkaException("Cannot launch the broker JVM: " + command.getFirst(), e);
        }
        process = p;
        boolean ready;
        try {
            ready = BrokerAdmin.awaitReady(bootstrapServers(), startupTimeout, p::isAlive);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroyAndWait(p, true);
            throw new EmbeddedKafkaException("Interrupted while starting the broker JVM", e);
        }
        if (!ready) {
            String why = p.isAlive() ? "not ready within " + startupTimeout : "exited with code " + exitCode(p);
            destroyAndWait(p, true);
            throw new EmbeddedKafkaException("Kafka broker JVM on " + bootstrapServers() + " " + why
                    + "; log: " + layout.consoleLog() + "\n" + logTail());
        }
        lastStartupTime = Duration.ofNanos(System.nanoTime() - t0);
        LOG.info("Kafka broker JVM (pid {}) ready on {} in {} ms", p.pid(), bootstrapServers(),
                lastStartupTime.toMillis());
        return this;
    }

    /**
     * Stops the broker cleanly: SIGTERM, then waits for the JVM to exit (SIGKILL after the stop
     * timeout). Does nothing if it is not running.
     */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            long t0 = System.nanoTime();
            destroyAndWait(process, false);
            LOG.info("Kafka broker JVM on {} stopped in {} ms (exit code {})", bootstrapServers(),
                    (System.nanoTime() - t0) / 1_000_000, exitCode(process));
        }
    }

    /** Kills the broker JVM with SIGKILL, as a crash would, and waits until it is gone. */
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            destroyAndWait(process, true);
            LOG.info("Kafka broker JVM on {} killed", bootstrapServers());
        }
    }

    /** Stops the broker if it runs (cleanly), then starts it again on the same ports and data. */
    public synchronized KafkaBrokerProcess restart() {
        stop();
        return start();
    }

    /** Whether the child JVM is running. */
    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The child's process id, while one was started. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("not started");
        }
        return process.pid();
    }

    /** The bootstrap servers for clients: {@code 127.0.0.1:<broker port>}; stable across restarts. */
    public String bootstrapServers() {
        return FreePorts.LOOPBACK_HOST + ":" + brokerPort;
    }

    /** The broker (PLAINTEXT) port on {@code 127.0.0.1}. */
    public int brokerPort() {
        return brokerPort;
    }

    /** The KRaft controller port on {@code 127.0.0.1}. */
    public int controllerPort() {
        return controllerPort;
    }

    /** The directory holding {@code server.properties}, {@code data/} and {@code broker.log}. */
    public Path directory() {
        return layout.root();
    }

    /** The file the child's standard output and error are appended to. */
    public Path logFile() {
        return layout.consoleLog();
    }

    /** The command line that launches the child. */
    public List<String> command() {
        return command;
    }

    /** How long the last {@link #start()} took until the broker was ready, or null. */
    public synchronized Duration lastStartupTime() {
        return lastStartupTime;
    }

    /** A new mutable map with {@code bootstrap.servers} set, to build client configurations on. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** Creates topics with the given partition count and replication factor 1 (existing ones are kept). */
    public void createTopics(int partitions, String... names) {
        createTopics(Arrays.stream(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList());
    }

    /** Creates the topics (existing ones are kept) and waits until every partition has a leader. */
    public void createTopics(Collection<NewTopic> topics) {
        BrokerAdmin.createTopics(bootstrapServers(), topics, adminTimeout);
    }

    /** Stops the broker (SIGTERM, then SIGKILL after the stop timeout) and deletes a temporary directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down; the hook kills the child
        }
        stop();
        layout.delete();
    }

    /** Like {@link #close()} but keeps the directory, for a failed start whose log the caller reads. */
    synchronized void abandon() {
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down
        }
        kill();
    }

    @Override
    public String toString() {
        return "KafkaBrokerProcess[" + bootstrapServers() + ", " + layout.root() + "]";
    }

    private void killForShutdown() {
        // Runs in a JVM shutdown hook: no lock (a lifecycle call may hold it), just SIGKILL.
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
        }
        layout.delete();
    }

    private void destroyAndWait(Process p, boolean forcibly) {
        if (forcibly) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        try {
            if (!p.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Kafka broker JVM (pid {}) still running after {}; killing it", p.pid(), stopTimeout);
                p.destroyForcibly();
                p.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String exitCode(Process p) {
        return p.isAlive() ? "(running)" : Integer.toString(p.exitValue());
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(layout.consoleLog(), line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + layout.consoleLog(), e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(layout.consoleLog(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + layout.consoleLog() + ": " + e + ")";
        }
    }

    /**
     * Settings for a {@link KafkaBrokerProcess}. Not thread-safe. {@link #build()} prepares a broker
     * without starting it; {@link #start()} builds and starts it.
     */
    public static final class Builder {
        private int brokerPort;
        private int controllerPort;
        private Path directory;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>(Map.of(
                // After SIGKILL the controller keeps the dead broker's registration until its
                // session expires, and rejects the restarted broker (DUPLICATE_BROKER_REGISTRATION)
                // until then: 9 s by default. A shorter session makes a restart take ~3-5 s.
                "broker.session.timeout.ms", "3000",
                "broker.heartbeat.interval.ms", "500"));
        private Path javaBinary = Path.of(System.getProperty("java.home"), "bin", "java");
        private String classpath = System.getProperty("java.class.path");
        private final List<String> jvmArgs = new ArrayList<>(List.of(
                "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                // Java 24+: quiet the JNI (zstd, snappy) and sun.misc.Unsafe (kafka-clients'
                // ByteBufferUnmapper) warnings; both work as before.
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                // The child's log is a file: keep Kafka's INFO lines there, whether slf4j-simple or Logback
                // (the application's binding, on the class path of the tests that use it) is the binding.
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dlogback.configurationFile=dev/streamsight/embedded/broker-logback.xml"));
        private Duration startupTimeout = Duration.ofSeconds(60);
        private Duration stopTimeout = Duration.ofSeconds(30);
        private Duration adminTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** A fixed broker (PLAINTEXT) port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder brokerPort(int port) {
            this.brokerPort = EmbeddedKafka.checkPort(port);
            return this;
        }

        /** A fixed controller port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder controllerPort(int port) {
            this.controllerPort = EmbeddedKafka.checkPort(port);
            return this;
        }

        /**
         * The directory for {@code server.properties}, the data ({@code data/}) and the child's log
         * ({@code broker.log}); created if missing, reused if formatted, kept on close. Default: a
         * fresh temporary directory, deleted on close.
         */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** One broker property, overriding the default. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Broker properties, overriding the defaults. */
        public Builder brokerProperties(Map<String, String> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        /** The {@code java} binary for the child (default: this JVM's). */
        public Builder javaBinary(Path java) {
            this.javaBinary = Objects.requireNonNull(java, "java");
            return this;
        }

        /** The child's class path (default: {@code java.class.path}); it must hold kafka_2.13 and this module. */
        public Builder classpath(String classpath) {
            this.classpath = Objects.requireNonNull(classpath, "classpath");
            return this;
        }

        /** Adds a JVM option for the child (after the defaults, so it wins where options repeat). */
        public Builder jvmArg(String arg) {
            jvmArgs.add(Objects.requireNonNull(arg, "arg"));
            return this;
        }

        /** How long to wait for the broker to become ready (default 60 s). */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = EmbeddedKafka.positive(timeout);
            return this;
        }

        /** How long a clean stop may take before SIGKILL (default 30 s). */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = EmbeddedKafka.positive(timeout);
            return this;
        }

        /** How long {@code createTopics} may take (default 30 s). */
        public Builder adminTimeout(Duration timeout) {
            this.adminTimeout = EmbeddedKafka.positive(timeout);
            return this;
        }

        /** Fixes the ports, writes the configuration and formats the storage; does not start. */
        public KafkaBrokerProcess build() {
            int[] free = FreePorts.freePorts(2);
            int bPort = brokerPort != 0 ? brokerPort : free[0];
            int cPort = controllerPort != 0 ? controllerPort : free[1];
            if (bPort == cPort) {
                throw new IllegalArgumentException("broker and controller ports must differ: " + bPort);
            }
            BrokerLayout layout = BrokerLayout.create(directory);
            try {
                Map<String, String> config =
                        ServerProperties.build(bPort, cPort, layout.dataDir(), brokerProperties);
                ServerProperties.write(config, layout.serverProperties());
                StorageFormatter.format(layout.serverProperties());
            } catch (RuntimeException e) {
                layout.delete();
                throw e;
            }
            List<String> cmd = new ArrayList<>();
            cmd.add(javaBinary.toString());
            cmd.addAll(jvmArgs);
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.add(ChildBrokerMain.class.getName());
            cmd.add(layout.serverProperties().toString());
            return new KafkaBrokerProcess(this, layout, bPort, cPort, cmd);
        }

        /**
     * Builds and starts the broker; see {@link KafkaBrokerProcess#start()}. If the start fails the
     * child is killed and the directory is kept, so the log file named in the exception exists.
     */
        public KafkaBrokerProcess start() {
            KafkaBrokerProcess broker = build();
            try {
                return broker.start();
            } catch (RuntimeException e) {
                broker.abandon(); // keeps the directory: the exception names its log file
                throw e;
            }
        }
    }
}
