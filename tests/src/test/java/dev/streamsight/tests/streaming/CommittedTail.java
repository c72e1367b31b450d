package dev.streamsight.tests.streaming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A read_committed consumer of whole topics (every partition, from the beginning, no group) on its
 * own daemon thread, handing each record to a callback as it arrives: for tests that time outputs
 * while the application runs. Lifecycle: {@link #start}, then {@link #close()}, which stops it
 * between polls (an interrupt would also break the consumer's close). The callback runs on the
 * reader's thread.
 */
final class CommittedTail implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    private CommittedTail(String name, String bootstrap, List<String> topics, int partitions,
            Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        thread = new Thread(() -> {
            Map<String, Object> p = new HashMap<>();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> tps = new ArrayList<>();
                for (String topic : topics) {
                    for (int i = 0; i < partitions; i++) {
                        tps.add(new TopicPartition(topic, i));
                    }
                }
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                while (!stop.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        onRecord.accept(r);
                    }
                }
            }
        }, name);
        thread.setDaemon(true);
    }

    static CommittedTail start(String name, String bootstrap, List<String> topics, int partitions,
            Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        CommittedTail tail = new CommittedTail(name, bootstrap, topics, partitions, onRecord);
        tail.thread.start();
        return tail;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(15_000);
    }
}
