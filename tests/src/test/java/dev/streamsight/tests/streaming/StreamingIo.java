package dev.streamsight.tests.streaming;

import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.avro.InlineImage;
import dev.streamsight.fetch.FetchOptions;
import dev.streamsight.fetch.FileAccess;
import dev.streamsight.serde.AvroSerdes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Producing image events and reading the pipeline's committed output, for the streaming tests. */
final class StreamingIo {
    static final Path SHARED = locateShared();

    private StreamingIo() {
    }

    // ---------------------------------------------------------------- fixtures

    /** The shared photos and the ImageNet sample, sorted, JPEG/PNG only. */
    static List<Path> images() {
        return Stream.of(SHARED.resolve("images/photos"), SHARED.resolve("images/imagenet-sample"))
                .flatMap(StreamingIo::list).toList();
    }

    /**
     * Fetching as the service does (no files, public addresses only), with the shared images as the
     * one file root, so that the events' file:// URIs are read (and missing ones there are NOT_FOUND).
     */
    static FetchOptions sharedImagesOnly() {
        return FetchOptions.forEvents().withFiles(FileAccess.under(List.of(SHARED.resolve("images"))));
    }

    /** The small ImageNet sample photos (fast to decode). */
    static List<Path> imagenetSample() {
        return list(SHARED.resolve("images/imagenet-sample")).toList();
    }

    private static Stream<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase().matches(".*\\.(jpe?g|png)"))
                    .sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last 8,000 characters of a child JVM's log, for failure messages. */
    static String logTail(Path log) {
        try {
            String s = Files.readString(log);
            return s.length() > 8000 ? s.substring(s.length() - 8000) : s;
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private static Path locateShared() {
        String env = System.getenv("STREAMSIGHT_SHARED_DIR");
        if (env != null && Files.isDirectory(Path.of(env, "images"))) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("shared/images"))) {
                return d.resolve("shared");
            }
        }
        throw new IllegalStateException("cannot find ../shared; set STREAMSIGHT_SHARED_DIR");
    }

    // ---------------------------------------------------------------- events

    static ImageEvent uriEvent(String id, String uri, List<String> models) {
        return ImageEvent.newBuilder().setId(id).setImage(new ImageRef(uri)).setModels(models).build();
    }

    static ImageEvent inlineEvent(String id, byte[] bytes, List<String> models) {
        return ImageEvent.newBuilder().setId(id).setImage(new InlineImage(ByteBuffer.wrap(bytes)))
                .setModels(models).build();
    }

    /**
     * What the test expects for one input record: the models it must get exactly one result from, and
     * the reason code of its one dead letter (null: none).
     */
    record Expected(String id, String topic, int partition, long offset, long timestamp, Headers headers,
            Set<String> resultModels, String deadLetterReason) {
    }

    /** Sends ImageEvents (registry-serialized) and raw byte values, synchronously, recording where they went. */
    static final class EventProducer implements AutoCloseable {
        private final KafkaProducer<String, ImageEvent> events;
        private final KafkaProducer<String, byte[]> raw;

        EventProducer(String bootstrap, String registryUrl) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            var serde = AvroSerdes.specific(ImageEvent.class, Map.of("schema.registry.url", registryUrl), false);
            events = new KafkaProducer<>(p, new StringSerializer(), serde.serializer());
            raw = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }

        /** Sends an event (partition null: by key) and returns its metadata. */
        RecordMetadata send(String topic, Integer partition, long timestamp, String id, ImageEvent event,
                Headers headers) {
            return await(events.send(new ProducerRecord<>(topic, partition, timestamp, id, event, copy(headers))));
        }

        RecordMetadata sendRaw(String topic, Integer partition, long timestamp, String key, byte[] value,
                Headers headers) {
            return await(raw.send(new ProducerRecord<>(topic, partition, timestamp, key, value, copy(headers))));
        }

        /** Sends without waiting; {@link #flush()} then read the futures. */
        java.util.concurrent.Future<RecordMetadata> sendAsync(String topic, Integer partition, long timestamp,
                String id, ImageEvent event, Headers headers) {
            return events.send(new ProducerRecord<>(topic, partition, timestamp, id, event, copy(headers)));
        }

        void flush() {
            events.flush();
            raw.flush();
        }

        private static Headers copy(Headers h) {
            RecordHeaders c = new RecordHeaders();
            for (Header x : h) {
                c.add(x.key(), x.value());
            }
            return c;
        }

        static RecordMetadata await(java.util.concurrent.Future<RecordMetadata> f) {
            try {
                return f.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("send failed", e);
            }
        }

        @Override
        public void close() {
            events.close(Duration.ofSeconds(10));
            raw.close(Duration.ofSeconds(10));
        }
    }

    // ---------------------------------------------------------------- committed output

    /**
     * One committed output record, its value deserialized to the topic's generated class.
     *
     * @param valueBytes the size of the value as written
     */
    record Output(String topic, int partition, long offset, String key, long timestamp, Headers headers,
            SpecificRecord value, int valueBytes) {
    }

    /**
     * Reads the pipeline's output topics with a read_committed consumer: the result topics of the
     * given models (ClassificationResult / DetectionResult) and the dead-letter topic.
     */
    static final class CommittedReader implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Map<String, Deserializer<? extends SpecificRecord>> byTopic = new HashMap<>();
        private final List<Output> seen = new ArrayList<>();
        private final String bootstrap;

        /**
         * @param resultTopics topic → the generated class of its values
         */
        CommittedReader(String bootstrap, String registryUrl, Map<String, Class<? extends SpecificRecord>> topics) {
            this.bootstrap = bootstrap;
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            Map<String, Object> serdeConfig = Map.of("schema.registry.url", registryUrl);
            List<TopicPartition> partitions = new ArrayList<>();
            topics.forEach((topic, type) -> {
                byTopic.put(topic, deserializer(type, serdeConfig));
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                for (PartitionInfo i : infos) {
                    partitions.add(new TopicPartition(topic, i.partition()));
                }
            });
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        private static Deserializer<? extends SpecificRecord> deserializer(Class<? extends SpecificRecord> type,
                Map<String, Object> config) {
            return AvroSerdes.specific(type, config, false).deserializer();
        }

        /** Every model's result class, keyed by its results topic, plus the dead-letter topic. */
        static Map<String, Class<? extends SpecificRecord>> outputTopics(
                dev.streamsight.topology.PipelineSettings settings, String input) {
            Map<String, Class<? extends SpecificRecord>> m = new HashMap<>();
            for (String model : settings.models()) {
                m.put(settings.resultTopic(input, model),
                        model.equals(PipelineRuntime.DETECTOR) ? DetectionResult.class : ClassificationResult.class);
            }
            m.put(settings.deadLetterTopic(input), DeadLetter.class);
            return m;
        }

        /** Everything read so far (committed records only), in read order per partition. */
        List<Output> seen() {
            return List.copyOf(seen);
        }

        /** Polls once (at most {@code wait}) and adds what came. */
        List<Output> poll(Duration wait) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(wait)) {
                SpecificRecord v = r.value() == null ? null : byTopic.get(r.topic()).deserialize(r.topic(), r.value());
                seen.add(new Output(r.topic(), r.partition(), r.offset(), r.key(), r.timestamp(), r.headers(), v,
                        r.value() == null ? 0 : r.value().length));
            }
            return seen;
        }

        /**
         * Polls until {@code done} holds for what was read (bounded), then on until the consumer has
         * reached the last stable offset of every partition, so that any committed duplicate written
         * so far is read too.
         */
        List<Output> readUntil(String what, Duration timeout, Predicate<List<Output>> done) {
            try {
                Await.until(what, timeout, () -> done.test(poll(Duration.ofMillis(100))));
            } catch (Await.TimedOut e) {
                // Let the caller's assertions say precisely what is missing; keep the broker's view here.
                System.out.println("WARNING: " + e.getMessage() + "; read " + seen.size() + " committed records; "
                        + diagnose());
            }
            return drainToEnd(Duration.ofSeconds(30));
        }

        /** Last stable offset vs high watermark per partition, and the open transactions, for failure messages. */
        String diagnose() {
            StringBuilder sb = new StringBuilder();
            try {
                Set<TopicPartition> assigned = consumer.assignment();
                Map<TopicPartition, Long> lso = consumer.endOffsets(assigned, Duration.ofSeconds(10));
                Properties p = new Properties();
                p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                try (var admin = org.apache.kafka.clients.admin.Admin.create(p)) {
                    var hw = admin.listOffsets(assigned.stream().collect(java.util.stream.Collectors.toMap(
                            tp -> tp, tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all()
                            .get(10, TimeUnit.SECONDS);
                    sb.append("partitions (LSO/high watermark): ");
                    lso.entrySet().stream().sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(
                            TopicPartition::toString))).forEach(e -> sb.append(e.getKey()).append('=')
                                    .append(e.getValue()).append('/').append(hw.get(e.getKey()).offset()).append(' '));
                    var producers = admin.describeProducers(assigned).all().get(10, TimeUnit.SECONDS);
                    producers.forEach((tp, d) -> d.activeProducers().stream()
                            .filter(ps -> ps.currentTransactionStartOffset().isPresent())
                            .forEach(ps -> sb.append("; open txn on ").append(tp).append(" from offset ")
                                    .append(ps.currentTransactionStartOffset().getAsLong()).append(" producer ")
                                    .append(ps.producerId()).append(" epoch ").append(ps.producerEpoch())));
                    var txns = admin.listTransactions().all().get(10, TimeUnit.SECONDS);
                    txns.forEach(t -> sb.append("; txn ").append(t.transactionalId()).append(' ')
                            .append(t.state()).append(" pid ").append(t.producerId()));
                }
            } catch (Exception e) {
                sb.append(" (diagnosis failed: ").append(e).append(')');
            }
            return sb.toString();
        }

        /** Reads on until the position of every assigned partition reaches its current end offset. */
        List<Output> drainToEnd(Duration timeout) {
            Set<TopicPartition> assigned = consumer.assignment();
            // For a read_committed consumer the end offsets are the last stable offsets.
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(30));
            Await.until("the end of the output topics " + end, timeout, () -> {
                poll(Duration.ofMillis(50));
                return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
            return seen();
        }

        /** Records read from one topic. */
        List<Output> from(String topic) {
            return seen.stream().filter(o -> o.topic().equals(topic)).toList();
        }

        /** How many distinct keys of {@code ids} have a record in {@code topic} so far. */
        long countKeys(String topic, Collection<String> ids) {
            Set<String> keys = new java.util.HashSet<>();
            for (Output o : seen) {
                if (o.topic().equals(topic)) {
                    keys.add(o.key());
                }
            }
            return ids.stream().filter(keys::contains).count();
        }

        @Override
        public void close() {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
            byTopic.values().forEach(Deserializer::close);
        }
    }
}
