package dev.streamsight.cli;

import dev.streamsight.serde.AvroSerde;
import dev.streamsight.serde.AvroSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads result and dead-letter topics for {@code tail} and {@code demo}: a {@code read_committed}
 * consumer without a group, assigned every partition of the topics, values read by the generic
 * Avro deserializer. A value that cannot be deserialized becomes an {@link Item} with an error and
 * the reader moves past it. Not thread-safe (a Kafka consumer).
 */
final class OutputReader implements AutoCloseable {
    /** One record: its position and value, or the deserialization error. */
    record Item(String topic, int partition, long offset, String key, Object value, Exception error) {
    }

    private final KafkaConsumer<String, Object> consumer;
    private final AvroSerde<Object> serde;
    private final List<TopicPartition> partitions = new ArrayList<>();

    /**
     * @param waitForTopics how long to wait for a topic that does not exist yet (a pipeline that is
     *     starting creates its output topics)
     * @throws IllegalArgumentException when a topic still does not exist after that
     */
    OutputReader(Map<String, Object> clientProperties, List<String> topics, Duration waitForTopics) {
        Map<String, Object> props = new LinkedHashMap<>(clientProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // reading never creates a topic
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.serde = AvroSerdes.generic(clientProperties, false);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), serde.deserializer());
        try {
            long deadline = System.nanoTime() + waitForTopics.toNanos();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                while ((infos == null || infos.isEmpty()) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                }
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalArgumentException("topic " + topic + " does not exist");
                }
                infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while waiting for topics " + topics, e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Reads from the start of every partition. */
    void fromBeginning() {
        consumer.seekToBeginning(partitions);
        partitions.forEach(consumer::position);
    }

    /** Reads only what is written from now on (the end offsets are fixed at this call). */
    void fromEnd() {
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** The current end offsets (last stable offsets: read_committed) of every assigned partition. */
    Map<TopicPartition, Long> endOffsets() {
        return consumer.endOffsets(partitions, Duration.ofSeconds(30));
    }

    /** Whether the reader's position has reached {@code end} on every partition. */
    boolean reached(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** Polls once; records in partition order. */
    List<Item> poll(Duration timeout) {
        List<Item> items = new ArrayList<>();
        try {
            for (ConsumerRecord<String, Object> r : consumer.poll(timeout)) {
                items.add(new Item(r.topic(), r.partition(), r.offset(), r.key(), r.value(), null));
            }
        } catch (RecordDeserializationException e) {
            TopicPartition tp = e.topicPartition();
            items.add(new Item(tp.topic(), tp.partition(), e.offset(), null, null, e));
            consumer.seek(tp, e.offset() + 1);
        }
        return items;
    }

    @Override
    public void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        serde.close();
    }
}
