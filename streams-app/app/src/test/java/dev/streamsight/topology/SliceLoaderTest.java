package dev.streamsight.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.ReasonCode;
import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.avro.InlineImage;
import dev.streamsight.avro.Lineage;
import dev.streamsight.avro.PendingImage;
import dev.streamsight.fetch.FetchOptions;
import dev.streamsight.fetch.FileAccess;
import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.image.DecodeFootprint;
import dev.streamsight.image.DecodeHint;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.ImageException;
import dev.streamsight.image.RgbImage;
import dev.streamsight.postprocess.DetectionOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches loaded in slices that fit the decode budget, with a decoder whose footprint each image's
 * first byte gives (in MiB): what fits goes together, what never fits is refused, what does not fit
 * now waits for the next slice, every byte comes back, and stream threads sharing the budget never
 * hold more than it nor wait on each other for ever.
 */
class SliceLoaderTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    /** Declares {@code bytes[0]} MiB, decodes into 2x2 pixels; 0xFF: declares none, fails; notes the budget's peak. */
    private static final class FakeDecoder implements ImageDecoder {
        final AtomicLong peak = new AtomicLong();
        DecodeBudget budget;

        @Override
        public RgbImage decode(byte[] encoded, DecodeHint hint) {
            peak.accumulateAndGet(budget.reservedBytes(), Math::max);
            if ((encoded[0] & 0xFF) == 0xFF) {
                throw new ImageException(ReasonCode.DECODE_FAILED, "broken");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return RgbImage.of(2, 2, new byte[12]);
        }

        @Override
        public DecodeFootprint footprint(byte[] encoded, DecodeHint hint) {
            int mib = (encoded[0] & 0xFF) == 0xFF ? 0 : encoded[0] & 0xFF;
            return mib == 0 ? DecodeFootprint.unreadable("none") : new DecodeFootprint(mib * MIB, 12, mib + " MiB");
        }
    }

    private SliceLoader loader(FakeDecoder decoder, long budget, long fetchMax) {
        PipelineResources resources = new PipelineResources(new ImageFetcher(FetchOptions.forEvents()
                .withFiles(FileAccess.under(List.of(dir)))), decoder, 4, 5,
                DetectionOptions.DEFAULT, budget);
        decoder.budget = resources.decodeBudget();
        return new SliceLoader(resources, DecodeHint.FULL_RESOLUTION, fetchMax);
    }

    private static BatchItem inline(String id, int footprintMib, int size) {
        byte[] bytes = new byte[size];
        bytes[0] = (byte) footprintMib;
        return item(ImageEvent.newBuilder().setId(id).setImage(new InlineImage(ByteBuffer.wrap(bytes))).build());
    }

    private static BatchItem item(ImageEvent event) {
        return new BatchItem(new PendingImage(event, new Lineage("images", 0, 0L), 0L, 0L, List.of()));
    }

    private static List<List<String>> load(SliceLoader loader, List<BatchItem> items) {
        List<List<String>> slices = new ArrayList<>();
        loader.load(items, slice -> slices.add(slice.stream().map(i -> i.event().getId()
                + (i.failed() ? ":" + i.failureCode() : "")).toList()));
        return slices;
    }

    @Test
    void whatFitsGoesTogetherWhatNeverFitsIsRefusedTheRestWaits() {
        FakeDecoder decoder = new FakeDecoder();
        SliceLoader loader = loader(decoder, 10 * MIB, MIB);
        List<BatchItem> items = List.of(inline("a", 2, 4), inline("b", 3, 4), inline("c", 4, 4),
                inline("huge", 12, 4), inline("d", 6, 4), inline("bad", 0xFF, 4), inline("e", 1, 4));
        List<List<String>> slices = load(loader, items);
        assertEquals(List.of(List.of("a", "b", "c", "huge:IMAGE_TOO_LARGE"), List.of("d", "bad:DECODE_FAILED", "e")),
                slices);
        BatchItem huge = items.get(3);
        assertEquals(Stage.DECODE, huge.failureStage());
        assertTrue(huge.failureMessage().contains("12 MiB") && huge.failureMessage().contains("image.decode.memory"),
                huge.failureMessage());
        assertTrue(decoder.peak.get() <= 10 * MIB, "peak " + decoder.peak.get());
        assertEquals(0, decoder.budget.reservedBytes());
    }

    @Test
    void referencesAreTakenWhileTheirFetchAllowanceFits() throws Exception {
        FakeDecoder decoder = new FakeDecoder();
        SliceLoader loader = loader(decoder, 10 * MIB, 4 * MIB);
        List<BatchItem> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path f = Files.write(dir.resolve("f" + i), new byte[] {1, 2, 3});
            items.add(item(ImageEvent.newBuilder().setId("f" + i).setImage(new ImageRef(f.toUri().toString()))
                    .build()));
        }
        assertEquals(List.of(List.of("f0", "f1"), List.of("f2", "f3"), List.of("f4")), load(loader, items),
                "fetch.max.bytes (4 MiB) is reserved for each reference until its bytes are in");
        assertTrue(items.stream().allMatch(i -> !i.failed() && i.fetchMs > 0));
        assertEquals(0, decoder.budget.reservedBytes());
    }

    @Test
    void theFirstToDecodeTakesTheMemoryTheOthersFetchedBytesHeld() {
        FakeDecoder decoder = new FakeDecoder();
        SliceLoader loader = loader(decoder, 10 * MIB, MIB);
        // a needs 6 MiB to decode besides its 3 MiB of bytes, which b's 3 MiB of bytes leave no room for.
        List<BatchItem> items = List.of(inline("a", 6, 3 << 20), inline("b", 1, 3 << 20));
        assertEquals(List.of(List.of("a"), List.of("b")), load(loader, items));
        assertTrue(decoder.peak.get() <= 10 * MIB, "peak " + decoder.peak.get());
        assertEquals(0, decoder.budget.reservedBytes());
    }

    @Test
    @Timeout(30)
    void streamThreadsSharingTheBudgetNeverHoldMoreThanItNorWaitForEachOther() throws Exception {
        FakeDecoder decoder = new FakeDecoder();
        SliceLoader loader = loader(decoder, 10 * MIB, MIB);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            runs.add(threads.submit(() -> {
                List<BatchItem> items = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    items.add(inline(thread + "-" + i, 1 + (i * 3 + thread) % 7, 64 << 10));
                }
                loader.load(items, slice -> slice.forEach(item -> done.add(item.event().getId())));
            }));
        }
        for (Future<?> f : runs) {
            f.get(20, TimeUnit.SECONDS);
        }
        threads.shutdown();
        assertEquals(32, done.size());
        assertTrue(decoder.peak.get() <= 10 * MIB, "peak " + decoder.peak.get());
        assertEquals(0, decoder.budget.reservedBytes());
    }
}
