package dev.streamsight.bench;

import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.embedded.KafkaBrokerProcess;
import dev.streamsight.serde.InProcessSchemaRegistry;
import java.util.Locale;
import java.util.Optional;

/**
 * The Kafka cluster and schema registry a streaming benchmark runs against: the ones configured,
 * or a single-node broker started for it, by default in a child JVM (so that the peak RSS measured
 * in this process is the application's own, not the broker's), and the in-process registry (a small
 * HTTP server). {@link #close()} stops what was started.
 */
public final class BenchCluster implements AutoCloseable {
    /** Where a broker started for the benchmark runs. */
    public enum BrokerMode {
        CHILD, IN_PROCESS;

        public static BrokerMode parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "child", "child-jvm", "process" -> CHILD;
                case "in-process", "inprocess", "embedded" -> IN_PROCESS;
                default -> throw new IllegalArgumentException("--broker must be child or in-process, got " + s);
            };
        }
    }

    private final String bootstrapServers;
    private final String registryUrl;
    private final String brokerDescription;
    private final boolean brokerInThisProcess;
    private final KafkaBrokerProcess child;
    private final EmbeddedKafka embedded;
    private final InProcessSchemaRegistry registry;

    private BenchCluster(String bootstrapServers, String registryUrl, String brokerDescription,
            boolean brokerInThisProcess, KafkaBrokerProcess child, EmbeddedKafka embedded,
            InProcessSchemaRegistry registry) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.brokerDescription = brokerDescription;
        this.brokerInThisProcess = brokerInThisProcess;
        this.child = child;
        this.embedded = embedded;
        this.registry = registry;
    }

    /** Uses {@code bootstrap} and {@code registry} where present, and starts the missing ones. */
    public static BenchCluster open(Optional<String> bootstrap, Optional<String> registryUrl, BrokerMode mode) {
        InProcessSchemaRegistry registry = registryUrl.isPresent() ? null : InProcessSchemaRegistry.start();
        try {
            if (bootstrap.isPresent()) {
                return new BenchCluster(bootstrap.get(), registryUrl.orElseGet(registry::url), "external",
                        false, null, null, registry);
            }
            if (mode == BrokerMode.CHILD) {
                KafkaBrokerProcess child = KafkaBrokerProcess.builder().classpath(absoluteClassPath()).start();
                return new BenchCluster(child.bootstrapServers(), registryUrl.orElseGet(registry::url),
                        "child JVM (pid " + child.pid() + ")", false, child, null, registry);
            }
            EmbeddedKafka embedded = EmbeddedKafka.start();
            return new BenchCluster(embedded.bootstrapServers(), registryUrl.orElseGet(registry::url),
                    "in-process", true, null, embedded, registry);
        } catch (RuntimeException e) {
            if (registry != null) {
                registry.close();
            }
            throw e;
        }
    }

    /** This JVM's class path with absolute entries: the child runs in its own directory. */
    static String absoluteClassPath() {
        String cp = System.getProperty("java.class.path");
        return java.util.Arrays.stream(cp.split(java.io.File.pathSeparator)).filter(e -> !e.isEmpty())
                .map(e -> java.nio.file.Path.of(e).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registryUrl;
    }

    /** {@code external}, {@code child JVM (pid N)} or {@code in-process}. */
    public String brokerDescription() {
        return brokerDescription;
    }

    /** Whether the broker's memory counts in this process's RSS. */
    public boolean brokerInThisProcess() {
        return brokerInThisProcess;
    }

    /** Whether the registry runs in this process. */
    public boolean registryInThisProcess() {
        return registry != null;
    }

    @Override
    public void close() {
        try {
            if (child != null) {
                child.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        } finally {
            if (registry != null) {
                registry.close();
            }
        }
    }
}
