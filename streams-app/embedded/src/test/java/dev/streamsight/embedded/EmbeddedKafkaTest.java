package dev.streamsight.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real in-process broker: produce/consume, transactions, exactly-once offsets, loopback-only binding, close. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmbeddedKafkaTest {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
        System.out.println("in-process broker startup: " + kafka.startupTime().toMillis() + " ms");
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void producedRecordsAreReadBackByAGroupConsumerWithReadCommitted() throws Exception {
        kafka.createTopics(2, "plain");
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            TopicDescription d = admin.describeTopics(List.of("plain")).allTopicNames().get().get("plain");
            assertEquals(2, d.partitions().size());
        }
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer(kafka.bootstrapServers(), null)) {
            for (int i = 0; i < 10; i++) {
                sent.add("v" + i);
                producer.send(new ProducerRecord<>("plain", i % 2, "k" + i, "v" + i)).get(20, TimeUnit.SECONDS);
            }
        }

        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "embedded-test-group");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("plain"));
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (read.size() < sent.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    assertEquals(Integer.parseInt(r.value().substring(1)) % 2, r.partition());
                    read.add(r.value());
                }
            }
            consumer.commitSync(Duration.ofSeconds(20)); // the offsets topic works with RF 1
        }
        assertEquals(sent.stream().sorted().toList(), read.stream().sorted().toList());
    }

    @Test
    void onlyCommittedTransactionsAreVisibleToReadCommitted() throws Exception {
        kafka.createTopics(1, "tx");
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer(kafka.bootstrapServers(), "tx-test")) {
            producer.initTransactions();
            producer.beginTransaction();
            for (String v : List.of("a1", "a2", "a3")) {
                producer.send(new ProducerRecord<>("tx", v, v));
            }
            producer.commitTransaction();

            producer.beginTransaction();
            for (String v : List.of("b1", "b2")) {
                producer.send(new ProducerRecord<>("tx", v, v));
            }
            producer.flush(); // the aborted records really reach the log
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "c1", "c1"));
            producer.commitTransaction();
        }

        List<String> committed = KafkaTestClients.values(KafkaTestClients.readFromBeginning(
                kafka.bootstrapServers(), "tx", 1, "read_committed", v -> v.contains("c1"), READ_TIMEOUT));
        assertEquals(List.of("a1", "a2", "a3", "c1"), committed);

        List<String> uncommitted = KafkaTestClients.values(KafkaTestClients.readFromBeginning(
                kafka.bootstrapServers(), "tx", 1, "read_uncommitted", v -> v.contains("c1"), READ_TIMEOUT));
        assertEquals(List.of("a1", "a2", "a3", "b1", "b2", "c1"), uncommitted);
    }

    @Test
    void consumeTransformProduceCommitsOffsetsInTheTransaction() throws Exception {
        kafka.createTopics(1, "eos-in", "eos-out");
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer(kafka.bootstrapServers(), null)) {
            for (String v : List.of("x", "y", "z")) {
                producer.send(new ProducerRecord<>("eos-in", v, v)).get(20, TimeUnit.SECONDS);
            }
        }
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "eos-group");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition in = new TopicPartition("eos-in", 0);
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
             KafkaProducer<String, String> producer = KafkaTestClients.producer(kafka.bootstrapServers(), "eos-tx")) {
            producer.initTransactions();
            consumer.subscribe(List.of("eos-in"));
            List<String> read = new ArrayList<>();
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (read.size() < 3 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
            }
            assertEquals(List.of("x", "y", "z"), read);
            producer.beginTransaction();
            read.forEach(v -> producer.send(new ProducerRecord<>("eos-out", v, v.toUpperCase())));
            producer.sendOffsetsToTransaction(Map.of(in, new OffsetAndMetadata(consumer.position(in))),
                    consumer.groupMetadata());
            producer.commitTransaction();
        }
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("eos-group")
                    .partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
            assertEquals(3L, committed.get(in).offset());
        }
        List<String> out = KafkaTestClients.values(KafkaTestClients.readFromBeginning(
                kafka.bootstrapServers(), "eos-out", 1, "read_committed", v -> v.size() >= 3, READ_TIMEOUT));
        assertEquals(List.of("X", "Y", "Z"), out);
    }

    @Test
    void listensOnLoopback127001Only() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", kafka.brokerPort()), 2_000);
            assertTrue(s.isConnected());
        }
        // A wildcard (0.0.0.0) listener would accept on any local address, 127.0.0.2 included.
        for (int port : new int[] {kafka.brokerPort(), kafka.controllerPort()}) {
            try (Socket s = new Socket()) {
                assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress("127.0.0.2", port), 2_000));
            }
        }
        assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"));
    }

    @Test
    void overridesApplyAndCloseDeletesTheDirectoryAndFreesThePort() throws Exception {
        EmbeddedKafka other = EmbeddedKafka.builder()
                .brokerProperty("auto.create.topics.enable", "false")
                .brokerProperty("log.retention.hours", "1")
                .shutdownHook(false)
                .start();
        Path dir = other.directory();
        int port = other.brokerPort();
        try (Admin admin = Admin.create(other.clientProperties())) {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            var config = admin.describeConfigs(List.of(broker)).all().get(20, TimeUnit.SECONDS).get(broker);
            assertEquals("false", config.get("auto.create.topics.enable").value());
            assertEquals("1", config.get("log.retention.hours").value());
            assertEquals("1", config.get("transaction.state.log.min.isr").value());
        }
        assertTrue(Files.isDirectory(dir.resolve("data")));
        other.close();
        other.close(); // idempotent
        assertFalse(other.isRunning());
        assertFalse(Files.exists(dir), "temporary directory deleted");
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
        }
        assertThrows(IllegalStateException.class, () -> other.createTopics(1, "late"));
    }
}
