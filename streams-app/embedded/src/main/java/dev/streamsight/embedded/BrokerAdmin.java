package dev.streamsight.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

/** Short-lived {@link Admin} calls against a broker: readiness polling and topic creation. */
final class BrokerAdmin {

    private static final long POLL_MS = 100;

    private BrokerAdmin() {
    }

    static Admin open(String bootstrapServers) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "streamsight-embedded-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 250));
    }

    /**
     * Waits until the broker answers DescribeCluster with itself as an unfenced broker.
     *
     * @param stillStarting false when the broker is known to have died; the wait then ends early
     * @return false if the timeout passed or {@code stillStarting} turned false
     */
    static boolean awaitReady(String bootstrapServers, Duration timeout, BooleanSupplier stillStarting)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Plain TCP first: an Admin client logs a warning for every refused connection.
        if (!awaitPortOpen(bootstrapServers, deadline, stillStarting)) {
            return false;
        }
        try (Admin admin = open(bootstrapServers)) {
            while (stillStarting.getAsBoolean()) {
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0) {
                    return false;
                }
                try {
                    Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions()
                                    .timeoutMs((int) Math.min(leftMs, 1_000)))
                            .nodes().get(leftMs, TimeUnit.MILLISECONDS);
                    if (!nodes.isEmpty()) {
                        return true;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not up yet
                }
                Thread.sleep(POLL_MS);
            }
            return false;
        }
    }

    private static boolean awaitPortOpen(String hostPort, long deadline, BooleanSupplier stillStarting)
            throws InterruptedException {
        int colon = hostPort.lastIndexOf(':');
        InetSocketAddress address =
                new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        while (stillStarting.getAsBoolean() && System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(address, 500);
                return true;
            } catch (IOException e) {
                Thread.sleep(POLL_MS / 2);
            }
        }
        return false;
    }

    /**
     * Creates the topics (an existing topic of the same name is not an error) and waits until
     * every partition has a leader, so producers can send at once.
     */
    static void createTopics(String bootstrapServers, Collection<NewTopic> topics, Duration timeout) {
        if (topics.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = open(bootstrapServers)) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(leftMs(deadline), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new EmbeddedKafkaException("Cannot create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
            List<String> names = new ArrayList<>();
            topics.forEach(t -> names.add(t.name()));
            while (!allPartitionsLed(admin, names, deadline)) {
                Thread.sleep(POLL_MS);
            }
        } catch (TimeoutException e) {
            throw new EmbeddedKafkaException("Topics not ready within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while creating topics", e);
        }
    }

    private static boolean allPartitionsLed(Admin admin, List<String> names, long deadline)
            throws TimeoutException, InterruptedException {
        try {
            Map<String, TopicDescription> descriptions =
                    admin.describeTopics(names).allTopicNames().get(leftMs(deadline), TimeUnit.MILLISECONDS);
            for (TopicDescription d : descriptions.values()) {
                for (TopicPartitionInfo p : d.partitions()) {
                    if (p.leader() == null || p.leader().isEmpty()) {
                        return false;
                    }
                }
            }
            return true;
        } catch (ExecutionException e) {
            leftMs(deadline); // metadata not propagated yet: retry until the deadline
            return false;
        }
    }

    private static long leftMs(long deadline) throws TimeoutException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new TimeoutException();
        }
        return left;
    }
}
