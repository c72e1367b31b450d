package dev.streamsight.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The configuration of a single-node KRaft cluster: one process that is both broker and controller,
 * every listener on {@code 127.0.0.1}, replication factor 1 everywhere (internal topics included,
 * so transactions and exactly-once work on one broker).
 */
final class ServerProperties {

    /** The node id of the single broker/controller. */
    static final int NODE_ID = 1;

    private ServerProperties() {
    }

    /**
     * Builds the properties; {@code overrides} win over the defaults, but listener addresses given
     * there are checked to stay on {@code 127.0.0.1}.
     */
    static Map<String, String> build(int brokerPort, int controllerPort, Path dataDir,
                                     Map<String, String> overrides) {
        String host = FreePorts.LOOPBACK_HOST;
        Map<String, String> p = new TreeMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.toAbsolutePath().toString());

        // One broker: every replication factor and min ISR is 1.
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");

        // Fast group joins and a small footprint for a test or demo broker.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");

        p.putAll(overrides);
        checkLoopbackOnly(p.get("listeners"), "listeners");
        checkLoopbackOnly(p.get("advertised.listeners"), "advertised.listeners");
        return p;
    }

    /** Writes the properties as a {@code server.properties} file. */
    static void write(Map<String, String> props, Path file) {
        Properties properties = new Properties();
        properties.putAll(props);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "Streamsight embedded single-node KRaft broker");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static void checkLoopbackOnly(String listeners, String key) {
        if (listeners == null) {
            return;
        }
        for (String listener : listeners.split(",")) {
            String l = listener.trim();
            int scheme = l.indexOf("://");
            int colon = l.lastIndexOf(':');
            String hostPart = scheme < 0 || colon <= scheme ? "" : l.substring(scheme + 3, colon);
            if (!hostPart.equals(FreePorts.LOOPBACK_HOST)) {
                throw new IllegalArgumentException(
                        key + " must bind " + FreePorts.LOOPBACK_HOST + " only, got: " + l);
            }
        }
    }
}
