package dev.streamsight.connect.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.serde.AvroDeserializer;
import dev.streamsight.serde.InProcessSchemaRegistry;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin as a worker loads it from {@code plugin.path}, isolated in its own class loader: a
 * {@code connect-standalone} JVM whose class path has Kafka's jars but neither Streamsight nor Avro,
 * and a plugin directory laid out as the zip's {@code lib/} (the module jar and its runtime
 * dependencies), runs the example source configuration with the plugin's converter.
 */
class PluginPathIT {

    /** The runtime dependencies the assembly puts in lib/ (everything but Kafka's own jars and SLF4J). */
    private static final List<String> LIB_JARS = List.of("streamsight-serde", "streamsight-schemas", "avro-",
            "jackson-core-", "jackson-databind-", "jackson-annotations-", "commons-compress-", "commons-codec-",
            "commons-io-", "commons-lang3-");

    @TempDir
    Path work;

    @Test
    void exampleSourceConfigRunsFromThePluginPath() throws Exception {
        List<Path> photos = SharedImages.drop(work.resolve("incoming"), "cam-", 0, 10);
        Path plugin = pluginDirectory(work.resolve("plugins/streamsight-connect"));
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().shutdownHook(false).start();
             InProcessSchemaRegistry registry = InProcessSchemaRegistry.start()) {
            kafka.createTopics(1, "images");
            Path workerProps = write("worker.properties", Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(),
                    "plugin.path", plugin.getParent().toString(),
                    "offset.storage.file.filename", work.resolve("offsets").toString(),
                    "listeners", "http://127.0.0.1:0",
                    "key.converter", "org.apache.kafka.connect.storage.StringConverter",
                    "value.converter", "org.apache.kafka.connect.json.JsonConverter"));
            Map<String, String> source = exampleSourceConfig();
            source.put("directories", work.resolve("incoming").toString());
            source.put("min.file.age.ms", "1000");
            source.put("value.converter.schema.registry.url", registry.url());
            Path sourceProps = write("source.properties", source);

            Path log = work.resolve("worker.log");
            Process worker = new ProcessBuilder(javaBin(), "-Xmx512m", "-cp", workerClassPath(),
                    "org.apache.kafka.connect.cli.ConnectStandalone", workerProps.toString(), sourceProps.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                List<ImageEvent> events = consume(kafka, registry, 10, Duration.ofSeconds(90));
                Set<String> uris = new HashSet<>();
                events.forEach(e -> uris.add(((ImageRef) e.getImage()).getUri()));
                Set<String> expected = new HashSet<>();
                for (Path photo : photos) {
                    expected.add(photo.toRealPath().toUri().toString());
                }
                assertEquals(expected, uris, () -> "worker log:\n" + tail(log));
                assertTrue(Files.readString(log).contains("Loading plugin from: " + plugin),
                        () -> "the plugin was not loaded from plugin.path:\n" + tail(log));
            } finally {
                worker.destroy();
                worker.waitFor();
            }
        }
    }

    /** lib/ of the zip: the module's classes as a jar, and its runtime dependencies. */
    private static Path pluginDirectory(Path dir) throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "test");
        Path classes = Path.of("target", "classes");
        try (OutputStream file = Files.newOutputStream(lib.resolve("streamsight-connect.jar"));
             JarOutputStream jar = new JarOutputStream(file, manifest);
             Stream<Path> entries = Files.walk(classes)) {
            for (Path entry : entries.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(entry).toString().replace(File.separatorChar, '/')));
                Files.copy(entry, jar);
                jar.closeEntry();
            }
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            String name = jar.getFileName().toString();
            if (name.endsWith(".jar") && LIB_JARS.stream().anyMatch(name::startsWith)) {
                Files.copy(jar, lib.resolve(name));
            }
        }
        return dir;
    }

    /** This JVM's class path without Streamsight, Avro and the test classes: what a bare worker has. */
    private static String workerClassPath() {
        List<String> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            boolean plugin = entry.contains("target" + File.separator + "classes")
                    || entry.contains("target" + File.separator + "test-classes")
                    || name.startsWith("streamsight-") || name.startsWith("avro-");
            if (!plugin) {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    private static Map<String, String> exampleSourceConfig() throws IOException {
        java.util.Properties file = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of("config", "image-directory-source.properties"))) {
            file.load(in);
        }
        Map<String, String> config = new HashMap<>();
        file.stringPropertyNames().forEach(k -> config.put(k, file.getProperty(k)));
        return config;
    }

    private Path write(String name, Map<String, String> props) throws IOException {
        StringBuilder text = new StringBuilder();
        props.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return Files.writeString(work.resolve(name), text);
    }

    private static List<ImageEvent> consume(EmbeddedKafka kafka, InProcessSchemaRegistry registry, int count, Duration timeout) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "plugin-path-it");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ImageEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
             AvroDeserializer<ImageEvent> deserializer = new AvroDeserializer<>(ImageEvent.class, null)) {
            deserializer.configure(Map.of("schema.registry.url", registry.url()), false);
            consumer.subscribe(List.of("images"));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (events.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
                    events.add(deserializer.deserialize(record.topic(), record.value()));
                }
            }
        }
        return events;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
