package dev.streamsight.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Free ports and the generated configuration, without a broker. */
class LoopbackConfigTest {

    @Test
    void freePortsAreDistinctAndBindableOnLoopback() throws IOException {
        int[] ports = FreePorts.freePorts(5);
        assertEquals(5, Arrays.stream(ports).distinct().count());
        for (int port : ports) {
            assertTrue(port > 0 && port < 65_536);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", port));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> FreePorts.freePorts(0));
    }

    @Test
    void configIsSingleNodeKraftOnLoopbackWithReplicationFactorOne() {
        Map<String, String> p = ServerProperties.build(19092, 19093, Path.of("/tmp/x/data"), Map.of());
        assertEquals("broker,controller", p.get("process.roles"));
        assertEquals("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093", p.get("listeners"));
        assertEquals("PLAINTEXT://127.0.0.1:19092", p.get("advertised.listeners"));
        assertEquals("1@127.0.0.1:19093", p.get("controller.quorum.voters"));
        assertEquals("1", p.get("transaction.state.log.replication.factor"));
        assertEquals("1", p.get("transaction.state.log.min.isr"));
        assertEquals("1", p.get("offsets.topic.replication.factor"));
        assertEquals("0", p.get("group.initial.rebalance.delay.ms"));
        assertEquals("/tmp/x/data", p.get("log.dirs"));
        assertTrue(p.values().stream().noneMatch(v -> v.contains("0.0.0.0")));
    }

    @Test
    void overridesWinButListenersMustStayOnLoopback() {
        Map<String, String> p = ServerProperties.build(1, 2, Path.of("d"), Map.of("num.partitions", "3"));
        assertEquals("3", p.get("num.partitions"));
        assertThrows(IllegalArgumentException.class, () -> ServerProperties.build(1, 2, Path.of("d"),
                Map.of("listeners", "PLAINTEXT://0.0.0.0:1,CONTROLLER://127.0.0.1:2")));
        assertThrows(IllegalArgumentException.class, () -> ServerProperties.build(1, 2, Path.of("d"),
                Map.of("advertised.listeners", "PLAINTEXT://localhost:1")));
        assertThrows(IllegalArgumentException.class, () -> ServerProperties.build(1, 2, Path.of("d"),
                Map.of("listeners", "PLAINTEXT://:1")));
    }

    @Test
    void builderRejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddedKafka.builder().brokerPort(70_000));
        assertThrows(IllegalArgumentException.class, () -> EmbeddedKafka.builder().brokerPort(5).controllerPort(5).start());
        assertThrows(IllegalArgumentException.class,
                () -> KafkaBrokerProcess.builder().startupTimeout(java.time.Duration.ZERO));
        assertNotEquals(FreePorts.freePort(), 0);
    }
}
