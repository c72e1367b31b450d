package dev.streamsight.connect.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DetectionResult;
import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.serde.AvroSerializer;
import dev.streamsight.serde.InProcessSchemaRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink example {@code connectors/config/postgres-results-sink.properties}: classification and
 * detection results, written as the streams app writes them (Avro, Confluent wire format, keyed by
 * event id), go through a standalone worker with Debezium's JDBC sink and the Streamsight converter
 * into a real PostgreSQL server, and every row matches its result.
 */
class PostgresResultsSinkIT {

    private static final String CLASSIFIER_TOPIC = "images.mobilenetv2-12-int8";
    private static final String DETECTOR_TOPIC = "images.yolox-nano";

    @TempDir
    Path work;

    @Test
    void resultsBecomeRowsInPostgres() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start();
             EmbeddedKafka kafka = EmbeddedKafka.builder().shutdownHook(false).start();
             InProcessSchemaRegistry registry = InProcessSchemaRegistry.start()) {
            kafka.createTopics(1, CLASSIFIER_TOPIC, DETECTOR_TOPIC);
            List<ClassificationResult> classifications = new ArrayList<>();
            List<DetectionResult> detections = new ArrayList<>();
            produceResults(kafka, registry, classifications, detections);

            try (ConnectWorker worker = ConnectWorker.start(kafka.bootstrapServers(), work.resolve("sink.offsets"), Map.of())) {
                worker.createConnector("streamsight-results-postgres", sinkConfig(postgres, registry), 1);
                awaitRows(postgres, "results_mobilenetv2", classifications.size(), worker);
                awaitRows(postgres, "results_yolox", detections.size(), worker);
            }
            checkClassificationRows(postgres, classifications);
            checkDetectionRows(postgres, detections);
        }
    }

    /** Results of the real models on real photos; ids are content hashes. */
    private static void produceResults(EmbeddedKafka kafka, InProcessSchemaRegistry registry,
                                       List<ClassificationResult> classifications, List<DetectionResult> detections) throws Exception {
        List<Path> photos = SharedImages.photos().stream()
                .filter(p -> p.getParent().getFileName().toString().equals("imagenet-sample")).limit(12).toList();
        Map<String, Object> config = Map.of("schema.registry.url", registry.url());
        try (ModelResults models = new ModelResults();
             AvroSerializer<Object> values = new AvroSerializer<>();
             KafkaProducer<String, Object> producer = new KafkaProducer<>(kafka.clientProperties(), new StringSerializer(), values)) {
            values.configure(config, false);
            for (int i = 0; i < photos.size(); i++) {
                Path photo = photos.get(i);
                String id = sha256(photo);
                String uri = photo.toRealPath().toUri().toString();
                byte[] bytes = Files.readAllBytes(photo);
                ClassificationResult c = models.classify(id, uri, i, bytes);
                DetectionResult d = models.detect(id, uri, i, bytes);
                classifications.add(c);
                detections.add(d);
                producer.send(new ProducerRecord<>(CLASSIFIER_TOPIC, id, c));
                producer.send(new ProducerRecord<>(DETECTOR_TOPIC, id, d));
            }
            producer.flush();
        }
    }

    /** The example config file, pointed at this test's database, registry and topics. */
    private static Map<String, String> sinkConfig(LocalPostgres postgres, InProcessSchemaRegistry registry) throws Exception {
        Properties file = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("config", "postgres-results-sink.properties"))) {
            file.load(in);
        }
        Map<String, String> config = new HashMap<>();
        file.stringPropertyNames().forEach(k -> config.put(k, file.getProperty(k)));
        config.put("connection.url", postgres.jdbcUrl());
        config.put("connection.username", LocalPostgres.USER);
        config.put("connection.password", "");
        config.put("value.converter.schema.registry.url", registry.url());
        config.put("topics", CLASSIFIER_TOPIC + "," + DETECTOR_TOPIC);
        return config;
    }

    private static void awaitRows(LocalPostgres postgres, String table, int expected, ConnectWorker worker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int rows = -1;
        while (System.nanoTime() < deadline) {
            try (Connection db = connect(postgres); Statement st = db.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                rows = rs.getInt(1);
                if (rows == expected) {
                    return;
                }
            } catch (SQLException e) {
                // The table is created with the first batch.
            }
            assertTrue(worker.taskStates("streamsight-results-postgres").stream().noneMatch(s -> s.startsWith("FAILED")),
                    () -> "sink task failed: " + worker.taskStates("streamsight-results-postgres"));
            Thread.sleep(250);
        }
        throw new AssertionError(table + " has " + rows + " rows, expected " + expected);
    }

    private static void checkClassificationRows(LocalPostgres postgres, List<ClassificationResult> results) throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (Connection db = connect(postgres); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT eventid, imageuri, model_id, model_version, executionprovider, labels,"
                     + " imagesize_width, imagesize_height, timings_inferencems, timings_batchsize, lineage_topic,"
                     + " lineage_partition, lineage_offset FROM results_mobilenetv2 ORDER BY lineage_offset")) {
            System.out.println("results_mobilenetv2 rows:");
            for (ClassificationResult expected : results) {
                assertTrue(rs.next(), "a row for " + expected.getEventId());
                System.out.printf("  %s | %s | %s | %s | %s | %s | %dx%d | %.1f ms | batch %d | %s-%d@%d%n",
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getInt(7), rs.getInt(8), rs.getDouble(9), rs.getInt(10), rs.getString(11), rs.getInt(12), rs.getLong(13));
                assertEquals(expected.getEventId(), rs.getString("eventid"));
                assertEquals(expected.getImageUri(), rs.getString("imageuri"));
                assertEquals(expected.getModel().getId(), rs.getString("model_id"));
                assertEquals(expected.getModel().getVersion(), rs.getString("model_version"));
                assertEquals(expected.getExecutionProvider(), rs.getString("executionprovider"));
                JsonNode labels = json.readTree(rs.getString("labels"));
                assertEquals(expected.getLabels().size(), labels.size());
                for (int k = 0; k < labels.size(); k++) {
                    assertEquals(expected.getLabels().get(k).getLabel(), labels.get(k).get("label").asText());
                    assertEquals(expected.getLabels().get(k).getIndex(), labels.get(k).get("index").asInt());
                    assertEquals(expected.getLabels().get(k).getScore(), labels.get(k).get("score").floatValue());
                }
                assertEquals(expected.getImageSize().getWidth(), rs.getInt("imagesize_width"));
                assertEquals(expected.getImageSize().getHeight(), rs.getInt("imagesize_height"));
                assertEquals(expected.getTimings().getInferenceMs(), rs.getDouble("timings_inferencems"));
                assertEquals(expected.getTimings().getBatchSize(), rs.getInt("timings_batchsize"));
                assertEquals(expected.getLineage().getTopic(), rs.getString("lineage_topic"));
                assertEquals(expected.getLineage().getOffset(), rs.getLong("lineage_offset"));
            }
            assertTrue(!rs.next(), "no extra rows");
        }
    }

    private static void checkDetectionRows(LocalPostgres postgres, List<DetectionResult> results) throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (Connection db = connect(postgres); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT eventid, model_id, model_version, detections, imagesize_width,"
                     + " imagesize_height, lineage_offset FROM results_yolox ORDER BY lineage_offset")) {
            System.out.println("results_yolox rows:");
            for (DetectionResult expected : results) {
                assertTrue(rs.next(), "a row for " + expected.getEventId());
                System.out.printf("  %s | %s | %s | %s | %dx%d | @%d%n", rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getInt(5), rs.getInt(6), rs.getLong(7));
                assertEquals(expected.getEventId(), rs.getString("eventid"));
                assertEquals(expected.getModel().getId(), rs.getString("model_id"));
                assertEquals(expected.getModel().getVersion(), rs.getString("model_version"));
                JsonNode boxes = json.readTree(rs.getString("detections"));
                assertEquals(expected.getDetections().size(), boxes.size());
                for (int k = 0; k < boxes.size(); k++) {
                    assertEquals(expected.getDetections().get(k).getLabel(), boxes.get(k).get("label").asText());
                    assertEquals(expected.getDetections().get(k).getBox().getX2(), boxes.get(k).get("box").get("x2").floatValue());
                }
                assertEquals(expected.getImageSize().getWidth(), rs.getInt("imagesize_width"));
                assertEquals(expected.getLineage().getOffset(), rs.getLong("lineage_offset"));
            }
            assertTrue(!rs.next(), "no extra rows");
        }
    }

    private static Connection connect(LocalPostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, "");
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            digest.update(in.readAllBytes());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
