package dev.streamsight.tests.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.cli.Main;
import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.serde.InProcessSchemaRegistry;
import dev.streamsight.tests.streaming.StreamingIo.CommittedReader;
import dev.streamsight.tests.streaming.StreamingIo.EventProducer;
import dev.streamsight.tests.streaming.StreamingIo.Output;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few hundred odd image references ({@link OddUriCorpus}: malformed hosts and ports, shorthand and
 * encoded IP forms, IPv6 with zone ids, user-info, unknown and missing schemes, spaces and control
 * characters, non-ASCII hosts, 70,000-character URIs, empty paths) sent through {@code streamsight
 * run} in its own JVM against a real broker. Each event must end with exactly one result or one dead
 * letter with a specific reason code (never {@code INTERNAL_ERROR}), no stream thread may die, and a
 * good event sent after all of them must be classified.
 *
 * <p>The references point only at this machine: a local HTTP server serves a photo, text, a
 * redirect loop and 404s, and the application's JVM resolves names from a copy of /etc/hosts only
 * ({@code jdk.net.hosts.file}), so no name is ever looked up in DNS.
 */
class OddUriPipelineIT {
    private static final String INPUT = "odd-images";
    private static final String MODEL = "mobilenetv2-12-int8";
    private static final String RESULTS = INPUT + "." + MODEL;
    private static final String DLQ = INPUT + ".dlq";
    private static final int CORPUS = 300;

    @TempDir
    Path dir;

    @Test
    @Timeout(420)
    void everyOddReferenceEndsAsOneResultOrDeadLetterAndTheStreamGoesOn() throws Exception {
        Path photo = StreamingIo.images().stream().filter(p -> p.getFileName().toString().contains("cat"))
                .findFirst().orElseThrow();
        byte[] photoBytes = Files.readAllBytes(photo);
        Path roots = Files.createDirectories(dir.resolve("images"));
        Path good = Files.write(roots.resolve("good.jpg"), photoBytes);
        Path hosts = Files.writeString(dir.resolve("hosts"), Files.readString(Path.of("/etc/hosts")));

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            try (OutputStream body = exchange.getResponseBody()) {
                switch (path) {
                    case "/cat.jpg" -> respond(exchange, 200, photoBytes, body);
                    case "/text" -> respond(exchange, 200, "not an image".getBytes(StandardCharsets.UTF_8), body);
                    case "/redirect" -> {
                        exchange.getResponseHeaders().add("Location", "/redirect");
                        respond(exchange, 302, new byte[0], body);
                    }
                    default -> respond(exchange, 404, new byte[0], body);
                }
            }
        });
        server.start();
        int port = server.getAddress().getPort();
        long seed = Long.getLong("it.oddUriSeed", System.nanoTime());
        OddUriCorpus generator = new OddUriCorpus(seed, port);
        List<String> corpus = generator.generate(CORPUS);
        System.out.println("odd URI corpus: " + corpus.size() + " references, seed " + seed
                + " (rerun with -Dit.oddUriSeed=" + seed + ")");

        Path log = dir.resolve("run.log");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                InProcessSchemaRegistry registry = InProcessSchemaRegistry.start()) {
            kafka.createTopics(3, INPUT, RESULTS, DLQ);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                    "-Xmx1g", "-Djdk.net.hosts.file=" + hosts, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "run", "--bootstrap-server", kafka.bootstrapServers(),
                    "--schema-registry", registry.url(), "--input-topic", INPUT, "--models", MODEL,
                    "--application-id", "odd-uri-it", "--max-wait", "100ms",
                    "-p", "state.dir=" + dir.resolve("state"), "-p", "commit.interval.ms=100",
                    "-p", "fetch.timeout=2s", "-p", "fetch.file.roots=" + roots));
            Process run = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Map<String, String> uriById = new HashMap<>();
            try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), registry.url());
                    CommittedReader reader = new CommittedReader(kafka.bootstrapServers(), registry.url(),
                            Map.of(RESULTS, ClassificationResult.class, DLQ, DeadLetter.class))) {
                for (int i = 0; i < corpus.size(); i++) {
                    String id = String.format("odd-%04d", i);
                    uriById.put(id, corpus.get(i));
                    producer.sendAsync(INPUT, null, System.currentTimeMillis(), id,
                            StreamingIo.uriEvent(id, corpus.get(i), null), new RecordHeaders());
                }
                producer.flush();
                // Sent after the whole corpus: on whichever partition it lands, odd events precede it.
                String goodId = "good-after";
                producer.send(INPUT, null, System.currentTimeMillis(), goodId,
                        StreamingIo.uriEvent(goodId, good.toUri().toString(), null), new RecordHeaders());

                List<String> all = new ArrayList<>(uriById.keySet());
                all.add(goodId);
                List<Output> out = reader.readUntil("an output for every event", Duration.ofMinutes(5), seen -> {
                    if (!run.isAlive()) {
                        throw new AssertionError("streamsight run exited (" + run.exitValue() + "):\n" + StreamingIo.logTail(log));
                    }
                    return seen.stream().map(Output::key).distinct().filter(all::contains).count() == all.size();
                });

                Map<String, List<Output>> byId = out.stream().collect(Collectors.groupingBy(Output::key));
                Map<String, Integer> reasons = new TreeMap<>();
                List<String> problems = new ArrayList<>();
                for (String id : all) {
                    List<Output> records = byId.getOrDefault(id, List.of());
                    String uri = uriById.getOrDefault(id, good.toString());
                    if (records.size() != 1) {
                        problems.add(id + " has " + records.size() + " outputs: " + shorten(uri));
                        continue;
                    }
                    if (generator.fetchable().contains(uri)
                            && !(records.getFirst().value() instanceof ClassificationResult)) {
                        problems.add(id + " is fetchable but got " + records.getFirst().value() + ": " + shorten(uri));
                    }
                    if (records.getFirst().value() instanceof DeadLetter d) {
                        reasons.merge(d.getReasonCode(), 1, Integer::sum);
                        if (d.getReasonCode().equals("INTERNAL_ERROR")) {
                            problems.add(id + " INTERNAL_ERROR (" + d.getMessage() + "): " + shorten(uri));
                        }
                        if (d.getMessage().length() > 1000) {
                            problems.add(id + " dead letter message of " + d.getMessage().length() + " chars");
                        }
                    } else {
                        reasons.merge("result", 1, Integer::sum);
                    }
                }
                System.out.println("odd URI outcomes: " + reasons);
                assertEquals(List.of(), problems, "seed " + seed);
                assertTrue(byId.get(goodId).getFirst().value() instanceof ClassificationResult,
                        "the good event after the corpus is classified: " + byId.get(goodId));
                assertTrue(run.isAlive(), "streamsight run is still running");
            } finally {
                run.destroy();
                assertTrue(run.waitFor(60, TimeUnit.SECONDS), "run stops after SIGTERM");
                server.stop(0);
            }
            String text = Files.readString(log);
            assertFalse(text.contains("stream thread died"), "no stream thread died:\n" + StreamingIo.logTail(log));
            assertEquals(0, run.exitValue(), "clean exit on SIGTERM:\n" + StreamingIo.logTail(log));
        }
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, byte[] body,
            OutputStream out) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        out.write(body);
    }

    private static String shorten(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 200 ? printable.substring(0, 200) + "..." : printable;
    }
}
