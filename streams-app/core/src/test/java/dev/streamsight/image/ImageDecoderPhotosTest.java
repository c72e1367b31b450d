package dev.streamsight.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.image.internal.ExifOrientation;
import dev.streamsight.image.internal.ImageFormat;
import dev.streamsight.testing.Fixtures;
import dev.streamsight.testing.NativeJpeg;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every shared photo decodes with both decoders, and they agree; the fast decoder is thread-safe. */
class ImageDecoderPhotosTest {
    private static final ImageDecoder FAST = ImageDecoders.standard(DecoderOptions.DEFAULTS);
    private static final ImageDecoder FALLBACK = ImageDecoders.fallback(DecoderOptions.DEFAULTS);

    static List<Path> allPhotos() {
        return Stream.concat(Fixtures.list(Fixtures.photosDir()).stream(),
                Fixtures.list(Fixtures.imagenetSampleDir()).stream()).toList();
    }

    @Test
    void theFastPathIsAvailableHere() {
        // Skipped, with the reason, on a machine that cannot build or load the native decoder
        // (CI sets STREAMSIGHT_REQUIRE_NATIVE=true, which makes it fail there instead).
        NativeJpeg.assumeAvailable();
        byte[] cat = Fixtures.bytes(Fixtures.photo("winml_cat.jpg"));
        assertEquals(500, FAST.decode(cat, new DecodeHint(500)).width(), "decoded at DCT scale 1/2");
    }

    @Test
    void allPhotosDecodeWithBothDecodersAndAgree() {
        List<Path> photos = allPhotos();
        assertEquals(67, photos.size());
        int loose = 0;
        int worstOtherMax = 0;
        double worstMean = 0;
        int worstMax = 0;
        String worstFile = "";
        long sum = 0;
        long samples = 0;
        for (Path p : photos) {
            byte[] bytes = Fixtures.bytes(p);
            RgbImage fast = FAST.decode(bytes, DecodeHint.FULL_RESOLUTION);
            RgbImage slow = FALLBACK.decode(bytes, DecodeHint.FULL_RESOLUTION);
            assertEquals(fast.width(), fast.sourceWidth(), p.toString());
            assertEquals(fast.height(), fast.sourceHeight(), p.toString());
            double[] diff = TestImages.difference(fast, slow);
            sum += Math.round(diff[0] * slow.pixels().length);
            samples += slow.pixels().length;
            if (diff[0] > worstMean) {
                worstMean = diff[0];
                worstFile = p.getFileName().toString();
            }
            worstMax = Math.max(worstMax, (int) diff[1]);
            if (diff[0] > 0.05) {
                loose++;
                System.out.printf("  %s: MAD %.4f max %d%n", p.getFileName(), diff[0], (int) diff[1]);
            }
            if (ImageFormat.sniff(bytes) != ImageFormat.JPEG) {
                assertEquals(0.0, diff[1], "non-JPEG goes through the same decoder: " + p);
            }
        }
        double overall = (double) sum / samples;
        System.out.printf("fast vs fallback over %d photos: overall MAD %.4f, worst MAD %.4f (%s), max %d;"
                + " max %d on the %d files with MAD <= 0.05%n", photos.size(), overall, worstMean, worstFile,
                worstMax, worstOtherMax, photos.size() - loose);
        // The two darknet photos use h1v2 chroma subsampling: libjpeg-turbo 2.x upsamples it with the
        // smooth (fancy) filter, the JDK's libjpeg 6b by replication; all other files agree closely.
        assertTrue(worstMean < 0.6, "worst mean abs difference " + worstMean + " in " + worstFile);
        assertTrue(loose <= 2, loose + " files have MAD > 0.05");
        assertTrue(overall < 0.03, "overall MAD " + overall);
        assertTrue(worstMax <= 40, "max abs difference " + worstMax);
        assertEquals(0, worstOtherMax, "files other than the h1v2 ones decode bit-identically");
    }

    @Test
    void photoSizesAndTheOneExifRotatedSample() {
        assertSize("winml_cat.jpg", 1000, 1000);
        assertSize("darknet_dog_bicycle_truck.jpg", 768, 576);
        assertSize("pytorch_hub_dog_samoyed.jpg", 1546, 1213);
        assertSize("winml_kitten_224.png", 224, 224);
        List<String> rotated = new ArrayList<>();
        for (Path p : allPhotos()) {
            byte[] bytes = Fixtures.bytes(p);
            int o = ExifOrientation.read(ImageFormat.sniff(bytes), bytes);
            if (o != 1) {
                rotated.add(p.getFileName() + "=" + o);
                RgbImage img = FAST.decode(bytes, DecodeHint.FULL_RESOLUTION);
                RgbImage unrotated = FALLBACK.decode(stripExif(bytes), DecodeHint.FULL_RESOLUTION);
                boolean swaps = o >= 5;
                assertEquals(swaps ? unrotated.height() : unrotated.width(), img.width(), p.toString());
                assertEquals(swaps ? unrotated.width() : unrotated.height(), img.height(), p.toString());
            }
        }
        // The fixture README says one ImageNet sample carries a rotation flag, but every IFD0
        // Orientation tag in these files (checked independently) is 1: none is rotated.
        assertEquals(List.of(), rotated);
    }

    /** Replaces the "Exif" identifier of APP1 segments so no orientation is found. */
    private static byte[] stripExif(byte[] jpeg) {
        byte[] copy = jpeg.clone();
        for (int i = 0; i + 10 < copy.length; i++) {
            if ((copy[i] & 0xFF) == 0xFF && (copy[i + 1] & 0xFF) == 0xE1 && copy[i + 4] == 'E' && copy[i + 5] == 'x') {
                copy[i + 4] = 'X';
                return copy;
            }
        }
        return copy;
    }

    private static void assertSize(String name, int w, int h) {
        RgbImage img = FAST.decode(Fixtures.bytes(Fixtures.photo(name)), DecodeHint.FULL_RESOLUTION);
        assertEquals(w, img.width(), name);
        assertEquals(h, img.height(), name);
    }

    @Test
    void eightThreadsDecodeLikeOne() throws Exception {
        List<byte[]> inputs = allPhotos().stream().map(Fixtures::bytes).toList();
        List<byte[]> expected = new ArrayList<>();
        for (byte[] in : inputs) {
            expected.add(FAST.decode(in, new DecodeHint(200)).pixels());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int start = t * 7;
                futures.add(pool.submit(() -> {
                    int n = 0;
                    for (int k = 0; k < inputs.size(); k++) {
                        int i = (start + k) % inputs.size();
                        assertArrayEquals(expected.get(i), FAST.decode(inputs.get(i), new DecodeHint(200)).pixels());
                        n++;
                    }
                    return n;
                }));
            }
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get();
            }
            assertEquals(8 * inputs.size(), total);
        } finally {
            pool.shutdownNow();
        }
    }
}
