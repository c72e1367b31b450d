package dev.streamsight.topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The largest record each topic the pipeline writes will take, so that a record too large for its
 * topic is known before it reaches the producer: under exactly_once_v2 a record the producer or the
 * broker refuses aborts the whole transaction, and the same input would fail again after every
 * retry.
 *
 * <p>A topic's limit is the least of its {@code max.message.bytes} (the broker's
 * {@code message.max.bytes}, or Kafka Streams' {@code topic.max.message.bytes}, for a changelog not
 * created yet) and the producer's {@code max.request.size} and {@code buffer.memory}. They are read
 * once at start ({@link #discover}); a refusal by the broker afterwards (the topic's limit was
 * lowered) lowers the topic's limit here below the refused size ({@link #refused}), and the next
 * look-up of that topic's limit, on a stream thread, reads it from the broker again, so that retried
 * records, and the next ones, are caught before they are sent. Record sizes are counted as Kafka does
 * for a batch of one uncompressed record, rounded up ({@link #recordSize}).
 *
 * <p>One instance per application instance, handed to the topology and the production exception
 * handler under {@value #CONFIG} in the Kafka Streams properties. Thread-safe.
 */
public final class RecordSizeLimits {
    /** The Kafka Streams property that carries the instance. */
    public static final String CONFIG = "streamsight.record.size.limits";

    /** A record batch's header ({@code DefaultRecordBatch.RECORD_BATCH_OVERHEAD}). */
    private static final int BATCH_OVERHEAD = 61;
    /** A record's length, attributes, timestamp and offset deltas at their longest varint encodings. */
    private static final int RECORD_OVERHEAD = 5 + 1 + 10 + 5;
    private static final int VARINT = 5;
    private static final long TIMEOUT_S = 30;
    private static final Logger LOG = LoggerFactory.getLogger(RecordSizeLimits.class);

    private final long producerLimit;
    private final long otherTopics;
    private final Map<String, Long> topics;
    /** Admin client configuration to read a refusing topic's limit again; null: never. */
    private final Map<String, Object> adminProps;
    private final Set<String> stale = ConcurrentHashMap.newKeySet();

    RecordSizeLimits(long producerLimit, long otherTopics, Map<String, Long> topics) {
        this(producerLimit, otherTopics, topics, null);
    }

    private RecordSizeLimits(long producerLimit, long otherTopics, Map<String, Long> topics,
            Map<String, Object> adminProps) {
        this.producerLimit = producerLimit;
        this.otherTopics = otherTopics;
        this.topics = new ConcurrentHashMap<>(topics);
        this.adminProps = adminProps == null ? null : Map.copyOf(adminProps);
    }

    /** No limits known (yet): only what a broker refuses is learnt (tests without a broker). */
    public static RecordSizeLimits unlimited() {
        return new RecordSizeLimits(Long.MAX_VALUE, Long.MAX_VALUE, Map.of());
    }

    /** The instance in a Kafka Streams configuration, or a new {@link #unlimited()} one. */
    static RecordSizeLimits from(Map<String, ?> config) {
        return config.get(CONFIG) instanceof RecordSizeLimits l ? l : unlimited();
    }

    /**
     * Reads the limits of {@code topics} from the cluster. A topic that does not exist yet (a
     * changelog Kafka Streams creates) gets {@code topic.max.message.bytes} when set, else the
     * broker's default. When the configurations cannot be read (no describe permission), the
     * producer's limits alone apply, with a warning.
     *
     * @param adminProps the configuration of {@code admin}, to read a topic's limit again after a refusal
     * @param props the Kafka Streams properties (producer keys with or without {@code producer.})
     */
    public static RecordSizeLimits discover(Admin admin, Map<String, Object> adminProps, Collection<String> topics,
            Map<String, ?> props) {
        long producer = Math.min(producerLong(props, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576),
                producerLong(props, ProducerConfig.BUFFER_MEMORY_CONFIG, 33_554_432));
        long otherTopics;
        Map<String, Long> known = new java.util.HashMap<>();
        try {
            Object streamsTopicLimit = props.get(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG));
            otherTopics = streamsTopicLimit != null ? Long.parseLong(streamsTopicLimit.toString().trim())
                    : brokerDefault(admin);
            List<ConfigResource> resources = new ArrayList<>();
            for (String t : topics) {
                resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t));
            }
            for (var e : admin.describeConfigs(resources).values().entrySet()) {
                try {
                    Config c = e.getValue().get(TIMEOUT_S, TimeUnit.SECONDS);
                    ConfigEntry max = c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                    if (max != null && max.value() != null) {
                        known.put(e.getKey().name(), Long.parseLong(max.value()));
                    }
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw ex;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("cannot read the topics' max.message.bytes ({}); records are checked against the producer's"
                    + " limit ({} bytes) only", e instanceof ExecutionException ? e.getCause() : e, producer);
            return new RecordSizeLimits(producer, Long.MAX_VALUE, Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading topic configurations", e);
        }
        return new RecordSizeLimits(producer, otherTopics, known, adminProps);
    }

    /** The topic's {@code max.message.bytes} as the broker says now. */
    private static long topicLimit(Admin admin, String topic) throws ExecutionException, TimeoutException,
            InterruptedException {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return Long.parseLong(admin.describeConfigs(List.of(r)).all().get(TIMEOUT_S, TimeUnit.SECONDS).get(r)
                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
    }

    private static long brokerDefault(Admin admin) throws ExecutionException, TimeoutException,
            InterruptedException {
        var nodes = admin.describeCluster().nodes().get(TIMEOUT_S, TimeUnit.SECONDS);
        if (nodes.isEmpty()) {
            return Long.MAX_VALUE;
        }
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, nodes.iterator().next().idString());
        ConfigEntry e = admin.describeConfigs(List.of(broker)).all().get(TIMEOUT_S, TimeUnit.SECONDS).get(broker)
                .get("message.max.bytes");
        return e == null || e.value() == null ? Long.MAX_VALUE : Long.parseLong(e.value());
    }

    private static long producerLong(Map<String, ?> props, String key, long kafkaDefault) {
        Object v = Optional.<Object>ofNullable(props.get(StreamsConfig.producerPrefix(key))).orElse(props.get(key));
        return v == null ? kafkaDefault : Long.parseLong(v.toString().trim());
    }

    /**
     * The largest record {@code topic} takes, as {@link #recordSize} counts it. After the topic refused
     * a record, the first call reads its limit from the broker (blocking, on the stream thread).
     */
    public long limit(String topic) {
        if (!stale.isEmpty() && stale.remove(topic)) {
            reread(topic);
        }
        return Math.min(producerLimit, topics.getOrDefault(topic, otherTopics));
    }

    private void reread(String topic) {
        try (Admin admin = Admin.create(adminProps)) {
            long max = topicLimit(admin, topic);
            topics.put(topic, max);
            LOG.warn("topic {} takes records of up to {} bytes now (max.message.bytes)", topic, max);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("cannot read the max.message.bytes of {} again ({}); keeping {} bytes", topic,
                    e instanceof ExecutionException ? e.getCause() : e, topics.get(topic));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether any limit is known (else checking sizes is pointless). */
    boolean known() {
        return producerLimit != Long.MAX_VALUE || otherTopics != Long.MAX_VALUE || !topics.isEmpty();
    }

    /**
     * Records that {@code topic} refused a record of {@code recordSize} bytes ({@link #recordSize}):
     * its limit is below that.
     */
    void refused(String topic, long recordSize) {
        topics.merge(topic, recordSize - 1, Math::min);
        if (adminProps != null) {
            stale.add(topic); // read on a stream thread, not on the producer's, which calls this
        }
        LOG.warn("topic {} refused a record of {} bytes: its limit is below that", topic, recordSize);
    }

    /**
     * An upper bound of the size of a batch holding only this record, as the producer
     * ({@code max.request.size}) and the broker ({@code max.message.bytes}) count it, without
     * compression.
     */
    static long recordSize(long keyBytes, long valueBytes, Headers headers) {
        long size = BATCH_OVERHEAD + RECORD_OVERHEAD + VARINT + keyBytes + VARINT + valueBytes + VARINT;
        if (headers != null) {
            for (Header h : headers) {
                size += VARINT + h.key().getBytes(StandardCharsets.UTF_8).length + VARINT
                        + (h.value() == null ? 0 : h.value().length);
            }
        }
        return size;
    }

    /** {@code topic: limit} for each of {@code topics}, for the log. */
    String describe(Collection<String> topics) {
        return topics.stream().map(t -> t + " " + (limit(t) == Long.MAX_VALUE ? "unknown" : limit(t) + " bytes"))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return "RecordSizeLimits[producer " + producerLimit + ", topics " + topics + ", others " + otherTopics + "]";
    }
}
