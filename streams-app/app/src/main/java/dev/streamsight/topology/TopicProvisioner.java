package dev.streamsight.topology;

import dev.streamsight.config.StreamsightConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline's missing topics at start: its input topics and every output topic
 * ({@link PipelineSettings#outputTopics()}). Partitions: {@code topics.partitions}, or the first
 * input topic's count when it exists, else 1 (output topics like their input, since results are
 * keyed by event id). Replication factor: {@code topics.replication.factor}, or min(3, brokers).
 * A topic created meanwhile by another instance is fine. Existing topics are never changed.
 * Used once, from the starting thread.
 */
final class TopicProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_S = 60;

    private TopicProvisioner() {
    }

    /** Returns the partition count of every pipeline topic after creating the missing ones. */
    static Map<String, Integer> ensure(Admin admin, StreamsightConfig config, PipelineSettings settings) {
        Set<String> all = new LinkedHashSet<>(settings.inputTopics());
        all.addAll(settings.outputTopics());
        Map<String, Integer> existing = describe(admin, all);
        List<String> missing = all.stream().filter(t -> !existing.containsKey(t)).toList();
        Map<String, Integer> result = new LinkedHashMap<>(existing);
        if (missing.isEmpty()) {
            return result;
        }
        if (!config.createTopics()) {
            LOG.warn("topics {} do not exist and {} is false: Kafka Streams will wait for them (inputs) or the"
                    + " broker must auto-create them (outputs)", missing, StreamsightConfig.TOPICS_CREATE);
            return result;
        }
        int partitions = config.topicPartitions()
                .orElseGet(() -> Optional.ofNullable(existing.get(settings.inputTopics().getFirst())).orElse(1));
        short replication = config.topicReplicationFactor().orElseGet(() -> (short) Math.min(3, brokers(admin)));
        List<NewTopic> topics = new ArrayList<>();
        for (String t : missing) {
            topics.add(new NewTopic(t, partitions, replication));
        }
        var created = admin.createTopics(topics);
        for (var e : created.values().entrySet()) {
            try {
                e.getValue().get(TIMEOUT_S, TimeUnit.SECONDS);
                LOG.info("created topic {} ({} partitions, replication factor {})", e.getKey(), partitions,
                        replication);
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + e.getKey() + ": "
                            + ex.getCause().getMessage(), ex.getCause());
                }
            } catch (TimeoutException ex) {
                throw new IllegalStateException("creating topic " + e.getKey() + " took over " + TIMEOUT_S + " s", ex);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topics", ex);
            }
        }
        result.putAll(describe(admin, missing));
        return result;
    }

    private static Map<String, Integer> describe(Admin admin, Set<String> topics) {
        return describe(admin, List.copyOf(topics));
    }

    private static Map<String, Integer> describe(Admin admin, List<String> topics) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (var e : admin.describeTopics(topics).topicNameValues().entrySet()) {
            try {
                TopicDescription d = e.getValue().get(TIMEOUT_S, TimeUnit.SECONDS);
                out.put(e.getKey(), d.partitions().size());
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("cannot describe topic " + e.getKey() + ": "
                            + ex.getCause().getMessage(), ex.getCause());
                }
            } catch (TimeoutException ex) {
                // A configuration problem, reported like one (exit 2, no stack trace).
                throw new IllegalArgumentException("bootstrap.servers: the Kafka cluster did not answer within "
                        + TIMEOUT_S + " s (describing topic " + e.getKey() + "); is the broker running and reachable?",
                        ex);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing topics", ex);
            }
        }
        return out;
    }

    private static int brokers(Admin admin) {
        try {
            return Math.max(1, admin.describeCluster().nodes().get(TIMEOUT_S, TimeUnit.SECONDS).size());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach the Kafka cluster: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the cluster", e);
        }
    }
}
