package dev.streamsight.connect.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.connect.source.ImageDirectorySourceConnector;
import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.serde.AvroDeserializer;
import dev.streamsight.serde.InProcessSchemaRegistry;
import dev.streamsight.serde.SchemaRegistryClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source connector in a real standalone worker against a real broker and the in-process
 * registry, with the plugin's Avro converter: real photos dropped into directories become exactly one
 * ImageEvent each, read back with the streams app's deserializer, across a worker restart and with
 * two tasks sharing the directories.
 */
class ImageDirectorySourceIT {

    private static EmbeddedKafka kafka;
    private static InProcessSchemaRegistry registry;
    private static SchemaRegistryClient client;

    @TempDir
    Path work;

    @BeforeAll
    static void startCluster() throws Exception {
        SharedImages.photos();
        kafka = EmbeddedKafka.builder().shutdownHook(false).start();
        registry = InProcessSchemaRegistry.start();
        client = SchemaRegistryClient.create(Map.of("schema.registry.url", registry.url()));
    }

    @AfterAll
    static void stopCluster() {
        if (client != null) {
            client.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void hundredFilesThenRestartThenTwentyMoreWithoutDuplicates() throws Exception {
        String topic = "images-restart";
        kafka.createTopics(1, topic);
        Path watched = work.resolve("watched");
        Path offsets = work.resolve("connect.offsets");
        List<Path> first = SharedImages.drop(watched, "photo-", 0, 100);

        try (KafkaConsumer<String, byte[]> consumer = consumer(topic)) {
            List<ImageEvent> events;
            try (ConnectWorker worker = worker(offsets)) {
                worker.createConnector("images-source", sourceConfig(topic, 1, watched), 1);
                events = consume(consumer, 100, Duration.ofSeconds(60));
                events.addAll(consume(consumer, 1, Duration.ofSeconds(3)));
            }
            assertEquals(100, events.size(), "exactly one event per file");
            assertEvents(first, events);

            List<Path> second;
            try (ConnectWorker worker = worker(offsets)) {
                worker.createConnector("images-source", sourceConfig(topic, 1, watched), 1);
                second = SharedImages.drop(watched, "photo-", 100, 20);
                events = consume(consumer, 20, Duration.ofSeconds(60));
                events.addAll(consume(consumer, 1, Duration.ofSeconds(3)));
            }
            assertEquals(20, events.size(), "after the restart only the new files, none of the first 100 again");
            assertEvents(second, events);
        }
        assertTrue(client.getAllSubjects().contains(topic + "-value"));
    }

    @Test
    void twoTasksShareTheDirectoriesWithoutDuplicates() throws Exception {
        String topic = "images-two-tasks";
        kafka.createTopics(2, topic);
        Path a = work.resolve("a");
        Path b = work.resolve("b/nested");
        List<Path> files = new ArrayList<>(SharedImages.drop(a, "a-", 0, 30));
        files.addAll(SharedImages.drop(b, "b-", 30, 30));

        try (KafkaConsumer<String, byte[]> consumer = consumer(topic);
             ConnectWorker worker = worker(work.resolve("two.offsets"))) {
            Map<String, String> config = sourceConfig(topic, 2, a);
            config.put("directories", a + "," + work.resolve("b"));
            worker.createConnector("two-task-source", config, 2);
            List<ImageEvent> events = consume(consumer, 60, Duration.ofSeconds(60));
            events.addAll(consume(consumer, 1, Duration.ofSeconds(3)));
            assertEquals(60, events.size());
            assertEvents(files, events);
        }
    }

    private ConnectWorker worker(Path offsets) {
        return ConnectWorker.start(kafka.bootstrapServers(), offsets, Map.of(
                "value.converter", "dev.streamsight.connect.converter.AvroConverter",
                "value.converter.schema.registry.url", registry.url()));
    }

    private static Map<String, String> sourceConfig(String topic, int tasks, Path dir) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", ImageDirectorySourceConnector.class.getName());
        config.put("tasks.max", Integer.toString(tasks));
        config.put("topic", topic);
        config.put("directories", dir.toString());
        config.put("min.file.age.ms", "1000");
        config.put("poll.interval.ms", "200");
        return config;
    }

    /** Every file has exactly one event: URI, size, modification time and content-hash id match. */
    private static void assertEvents(List<Path> files, List<ImageEvent> events) throws Exception {
        Map<String, ImageEvent> byUri = new HashMap<>();
        for (ImageEvent event : events) {
            String uri = ((ImageRef) event.getImage()).getUri();
            assertTrue(byUri.put(uri, event) == null, "two events for " + uri);
        }
        Set<String> expected = new HashSet<>();
        for (Path file : files) {
            String uri = file.toRealPath().toUri().toString();
            expected.add(uri);
            ImageEvent event = byUri.get(uri);
            assertTrue(event != null, "no event for " + uri);
            assertEquals(sha256(file), event.getId());
            assertEquals(Long.toString(Files.size(file)), event.getAttributes().get("size"));
            assertEquals(Files.getLastModifiedTime(file).toInstant().toEpochMilli(), event.getSourceTimestamp().toEpochMilli());
            assertEquals(file.toString().endsWith(".png") ? "image/png" : "image/jpeg", event.getContentType());
        }
        assertEquals(expected, byUri.keySet());
    }

    private static KafkaConsumer<String, byte[]> consumer(String topic) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Polls until {@code count} more records arrived or {@code timeout} passed; decodes them as the streams app does. */
    private static List<ImageEvent> consume(KafkaConsumer<String, byte[]> consumer, int count, Duration timeout) {
        AvroDeserializer<ImageEvent> deserializer = new AvroDeserializer<>(ImageEvent.class, client);
        deserializer.configure(Map.of("schema.registry.url", registry.url()), false);
        List<ImageEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                ImageEvent event = deserializer.deserialize(record.topic(), record.value());
                assertEquals(event.getId(), record.key());
                events.add(event);
            }
        }
        return events;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            digest.update(in.readAllBytes());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
