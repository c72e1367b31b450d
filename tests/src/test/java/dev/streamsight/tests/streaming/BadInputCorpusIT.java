package dev.streamsight.tests.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.avro.ImageEvent;
import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.serde.AvroSerdes;
import dev.streamsight.serde.InProcessSchemaRegistry;
import dev.streamsight.serde.WireFormat;
import dev.streamsight.tests.streaming.StreamingIo.CommittedReader;
import dev.streamsight.tests.streaming.StreamingIo.EventProducer;
import dev.streamsight.tests.streaming.StreamingIo.Output;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.zip.CRC32;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of bad inputs, one kind per event, through {@code streamsight run} (its own JVM with a
 * small heap) against a real broker, the in-process registry and a local HTTP server: damaged and
 * hostile images, fetches that fail in every way the fetcher tells apart (404, 403, 500, a server that
 * never answers, a body that drips, a redirect loop, redirects to refused addresses, files outside the
 * roots, {@code ..}, a symbolic link out, a directory, a FIFO), records that are not ImageEvents in
 * every way the deserializer tells apart, and invalid events. Each must give exactly one dead letter
 * with its specific reason code and stage and no result, interleaved good events must be classified,
 * the application must stay up with no stream thread dead and its memory bounded, and no dead letter
 * may quote fetched content or a password.
 */
class BadInputCorpusIT {
    private static final String INPUT = "corpus-images";
    private static final String MODEL = "mobilenetv2-12-int8";
    private static final String RESULTS = INPUT + "." + MODEL;
    private static final String DLQ = INPUT + ".dlq";
    private static final String CONTENT_MARKER = "CONTENT-MARKER-7f3a";
    private static final String PASSWORD = "hunter2-s3cret";
    private static final long MAX_BYTES = 4L << 20;
    private static final int HEAP_MB = 512;
    /** Peak resident memory allowed: the heap, twice over, plus native memory (ONNX Runtime, metaspace, threads). */
    private static final long RSS_BOUND_MB = 2L * HEAP_MB + 512;

    @TempDir
    Path dir;

    /** One bad input: its event or raw record, the reason code and stage of its one dead letter. */
    private record Bad(String id, String code, String stage, ImageEvent event, byte[] raw) {
    }

    @Test
    @Timeout(600)
    void everyBadInputIsOneDeadLetterWithItsOwnCodeAndTheApplicationStaysUp() throws Exception {
        List<Path> photos = StreamingIo.imagenetSample();
        Path root = Files.createDirectories(dir.resolve("images"));
        HttpServer http = startServer(photos.getFirst());
        String base = "http://127.0.0.1:" + http.getAddress().getPort();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                InProcessSchemaRegistry registry = InProcessSchemaRegistry.start()) {
            kafka.createTopics(3, INPUT, RESULTS, DLQ);
            List<Bad> corpus = corpus(root, base, photos, registry.url());
            assertTrue(corpus.size() >= 25, "at least 25 kinds: " + corpus.size());
            assertEquals(corpus.size(), new HashSet<>(corpus.stream().map(Bad::id).toList()).size());

            List<String> args = List.of("--bootstrap-server", kafka.bootstrapServers(), "--schema-registry",
                    registry.url(), "--input-topic", INPUT, "--models", MODEL, "--application-id", "corpus-it",
                    "-p", "commit.interval.ms=100", "-p", "fetch.timeout=2s", "-p", "fetch.max.bytes=" + MAX_BYTES,
                    "-p", "fetch.http.allow=127.0.0.0/8,::1",
                    "-p", "fetch.file.roots=" + root + "," + photos.getFirst().getParent());
            try (RunProcess app = RunProcess.start(dir.resolve("run.log"), List.of("-Xmx" + HEAP_MB + "m"),
                    Map.of("STREAMSIGHT_STATE_ROOT", dir.resolve("state").toString()), args);
                    EventProducer producer = new EventProducer(kafka.bootstrapServers(), registry.url());
                    CommittedReader reader = new CommittedReader(kafka.bootstrapServers(), registry.url(),
                            Map.<String, Class<? extends SpecificRecord>>of(RESULTS, ClassificationResult.class,
                                    DLQ, DeadLetter.class))) {
                Await.until("the application RUNNING", Duration.ofMinutes(2), () -> {
                    assertTrue(app.isAlive(), app.tail());
                    return app.log().contains("-> RUNNING");
                });
                long t0 = System.nanoTime();
                Set<String> good = new HashSet<>();
                int n = 0;
                for (Bad bad : corpus) {
                    long ts = System.currentTimeMillis();
                    if (bad.raw() != null) {
                        producer.sendRaw(INPUT, null, ts, bad.id(), bad.raw(), new RecordHeaders());
                    } else {
                        producer.send(INPUT, null, ts, bad.id(), bad.event(), new RecordHeaders());
                    }
                    String id = "good-" + n;
                    producer.send(INPUT, null, ts, id, StreamingIo.uriEvent(id,
                            photos.get(n++ % photos.size()).toUri().toString(), null), new RecordHeaders());
                    good.add(id);
                }
                Set<String> all = new HashSet<>(good);
                corpus.forEach(b -> all.add(b.id()));
                List<Output> outputs = reader.readUntil("an output for every record", Duration.ofMinutes(4),
                        seen -> seen.stream().map(Output::key).collect(java.util.stream.Collectors.toSet())
                                .containsAll(all));
                double seconds = (System.nanoTime() - t0) / 1e9;

                List<String> problems = new ArrayList<>();
                Map<String, String> outcome = new TreeMap<>();
                for (Bad bad : corpus) {
                    List<Output> mine = outputs.stream().filter(o -> bad.id().equals(o.key())).toList();
                    if (mine.size() != 1 || !(mine.getFirst().value() instanceof DeadLetter dl)) {
                        problems.add(bad.id() + ": expected one dead letter, got " + mine.stream()
                                .map(o -> o.topic() + ":" + o.value()).toList());
                        continue;
                    }
                    outcome.put(bad.id(), dl.getReasonCode() + "/" + dl.getStage());
                    if (!bad.code().equals(dl.getReasonCode()) || !bad.stage().equals(dl.getStage())) {
                        problems.add(bad.id() + ": " + dl.getReasonCode() + "/" + dl.getStage() + ", expected "
                                + bad.code() + "/" + bad.stage() + " (" + dl.getMessage() + ")");
                    }
                    if (dl.getMessage().contains(CONTENT_MARKER) || dl.getMessage().contains(PASSWORD)) {
                        problems.add(bad.id() + ": the message quotes fetched content or a password: "
                                + dl.getMessage());
                    }
                }
                for (String id : good) {
                    List<Output> mine = outputs.stream().filter(o -> id.equals(o.key())).toList();
                    if (mine.size() != 1 || !(mine.getFirst().value() instanceof ClassificationResult)) {
                        problems.add(id + ": expected one result, got " + mine.stream()
                                .map(o -> o.topic() + ":" + o.value()).toList());
                    }
                }
                System.out.printf("BadInputCorpusIT: %d bad kinds and %d good events in %.1f s: %s%n",
                        corpus.size(), good.size(), seconds, outcome);
                assertEquals(List.of(), problems, app.tail());

                // Still serving: a last wave of good events is classified.
                Set<String> after = new HashSet<>();
                for (int i = 0; i < 10; i++) {
                    String id = "after-" + i;
                    producer.send(INPUT, null, System.currentTimeMillis(), id, StreamingIo.uriEvent(id,
                            photos.get(i % photos.size()).toUri().toString(), null), new RecordHeaders());
                    after.add(id);
                }
                List<Output> later = reader.readUntil("results for the last good events", Duration.ofMinutes(2),
                        seen -> seen.stream().filter(o -> o.topic().equals(RESULTS)).map(Output::key)
                                .collect(java.util.stream.Collectors.toSet()).containsAll(after));
                assertTrue(later.stream().filter(o -> o.topic().equals(RESULTS)).map(Output::key).toList()
                        .containsAll(after), app.tail());

                assertTrue(app.isAlive(), "the application is still running:\n" + app.tail());
                assertFalse(app.streamThreadDied(), "no stream thread died:\n" + app.tail());
                long rssMb = procStatusKb(app.pid(), "VmRSS") >> 10;
                long peakMb = procStatusKb(app.pid(), "VmHWM") >> 10;
                System.out.printf("BadInputCorpusIT: -Xmx%dm, resident %d MiB now, peak %d MiB (bound %d MiB)%n",
                        HEAP_MB, rssMb, peakMb, RSS_BOUND_MB);
                assertTrue(peakMb < RSS_BOUND_MB, "peak resident memory " + peakMb + " MiB");
                assertEquals(0, app.stop(), app.tail());
            }
        } finally {
            http.stop(0);
        }
    }

    private List<Bad> corpus(Path root, String base, List<Path> photos, String registryUrl) throws Exception {
        byte[] jpeg = Files.readAllBytes(photos.getFirst());
        List<Bad> c = new ArrayList<>();
        // Damaged and hostile images, as files under the roots and inline.
        c.add(file(root, "empty-file", new byte[0], "EMPTY_INPUT", "decode"));
        c.add(file(root, "truncated-jpeg", Arrays.copyOf(jpeg, jpeg.length / 2), "TRUNCATED", "decode"));
        byte[] garbage = new byte[5000];
        new Random(1).nextBytes(garbage);
        garbage[0] = 0x13;
        c.add(file(root, "garbage", garbage, "UNSUPPORTED_FORMAT", "decode"));
        c.add(inline("text", (CONTENT_MARKER + " plain text, not an image\n").repeat(20)
                .getBytes(StandardCharsets.UTF_8), "UNSUPPORTED_FORMAT", "decode"));
        c.add(file(root, "pdf", ("%PDF-1.7\n" + CONTENT_MARKER + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII),
                "UNSUPPORTED_FORMAT", "decode"));
        c.add(inline("corrupt-jpeg-header", corruptJpegHeader(jpeg), "DECODE_FAILED", "decode"));
        c.add(file(root, "png-bomb", pngHeader(100_000, 100_000), "IMAGE_TOO_LARGE", "decode"));
        c.add(file(root, "oversize", new byte[(int) MAX_BYTES + 1], "TOO_LARGE", "fetch"));
        // Fetches that fail.
        c.add(uri("http-404", base + "/missing.jpg", "NOT_FOUND"));
        c.add(uri("http-403", base + "/forbidden.jpg", "HTTP_ERROR"));
        c.add(uri("http-500", base + "/error.jpg", "HTTP_ERROR"));
        c.add(uri("http-timeout", base + "/hang.jpg", "FETCH_TIMEOUT"));
        c.add(uri("http-slow-body", base + "/drip.jpg", "FETCH_TIMEOUT"));
        c.add(uri("redirect-loop", base + "/loop.jpg", "REDIRECT_LIMIT"));
        c.add(uri("redirect-to-metadata", base + "/to-metadata.jpg", "FETCH_REFUSED"));
        c.add(uri("redirect-to-private", base + "/to-private.jpg", "FETCH_REFUSED"));
        c.add(uri("redirect-to-mapped-private", base + "/to-mapped.jpg", "FETCH_REFUSED"));
        c.add(uri("credentials", "http://streamsight:" + PASSWORD + "@10.0.0.1/cat.jpg", "FETCH_REFUSED"));
        c.add(uri("credentials-404", "http://streamsight:" + PASSWORD + "@127.0.0.1:"
                + base.substring(base.lastIndexOf(':') + 1) + "/missing.jpg", "NOT_FOUND"));
        Path outside = Files.write(dir.resolve("outside.jpg"), jpeg);
        c.add(uri("outside-roots", outside.toUri().toString(), "FETCH_REFUSED"));
        c.add(uri("dot-dot", "file://" + root + "/../outside.jpg", "FETCH_REFUSED"));
        c.add(uri("symlink-out", Files.createSymbolicLink(root.resolve("link.jpg"), outside).toUri().toString(),
                "FETCH_REFUSED"));
        c.add(uri("directory", Files.createDirectories(root.resolve("a-directory.jpg")).toUri().toString(),
                "FETCH_REFUSED"));
        Path fifo = root.resolve("fifo.jpg");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        c.add(uri("fifo", fifo.toUri().toString(), "FETCH_REFUSED"));
        c.add(uri("missing-file", root.resolve("no-such.jpg").toUri().toString(), "NOT_FOUND"));
        c.add(uri("ftp", "ftp://127.0.0.1/cat.jpg", "UNSUPPORTED_URI"));
        c.add(uri("data-uri", "data:image/jpeg;base64,/9j/4AAQ", "UNSUPPORTED_URI"));
        c.add(uri("jar-uri", "jar:" + base + "/a.jar!/cat.jpg", "UNSUPPORTED_URI"));
        // Records that are not ImageEvents.
        byte[] framed = AvroSerdes.specific(ImageEvent.class, Map.of("schema.registry.url", registryUrl), false)
                .serializer().serialize(INPUT, StreamingIo.uriEvent("x", "file:///x.jpg", null));
        int imageEventId = ByteBuffer.wrap(framed, 1, 4).getInt();
        c.add(raw("malformed-avro", WireFormat.frame(imageEventId,
                new byte[] {0x01, (byte) 0xff, (byte) 0xfe, 0x7f, 0x00, 0x13}), "MALFORMED_AVRO"));
        c.add(raw("truncated-avro", Arrays.copyOf(framed, framed.length - 4), "MALFORMED_AVRO"));
        c.add(raw("other-schema", otherSchemaRecord(registryUrl), "SCHEMA_MISMATCH"));
        c.add(raw("no-wire-header", ("{\"id\":\"json\",\"uri\":\"" + CONTENT_MARKER + "\"}")
                .getBytes(StandardCharsets.UTF_8), "NOT_WIRE_FORMAT"));
        c.add(raw("too-short", new byte[] {0, 0}, "NOT_WIRE_FORMAT"));
        c.add(raw("unknown-schema-id", WireFormat.frame(99_999, new byte[] {2, 'x'}), "UNKNOWN_SCHEMA_ID"));
        // Events that are valid Avro but not valid events.
        c.add(new Bad("unknown-model", "UNKNOWN_MODEL", "validate",
                StreamingIo.uriEvent("unknown-model", photos.getFirst().toUri().toString(), List.of("resnet-9000")),
                null));
        c.add(new Bad("empty-inline", "INVALID_EVENT", "validate",
                StreamingIo.inlineEvent("empty-inline", new byte[0], null), null));
        c.add(new Bad("empty-uri", "INVALID_EVENT", "validate", StreamingIo.uriEvent("empty-uri", "", null), null));
        return c;
    }

    private static Bad file(Path root, String id, byte[] bytes, String code, String stage) throws IOException {
        Path f = Files.write(root.resolve(id + ".jpg"), bytes);
        return new Bad(id, code, stage, StreamingIo.uriEvent(id, f.toUri().toString(), null), null);
    }

    private static Bad inline(String id, byte[] bytes, String code, String stage) {
        return new Bad(id, code, stage, StreamingIo.inlineEvent(id, bytes, null), null);
    }

    private static Bad uri(String id, String uri, String code) {
        return new Bad(id, code, "fetch", StreamingIo.uriEvent(id, uri, null), null);
    }

    private static Bad raw(String id, byte[] bytes, String code) {
        return new Bad(id, code, "deserialize", null, bytes);
    }

    /** A valid Confluent-framed record of another registered schema (a sensor reading). */
    private static byte[] otherSchemaRecord(String registryUrl) {
        Schema sensor = new Schema.Parser().parse("""
                {"type":"record","name":"Sensor","namespace":"example","fields":[
                  {"name":"sensor","type":"string"},{"name":"value","type":"double"}]}""");
        GenericRecord r = new GenericData.Record(sensor);
        r.put("sensor", "s-1");
        r.put("value", 21.5);
        return AvroSerdes.<Object>generic(Map.of("schema.registry.url", registryUrl), false).serializer()
                .serialize("sensors", r);
    }

    private static byte[] corruptJpegHeader(byte[] jpeg) {
        byte[] bad = jpeg.clone();
        for (int i = 0; i + 4 < bad.length; i++) {
            if ((bad[i] & 0xff) == 0xFF && ((bad[i + 1] & 0xff) == 0xC0 || (bad[i + 1] & 0xff) == 0xC2)) {
                bad[i + 4] = 3; // sample precision 3 bits: no decoder supports it
                return bad;
            }
        }
        throw new AssertionError("no SOF marker");
    }

    /** A PNG whose header declares w x h pixels, with no image data. */
    private static byte[] pngHeader(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        b.put(chunk("IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array()));
        b.put(chunk("IEND", new byte[0]));
        return b.array();
    }

    private static byte[] chunk(String type, byte[] data) {
        ByteBuffer c = ByteBuffer.allocate(12 + data.length);
        c.putInt(data.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        CRC32 crc = new CRC32();
        crc.update(c.array(), 4, 4 + data.length);
        c.putInt((int) crc.getValue());
        return c.array();
    }

    /** The local image server: a photo, error statuses, a server that never answers, a dripping body, redirects. */
    private static HttpServer startServer(Path photo) throws IOException {
        byte[] image = Files.readAllBytes(photo);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            try (ex) {
                switch (ex.getRequestURI().getPath()) {
                    case "/cat.jpg" -> send(ex, 200, image);
                    case "/forbidden.jpg" -> send(ex, 403, CONTENT_MARKER.getBytes(StandardCharsets.UTF_8));
                    case "/error.jpg" -> send(ex, 500, CONTENT_MARKER.getBytes(StandardCharsets.UTF_8));
                    case "/hang.jpg" -> sleep(30_000);
                    case "/drip.jpg" -> drip(ex);
                    case "/loop.jpg" -> redirect(ex, "/loop.jpg");
                    case "/to-metadata.jpg" -> redirect(ex, "http://169.254.169.254/latest/meta-data/");
                    case "/to-private.jpg" -> redirect(ex, "http://10.0.0.1/cat.jpg");
                    case "/to-mapped.jpg" -> redirect(ex, "http://[::ffff:10.0.0.1]/cat.jpg");
                    default -> send(ex, 404, CONTENT_MARKER.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the client gave up: expected for the slow ones
            }
        });
        server.start();
        return server;
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
    }

    /** A body that starts at once but arrives a byte every 300 ms, for longer than any fetch waits. */
    private static void drip(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(200, 200);
        OutputStream out = ex.getResponseBody();
        for (int i = 0; i < 200; i++) {
            out.write(0xFF);
            out.flush();
            sleep(300);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long procStatusKb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError(field + " not in /proc/" + pid + "/status");
    }
}
