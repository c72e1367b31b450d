package dev.streamsight.tests.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamsight.cli.Main;
import dev.streamsight.embedded.KafkaBrokerProcess;
import dev.streamsight.serde.InProcessSchemaRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The user's commands, end to end, against a broker in its own JVM and a registry reached at a URL:
 * {@code produce} publishes events, {@code run} (a separate JVM, as deployed) answers them, {@code
 * tail --json} reads the results and dead letters back, and SIGTERM stops {@code run} cleanly.
 */
class CliAgainstSeparateBrokerIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void produceRunAndTail() throws Exception {
        Path photos = Path.of(System.getenv("STREAMSIGHT_SHARED_DIR"), "images/photos");
        Path broken = dir.resolve("broken.jpg");
        Files.write(broken, "not a jpeg at all".getBytes());
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.builder().directory(dir.resolve("broker")).start();
                InProcessSchemaRegistry registry = InProcessSchemaRegistry.start()) {
            String[] connection = {"--bootstrap-server", broker.bootstrapServers(), "--schema-registry", registry.url()};
            broker.createTopics(2, "cli-images");

            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx1g",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run"));
            cmd.addAll(List.of(connection));
            cmd.addAll(List.of("--input-topic", "cli-images", "--models", "mobilenetv2-12-int8",
                    "--application-id", "cli-it", "--max-wait", "100ms",
                    "-p", "state.dir=" + dir.resolve("state"), "-p", "commit.interval.ms=100",
                    "-p", "fetch.file.roots=" + photos + "," + dir));
            Path log = dir.resolve("run.log");
            Process run = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                Result produced = cli(concat(new String[] {"produce", "--topic", "cli-images", "--json", "--id-prefix", "e"},
                        connection, new String[] {
                            photos.resolve("winml_hummingbird.jpg").toString(),
                            photos.resolve("coco_000000000285_bear.jpg").toString(),
                            broken.toString()}));
                assertEquals(0, produced.code, produced.err);
                assertEquals(3, JSON.readTree(produced.out.trim()).get("sent").asInt(), produced.out);

                Result results = cli(concat(new String[] {"tail", "--topic", "cli-images.mobilenetv2-12-int8",
                        "--from-beginning", "--count", "2", "--timeout", "120s", "--json"}, connection, new String[0]));
                assertEquals(0, results.code, results.err + "\nrun log:\n" + Files.readString(log));
                Set<String> labels = new HashSet<>();
                for (String line : results.out.split("\n")) {
                    JsonNode n = JSON.readTree(line);
                    assertEquals("cli-images.mobilenetv2-12-int8", n.get("topic").asText());
                    assertTrue(n.get("image").asText().startsWith("file:"), line);
                    labels.add(n.get("top").get(0).get("label").asText());
                }
                assertEquals(Set.of("hummingbird", "brown bear"), labels);

                Result dlq = cli(concat(new String[] {"tail", "--topic", "cli-images.dlq", "--from-beginning",
                        "--count", "1", "--timeout", "60s", "--json"}, connection, new String[0]));
                assertEquals(0, dlq.code, dlq.err);
                JsonNode dead = JSON.readTree(dlq.out.trim());
                assertEquals("e3", dead.get("id").asText());
                assertEquals("UNSUPPORTED_FORMAT", dead.get("error").get("code").asText());
                assertEquals("decode", dead.get("error").get("stage").asText());
            } finally {
                run.destroy(); // SIGTERM
                assertTrue(run.waitFor(60, TimeUnit.SECONDS), "run stops after SIGTERM");
            }
            assertEquals(0, run.exitValue(), "clean shutdown on SIGTERM:\n" + Files.readString(log));
            assertTrue(!Files.readString(log).contains("stream thread died"), "no stream thread died:\n"
                    + Files.readString(log));
        }
    }

    private record Result(int code, String out, String err) {
    }

    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static String[] concat(String[] a, String[] b, String[] c) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        all.addAll(List.of(c));
        return all.toArray(String[]::new);
    }
}
