package dev.streamsight.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster running inside this JVM: one KRaft process that is both broker
 * and controller, listening on {@code 127.0.0.1} only.
 *
 * <p><b>Lifecycle.</b> {@link #start()} (or {@link Builder#start()}) picks free ports unless fixed
 * ones are given, writes {@code server.properties} into a fresh temporary directory (or the one
 * given), formats the storage with Kafka's {@code StorageTool}, starts {@code KafkaRaftServer} and
 * returns once the broker answers an Admin {@code DescribeCluster} as an unfenced broker (about
 * 2-3 s). {@link #close()} shuts the broker down, waits for it and deletes the temporary directory;
 * it is idempotent. Unless disabled, a JVM shutdown hook closes a broker that was never closed.
 *
 * <p><b>Configuration.</b> Replication factor 1 and min ISR 1 everywhere, including the
 * transaction state log, so transactional producers and Kafka Streams {@code exactly_once_v2}
 * work on this one broker. Extra broker properties override the defaults; listeners must stay on
 * {@code 127.0.0.1}.
 *
 * <p><b>Threading.</b> All methods are thread-safe. Kafka's own threads run in this JVM and stop
 * on {@link #close()}; a broker that hits a fatal error may, as a real broker does, end the JVM.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final BrokerLayout layout;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> brokerConfig;
    private final KafkaRaftServer server;
    private final Duration startupTime;
    private final Duration adminTimeout;
    private final Thread shutdownHook;
    private boolean closed; // guarded by this

    private EmbeddedKafka(BrokerLayout layout, int brokerPort, int controllerPort,
                          Map<String, String> brokerConfig, KafkaRaftServer server,
                          Duration startupTime, Duration adminTimeout, boolean hook) {
        this.layout = layout;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.brokerConfig = Map.copyOf(brokerConfig);
        this.server = server;
        this.startupTime = startupTime;
        this.adminTimeout = adminTimeout;
        this.shutdownHook = hook ? new Thread(this::close, "streamsight-embedded-kafka-shutdown") : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Starts a broker with the defaults: free ports, a temporary directory, a shutdown hook. */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    /** Returns a builder for a broker with overrides. */
    public static Builder builder() {
        return new Builder();
    }

    /** The bootstrap servers for clients: {@code 127.0.0.1:<broker port>}. */
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

    /** The directory holding {@code server.properties} and the data directory {@code data/}. */
    public Path directory() {
        return layout.root();
    }

    /** The broker configuration in effect (defaults plus overrides). */
    public Map<String, String> brokerConfig() {
        return brokerConfig;
    }

    /** How long formatting and starting took, until the broker was ready. */
    public Duration startupTime() {
        return startupTime;
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
    public void createTopics(NewTopic... topics) {
        createTopics(List.of(topics));
    }

    /** Creates the topics (existing ones are kept) and waits until every partition has a leader. */
    public void createTopics(Collection<NewTopic> topics) {
        checkOpen();
        BrokerAdmin.createTopics(bootstrapServers(), topics, adminTimeout);
    }

    /** Whether {@link #close()} has not been called yet. */
    public synchronized boolean isRunning() {
        return !closed;
    }

    /**
     * Shuts the broker down, waits until its threads have stopped and deletes the temporary
     * directory (a directory given to the builder is kept). Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeShutdownHook();
        long t0 = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Embedded Kafka on {} did not shut down cleanly", bootstrapServers(), e);
        } finally {
            layout.delete();
        }
        LOG.info("Embedded Kafka on {} stopped in {} ms", bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", " + layout.root() + "]";
    }

    private void removeShutdownHook() {
        if (shutdownHook == null || Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already; the hook may run and will find us closed
        }
    }

    private synchronized void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /**
     * Settings for an {@link EmbeddedKafka}. Not thread-safe; {@link #start()} may be called more
     * than once, each call starting its own broker (with its own free ports unless fixed).
     */
    public static final class Builder {
        private int brokerPort;
        private int controllerPort;
        private Path directory;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(60);
        private Duration adminTimeout = Duration.ofSeconds(30);
        private boolean shutdownHook = true;

        private Builder() {
        }

        /** A fixed broker (PLAINTEXT) port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder brokerPort(int port) {
            this.brokerPort = checkPort(port);
            return this;
        }

        /** A fixed controller port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder controllerPort(int port) {
            this.controllerPort = checkPort(port);
            return this;
        }

        /**
         * The directory for {@code server.properties} and the data ({@code data/}); it is created
         * if missing, reused if already formatted, and kept on close. Default: a fresh temporary
         * directory, deleted on close.
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

        /** How long to wait for the broker to become ready (default 60 s). */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = positive(timeout);
            return this;
        }

        /** How long {@code createTopics} may take (default 30 s). */
        public Builder adminTimeout(Duration timeout) {
            this.adminTimeout = positive(timeout);
            return this;
        }

        /** Whether a JVM shutdown hook closes the broker if it was never closed (default true). */
        public Builder shutdownHook(boolean enabled) {
            this.shutdownHook = enabled;
            return this;
        }

        /**
         * Formats the storage, starts the broker and waits until it is ready.
         *
         * @throws EmbeddedKafkaException if it does not start within the startup timeout
         */
        public EmbeddedKafka start() {
            long t0 = System.nanoTime();
            int[] free = FreePorts.freePorts(2);
            int bPort = brokerPort != 0 ? brokerPort : free[0];
            int cPort = controllerPort != 0 ? controllerPort : free[1];
            if (bPort == cPort) {
                throw new IllegalArgumentException("broker and controller ports must differ: " + bPort);
            }
            BrokerLayout layout = BrokerLayout.create(directory);
            KafkaRaftServer server = null;
            try {
                Map<String, String> config =
                        ServerProperties.build(bPort, cPort, layout.dataDir(), brokerProperties);
                ServerProperties.write(config, layout.serverProperties());
                StorageFormatter.format(layout.serverProperties());
                server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
                server.startup();
                String bootstrap = FreePorts.LOOPBACK_HOST + ":" + bPort;
                if (!BrokerAdmin.awaitReady(bootstrap, startupTimeout, () -> true)) {
                    throw new EmbeddedKafkaException("Embedded Kafka on " + bootstrap
                            + " not ready within " + startupTimeout + " (directory " + layout.root() + ")");
                }
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                LOG.info("Embedded Kafka started on {} in {} ms ({})", bootstrap, took.toMillis(), layout.root());
                return new EmbeddedKafka(layout, bPort, cPort, config, server, took, adminTimeout, shutdownHook);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                shutdownQuietly(server);
                layout.delete();
                throw new EmbeddedKafkaException("Interrupted while starting embedded Kafka", e);
            } catch (RuntimeException | Error e) {
                shutdownQuietly(server);
                layout.delete();
                if (e instanceof EmbeddedKafkaException || e instanceof Error) {
                    throw e;
                }
                throw new EmbeddedKafkaException("Embedded Kafka failed to start on 127.0.0.1:" + bPort, e);
            }
        }

        private static void shutdownQuietly(KafkaRaftServer server) {
            if (server == null) {
                return;
            }
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                LOG.debug("Shutdown after a failed start failed too", e);
            }
        }
    }

    static int checkPort(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return port;
    }

    static Duration positive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + d);
        }
        return d;
    }
}
