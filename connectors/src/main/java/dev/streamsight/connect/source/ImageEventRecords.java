package dev.streamsight.connect.source;

import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.connect.converter.AvroConnectData;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Builds the Connect record for one file: key the event id (string), value an {@code ImageEvent}
 * struct whose schema is the {@code ImageEvent} Avro schema as Connect sees it, so the Avro
 * converter writes it back as that schema. The id is the lower-case hex SHA-256 of the content;
 * {@code attributes} carry {@code size} (bytes) and {@code modified} (ISO-8601 instant);
 * {@code sourceTimestamp} is the modification time. Thread-safe.
 */
final class ImageEventRecords {

    private final String topic;
    private final List<String> models;
    private final AvroConnectData data = new AvroConnectData(4);

    ImageEventRecords(String topic, List<String> models) {
        this.topic = topic;
        this.models = models.isEmpty() ? null : List.copyOf(models);
    }

    SourceRecord record(ImageFile file, String sha256) {
        ImageEvent event = event(file, sha256);
        SchemaAndValue value = data.toConnectData(ImageEvent.getClassSchema(), event);
        return new SourceRecord(FileOffsets.partition(file), FileOffsets.offset(file, sha256), topic, null,
                Schema.STRING_SCHEMA, sha256, value.schema(), value.value());
    }

    ImageEvent event(ImageFile file, String sha256) {
        return ImageEvent.newBuilder()
                .setId(sha256)
                .setImage(new ImageRef(file.uri().toString()))
                .setContentType(contentType(file.path().getFileName().toString()))
                .setModels(models)
                .setAttributes(Map.of(
                        "size", Long.toString(file.size()),
                        "modified", Instant.ofEpochMilli(file.modifiedMs()).toString()))
                .setSourceTimestamp(Instant.ofEpochMilli(file.modifiedMs()))
                .build();
    }

    static String contentType(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return switch (dot < 0 ? "" : name.substring(dot + 1)) {
            case "jpg", "jpeg" -> "image/jpeg";
            case "png" -> "image/png";
            case "webp" -> "image/webp";
            case "gif" -> "image/gif";
            case "bmp" -> "image/bmp";
            default -> null;
        };
    }
}
