package dev.streamsight.cli;

import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.avro.InlineImage;
import dev.streamsight.fetch.FetchOptions;
import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.serde.AvroSerde;
import dev.streamsight.serde.AvroSerdes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes one {@link ImageEvent} per image, keyed by its id, with an idempotent producer
 * ({@code acks=all}): a plain file becomes an absolute {@code file://} URI, URIs are kept as given,
 * and with {@code inline} the encoded bytes travel in the event. Used by {@code produce} and
 * {@code demo}. Not thread-safe; closing it closes the producer.
 */
final class ImageEventPublisher implements AutoCloseable {
    /** An image that was sent. */
    record Sent(String image, String id, String uri, String topic, int partition, long offset) {
    }

    /** An image that was not sent, and why. */
    record Failed(String image, String message) {
    }

    record Outcome(List<Sent> sent, List<Failed> failed) {
    }

    private final KafkaProducer<String, ImageEvent> producer;
    private final AvroSerde<ImageEvent> serde;
    private final ImageFetcher inlineReader = new ImageFetcher(FetchOptions.forCommandLine());

    /** @param clientProperties bootstrap servers, schema registry and any client keys */
    ImageEventPublisher(Map<String, Object> clientProperties) {
        Map<String, Object> props = new java.util.LinkedHashMap<>(clientProperties);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.serde = AvroSerdes.specific(ImageEvent.class, clientProperties, false);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), serde.serializer());
    }

    /** Ids of the form UUID. */
    static IntFunction<String> randomIds() {
        return i -> UUID.randomUUID().toString();
    }

    /** Ids {@code <prefix><n>}, n the 1-based position. */
    static IntFunction<String> prefixedIds(String prefix) {
        return i -> prefix + (i + 1);
    }

    /**
     * Sends an event per image and waits until every one is acknowledged (or failed).
     *
     * @param models the models each event asks for; null or empty: all the application runs
     */
    Outcome publish(String topic, List<String> images, List<String> models, boolean inline, IntFunction<String> ids) {
        List<Sent> sent = new ArrayList<>();
        List<Failed> failed = new ArrayList<>();
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        List<String[]> pending = new ArrayList<>(); // image, id, uri
        for (int i = 0; i < images.size(); i++) {
            String image = images.get(i);
            String id = ids.apply(i);
            ImageEvent event;
            String uri;
            try {
                uri = toUri(image);
                event = ImageEvent.newBuilder()
                        .setId(id)
                        .setImage(inline ? new InlineImage(ByteBuffer.wrap(inlineReader.fetch(uri)))
                                : new ImageRef(uri))
                        .setContentType(contentType(uri))
                        .setModels(models == null || models.isEmpty() ? null : List.copyOf(models))
                        .setSourceTimestamp(sourceTimestamp(uri))
                        .build();
            } catch (RuntimeException e) {
                failed.add(new Failed(image, e.getMessage()));
                continue;
            }
            futures.add(producer.send(new ProducerRecord<>(topic, id, event)));
            pending.add(new String[] {image, id, inline ? null : uri});
        }
        producer.flush();
        for (int i = 0; i < futures.size(); i++) {
            String[] p = pending.get(i);
            try {
                RecordMetadata md = futures.get(i).get();
                sent.add(new Sent(p[0], p[1], p[2], md.topic(), md.partition(), md.offset()));
            } catch (ExecutionException e) {
                failed.add(new Failed(p[0], String.valueOf(e.getCause().getMessage())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            }
        }
        return new Outcome(sent, failed);
    }

    /** A plain path becomes an absolute file:// URI (it must be a readable regular file); URIs stay. */
    static String toUri(String image) {
        Objects.requireNonNull(image, "image");
        if (image.matches("(?i)[a-z][a-z0-9+.-]*://.*") || image.regionMatches(true, 0, "file:", 0, 5)) {
            return image;
        }
        Path p;
        try {
            p = Path.of(image);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("invalid path " + image + ": " + e.getMessage(), e);
        }
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("no such file: " + image);
        }
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("not a regular file: " + image);
        }
        return p.toAbsolutePath().normalize().toUri().toString();
    }

    private static String contentType(String uri) {
        String u = uri.toLowerCase(Locale.ROOT);
        int q = u.indexOf('?');
        if (q >= 0) {
            u = u.substring(0, q);
        }
        if (u.endsWith(".jpg") || u.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        for (String ext : List.of("png", "gif", "bmp", "webp")) {
            if (u.endsWith("." + ext)) {
                return "image/" + ext;
            }
        }
        return null;
    }

    private static Instant sourceTimestamp(String uri) {
        if (!uri.startsWith("file:")) {
            return null;
        }
        try {
            return Files.getLastModifiedTime(Path.of(java.net.URI.create(uri))).toInstant();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        producer.close();
        serde.close();
    }
}
