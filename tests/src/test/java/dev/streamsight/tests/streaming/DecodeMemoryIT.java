package dev.streamsight.tests.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.avro.ClassificationResult;
import dev.streamsight.avro.DeadLetter;
import dev.streamsight.cli.Main;
import dev.streamsight.embedded.EmbeddedKafka;
import dev.streamsight.serde.InProcessSchemaRegistry;
import dev.streamsight.tests.streaming.StreamingIo.CommittedReader;
import dev.streamsight.tests.streaming.StreamingIo.EventProducer;
import dev.streamsight.tests.streaming.StreamingIo.Output;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of very large images through {@code streamsight run} in its own JVM with a 1 GiB heap:
 * 30 events pointing at one valid 8000x8000 JPEG, 3 at an 8000x8000 PNG and one at a 9500x9500 PNG,
 * all in one partition (batches of 16). {@code image.min.decode.ratio=64} makes the JPEGs decode
 * at full size (the classifier would otherwise take them at 1/8 scale, 3 MB each), so each holds 192
 * MB of pixels; the PNGs have no reduced decode, and javax.imageio takes twice that while decoding.
 * A batch held whole would need gigabytes. Under the default budget (half the heap, 512 MiB) the
 * images go through in slices of at most two (the results' engine batch sizes show it), the
 * 9500x9500 PNG (about 540 MB to decode) is refused as {@code IMAGE_TOO_LARGE}, every event gets
 * exactly one result or dead letter (read_committed), and the JVM is alive with no {@code
 * OutOfMemoryError} in its log.
 *
 * <p>The flush of a batch of such images takes about 10 s here, near the transaction timeout that
 * {@code run} sets by default, after which the broker may abort the transaction; the test raises it
 * ({@code producer.transaction.timeout.ms}) so that a slower machine does not make it flaky.
 */
class DecodeMemoryIT {
    private static final String INPUT = "huge-images";
    private static final String MODEL = PipelineRuntime.CLASSIFIER;
    private static final String RESULTS = INPUT + "." + MODEL;
    private static final String DLQ = INPUT + ".dlq";
    private static final Pattern BUDGET = Pattern.compile("images in flight hold at most (\\d+) MiB");

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void aBurstOfHugeImagesIsDecodedWithinTheBudgetOfAOneGigabyteHeap() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path jpeg = gradient(images.resolve("huge.jpg"), 8000, 8000, "jpg");
        Path png = gradient(images.resolve("huge.png"), 8000, 8000, "png");
        Path tooBig = gradient(images.resolve("too-big.png"), 9500, 9500, "png");
        System.out.printf("fixtures: JPEG %d bytes, PNG %d bytes, 9500x9500 PNG %d bytes%n", Files.size(jpeg),
                Files.size(png), Files.size(tooBig));
        Map<String, Path> events = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            events.put("png-" + i, png);
        }
        events.put("too-big", tooBig);
        for (int i = 0; i < 30; i++) {
            events.put(String.format("jpeg-%02d", i), jpeg);
        }

        Path log = dir.resolve("run.log");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                InProcessSchemaRegistry registry = InProcessSchemaRegistry.start()) {
            kafka.createTopics(1, INPUT, RESULTS, DLQ);
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx1g",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                    "--bootstrap-server", kafka.bootstrapServers(), "--schema-registry", registry.url(),
                    "--input-topic", INPUT, "--models", MODEL, "--application-id", "decode-memory-it",
                    "--max-wait", "100ms", "-p", "state.dir=" + dir.resolve("state"),
                    "-p", "commit.interval.ms=100", "-p", "fetch.file.roots=" + images,
                    "-p", "image.min.decode.ratio=64", "-p", "producer.transaction.timeout.ms=120000");
            long t0 = System.nanoTime();
            Process run = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), registry.url());
                    CommittedReader reader = new CommittedReader(kafka.bootstrapServers(), registry.url(),
                            Map.of(RESULTS, ClassificationResult.class, DLQ, DeadLetter.class))) {
                events.forEach((id, p) -> producer.sendAsync(INPUT, 0, System.currentTimeMillis(), id,
                        StreamingIo.uriEvent(id, p.toUri().toString(), null), new RecordHeaders()));
                producer.flush();
                List<Output> out = reader.readUntil("an output for every event", Duration.ofMinutes(8), seen -> {
                    if (!run.isAlive()) {
                        throw new AssertionError("streamsight run exited (" + run.exitValue() + "):\n" + StreamingIo.logTail(log));
                    }
                    return seen.stream().map(Output::key).distinct().count() >= events.size();
                });
                System.out.printf("%d events answered in %.1f s%n", events.size(), (System.nanoTime() - t0) / 1e9);

                Map<String, List<Output>> byId = out.stream().collect(Collectors.groupingBy(Output::key));
                List<String> problems = new ArrayList<>();
                int largestBatch = 0;
                for (String id : events.keySet()) {
                    List<Output> records = byId.getOrDefault(id, List.of());
                    if (records.size() != 1) {
                        problems.add(id + " has " + records.size() + " outputs");
                    } else if (id.equals("too-big")) {
                        DeadLetter dl = records.getFirst().value() instanceof DeadLetter d ? d : null;
                        if (dl == null || !dl.getReasonCode().equals("IMAGE_TOO_LARGE")
                                || !dl.getMessage().contains("image.decode.memory")) {
                            problems.add(id + ": " + records.getFirst().value());
                        }
                    } else if (records.getFirst().value() instanceof ClassificationResult r) {
                        largestBatch = Math.max(largestBatch, r.getTimings().getBatchSize());
                    } else {
                        problems.add(id + ": " + records.getFirst().value());
                    }
                }
                assertEquals(List.of(), problems, StreamingIo.logTail(log));
                assertEquals(events.size(), out.size(), "nothing else was written");
                assertTrue(largestBatch <= 2, "images ran in slices of at most two (192 MB of pixels each), not"
                        + " batches of 16: largest engine batch " + largestBatch);
                assertTrue(run.isAlive(), "streamsight run is still running");
            } finally {
                run.destroy();
                assertTrue(run.waitFor(60, TimeUnit.SECONDS), "run stops after SIGTERM");
            }
            String text = Files.readString(log);
            Matcher budget = BUDGET.matcher(text);
            assertTrue(budget.find(), "the budget is logged:\n" + StreamingIo.logTail(log));
            assertEquals(512, Integer.parseInt(budget.group(1)), "half of the 1 GiB heap");
            assertFalse(text.contains("OutOfMemoryError"), "no OutOfMemoryError:\n" + StreamingIo.logTail(log));
            assertFalse(text.contains("stream thread died"), "no stream thread died:\n" + StreamingIo.logTail(log));
            assertEquals(0, run.exitValue(), "clean exit on SIGTERM:\n" + StreamingIo.logTail(log));
        }
    }

    /** A smooth RGB gradient (small on disk) of {@code w x h}, written with javax.imageio. */
    private static Path gradient(Path file, int w, int h, String format) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            int row = y * w * 3;
            for (int x = 0; x < w; x++) {
                bgr[row + 3 * x] = (byte) 128;
                bgr[row + 3 * x + 1] = (byte) (y * 255L / h);
                bgr[row + 3 * x + 2] = (byte) (x * 255L / w);
            }
        }
        try {
            if (!ImageIO.write(img, format, file.toFile())) {
                throw new IllegalStateException("no " + format + " writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
