package dev.streamsight.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streamsight.ReasonCode;
import dev.streamsight.image.internal.TurboJpeg;
import dev.streamsight.image.internal.TurboJpegDecoder;
import dev.streamsight.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Region decoding ({@link DecodeHint#region()}) gives exactly the pixels of a whole decode, for
 * every shared photo and for generated JPEGs of every chroma subsampling, progressive ones, odd
 * sizes and reduced DCT scales; and a centre-cropping preprocessor writes the same tensor from a
 * region decode as from a whole one.
 *
 * <p>The region decoder has its own entropy decoder for baseline scans ({@code huffman.c}), so
 * every whole decode here is also compared with libturbojpeg's, which uses libjpeg-turbo's, and
 * corrupted and truncated files must come out of both the same way.
 */
class RegionDecodingTest {
    private static final ImageDecoder FAST = ImageDecoders.standard(DecoderOptions.DEFAULTS);
    /** libturbojpeg only: libjpeg-turbo's own entropy decoder, whole images. */
    private static ImageDecoder wholeOnly;

    @BeforeAll
    static void regionDecoderIsBuilt() {
        assumeTrue(ImageDecoders.fastJpegAvailable(), "libturbojpeg is not installed");
        // .ci/run installs gcc and libjpeg62-turbo-dev, so the build packages the region decoder.
        assertTrue(ImageDecoders.regionDecodingAvailable(), "the region JPEG decoder was not built or not loaded");
        wholeOnly = new TurboJpegDecoder(TurboJpeg.instance().orElseThrow(), null,
                ImageDecoders.fallback(DecoderOptions.DEFAULTS), DecoderOptions.DEFAULTS);
    }

    /** Decodes {@code jpeg} whole and in many regions, at the scale chosen for {@code minShortSide}. */
    private static int checkRegions(String name, byte[] jpeg, int minShortSide, long seed) {
        RgbImage whole = FAST.decode(jpeg, new DecodeHint(minShortSide));
        assertTrue(whole.isWhole(), name);
        assertArrayEquals(wholeOnly.decode(jpeg, new DecodeHint(minShortSide)).pixels(), whole.pixels(),
                name + ": same pixels as libturbojpeg");
        int w = whole.width();
        int h = whole.height();
        List<PixelRegion> regions = new ArrayList<>(List.of(
                new PixelRegion(0, 0, 1, 1), new PixelRegion(w - 1, h - 1, 1, 1),
                new PixelRegion(0, h - 1, w, 1), new PixelRegion(w - 1, 0, 1, h),
                new PixelRegion(w / 3, h / 4, Math.max(1, w / 2), Math.max(1, h / 2))));
        Random random = new Random(seed);
        for (int i = 0; i < 16; i++) {
            int x = random.nextInt(w);
            int y = random.nextInt(h);
            regions.add(new PixelRegion(x, y, 1 + random.nextInt(w - x), 1 + random.nextInt(h - y)));
        }
        for (PixelRegion r : regions) {
            RgbImage part = FAST.decode(jpeg, new DecodeHint(minShortSide, (iw, ih, sw, sh) -> r));
            assertEquals(w, part.width(), name);
            assertEquals(h, part.height(), name);
            assertEquals(whole.sourceWidth(), part.sourceWidth(), name);
            assertEquals(r, part.region(), name + ": the decoder returns the region asked for");
            assertArrayEquals(crop(whole, r), part.pixels(), name + " region " + r);
        }
        return regions.size();
    }

    static byte[] crop(RgbImage whole, PixelRegion r) {
        byte[] out = new byte[3 * r.width() * r.height()];
        for (int y = 0; y < r.height(); y++) {
            System.arraycopy(whole.pixels(), 3 * ((r.y() + y) * whole.width() + r.x()), out, 3 * y * r.width(),
                    3 * r.width());
        }
        return out;
    }

    @Test
    void regionsOfEverySharedPhotoMatchTheWholeDecode() {
        int checked = 0;
        for (Path p : ImageDecoderPhotosTest.allPhotos()) {
            byte[] bytes = Fixtures.bytes(p);
            if (bytes.length > 1 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8) {
                checked += checkRegions(p.getFileName().toString(), bytes, 0, p.hashCode());
            }
        }
        assertTrue(checked > 1200, "regions checked: " + checked);
    }

    @Test
    void regionsMatchForEverySubsamplingProgressiveOddSizesAndScales() {
        int[][] sizes = {{333, 517}, {517, 333}, {17, 9}, {1000, 7}, {64, 64}, {801, 601}};
        int[] subsamplings = {TurboJpegEncoder.TJSAMP_444, 1 /* 4:2:2 */, TurboJpegEncoder.TJSAMP_420,
                4 /* 4:4:0 */, 5 /* 4:1:1 */};
        for (int[] s : sizes) {
            byte[] rgb = TestImages.gradient(s[0], s[1]);
            for (int sub : subsamplings) {
                byte[] jpeg = TurboJpegEncoder.compress(rgb, s[0], s[1], TurboJpegEncoder.TJPF_RGB, 3, sub, 90);
                String name = s[0] + "x" + s[1] + " subsampling " + sub;
                checkRegions(name, jpeg, 0, sub);
                int shortSide = Math.min(s[0], s[1]);
                checkRegions(name + " at 1/2", jpeg, (shortSide + 1) / 2, sub); // DCT scale 1/2
                checkRegions(name + " at 3/4", jpeg, (3 * shortSide + 3) / 4, sub); // 3/4
            }
            byte[] gray = new byte[s[0] * s[1]];
            for (int i = 0; i < gray.length; i++) {
                gray[i] = rgb[3 * i + 1];
            }
            checkRegions(s[0] + "x" + s[1] + " gray", TurboJpegEncoder.compress(gray, s[0], s[1],
                    TurboJpegEncoder.TJPF_GRAY, 1, TurboJpegEncoder.TJSAMP_GRAY, 90), 0, 7);
            BufferedImage img = TestImages.rgbImage(rgb, s[0], s[1]);
            checkRegions(s[0] + "x" + s[1] + " progressive", TestImages.jpeg(img, 0.9f, true), 0, 11);
        }
    }

    @Test
    void regionsMatchForRestartMarkersArithmeticCodingAndNonInterleavedScans() throws Exception {
        // Made by src/test/c/make-jpeg-codings.c: codings the TurboJPEG 2.x API cannot write.
        String[] names = {"restart-every-row-333x217.jpg", "restart-every-7-mcus-422-310x205.jpg",
            "arithmetic-301x199.jpg", "non-interleaved-scans-257x190.jpg"};
        for (String name : names) {
            byte[] jpeg;
            try (var in = RegionDecodingTest.class.getResourceAsStream("/jpeg-codings/" + name)) {
                jpeg = in.readAllBytes();
            }
            checkRegions(name, jpeg, 0, name.hashCode());
            checkRegions(name + " at 1/2", jpeg, 95, name.hashCode());
            assertArrayEquals(wholeOnly.decode(jpeg, DecodeHint.FULL_RESOLUTION).pixels(),
                    FAST.decode(jpeg, DecodeHint.FULL_RESOLUTION).pixels(), name);
        }
    }

    @Test
    void aRegionDecodeMatchesLibturbojpegsWholeDecode() {
        for (Path p : Fixtures.list(Fixtures.imagenetSampleDir())) {
            byte[] bytes = Fixtures.bytes(p);
            RgbImage reference = wholeOnly.decode(bytes, DecodeHint.FULL_RESOLUTION);
            RgbImage whole = FAST.decode(bytes, DecodeHint.FULL_RESOLUTION);
            assertArrayEquals(reference.pixels(), whole.pixels(), p.toString());
        }
    }

    @Test
    void corruptedAndTruncatedFilesComeOutAsFromLibturbojpeg() throws Exception {
        List<byte[]> originals = new ArrayList<>();
        for (Path p : Fixtures.list(Fixtures.imagenetSampleDir()).subList(0, 8)) {
            originals.add(Fixtures.bytes(p));
        }
        byte[] restartEveryRow = codingFixture("restart-every-row-333x217.jpg");
        byte[] restartEvery7 = codingFixture("restart-every-7-mcus-422-310x205.jpg");
        originals.add(restartEveryRow);
        originals.add(restartEvery7);
        int[] outcomes = new int[2]; // decoded, failed
        // Cases that once differed: a restart marker missing (libjpeg's resynchronisation leaves the
        // next one pending), and fill bytes before a stuffed zero (FF FF 00).
        for (byte[] jpeg : List.of(restartEveryRow, restartEvery7)) {
            int rst = indexOf(jpeg, scanStart(jpeg), (byte) 0xFF, (byte) 0xD0);
            byte[] cut = new byte[jpeg.length - 2];
            System.arraycopy(jpeg, 0, cut, 0, rst);
            System.arraycopy(jpeg, rst + 2, cut, rst, jpeg.length - rst - 2);
            compareWithLibturbojpeg(cut, "first RST marker removed", outcomes);
        }
        for (byte[] jpeg : originals.subList(0, 8)) {
            int stuffed = indexOf(jpeg, scanStart(jpeg), (byte) 0xFF, (byte) 0x00);
            byte[] longer = new byte[jpeg.length + 1];
            System.arraycopy(jpeg, 0, longer, 0, stuffed);
            longer[stuffed] = (byte) 0xFF;
            System.arraycopy(jpeg, stuffed, longer, stuffed + 1, jpeg.length - stuffed);
            compareWithLibturbojpeg(longer, "FF FF 00", outcomes);
        }
        Random random = new Random(2026);
        for (int trial = 0; trial < 400; trial++) {
            byte[] jpeg = originals.get(trial % originals.size()).clone();
            int scan = scanStart(jpeg);
            if (trial % 4 == 3) { // cut short anywhere in the scan
                jpeg = Arrays.copyOf(jpeg, scan + random.nextInt(jpeg.length - scan));
            } else { // 1 to 3 bytes changed in the scan: bit errors, stray 0xFF bytes and markers
                for (int k = 0; k <= random.nextInt(3); k++) {
                    int at = scan + random.nextInt(jpeg.length - 2 - scan);
                    jpeg[at] = switch (random.nextInt(4)) {
                        case 0 -> (byte) 0xFF;
                        case 1 -> (byte) (jpeg[at] ^ (1 << random.nextInt(8)));
                        default -> (byte) random.nextInt(256);
                    };
                }
            }
            compareWithLibturbojpeg(jpeg, "trial " + trial, outcomes);
        }
        assertTrue(outcomes[0] > 50 && outcomes[1] > 50, outcomes[0] + " decoded, " + outcomes[1] + " failed");
    }

    /**
     * Decodes {@code jpeg} whole with libturbojpeg and with the fast decoder, and a region of its
     * top third with the fast decoder: the whole decodes must fail with the same code or give the
     * same pixels, and where libturbojpeg succeeds the region must hold its pixels.
     */
    private static void compareWithLibturbojpeg(byte[] jpeg, String what, int[] outcomes) {
        ReasonCode expected = null;
        RgbImage reference = null;
        try {
            reference = wholeOnly.decode(jpeg, DecodeHint.FULL_RESOLUTION);
        } catch (ImageException e) {
            expected = e.code();
        }
        try {
            RgbImage image = FAST.decode(jpeg, DecodeHint.FULL_RESOLUTION);
            assertTrue(reference != null, what + ": libturbojpeg failed with " + expected);
            assertArrayEquals(reference.pixels(), image.pixels(), what);
            outcomes[0]++;
        } catch (ImageException e) {
            assertEquals(expected, e.code(), what + ": " + e.getMessage());
            outcomes[1]++;
        }
        if (reference != null) {
            int w = reference.width();
            int h = reference.height();
            PixelRegion top = new PixelRegion(w / 4, 0, Math.max(1, w / 2), Math.max(1, h / 3));
            RgbImage part = FAST.decode(jpeg, new DecodeHint(0, (iw, ih, sw, sh) -> top));
            assertArrayEquals(crop(reference, top), part.isWhole() ? crop(part, top) : part.pixels(),
                    what + ": region " + top);
        }
    }

    private static byte[] codingFixture(String name) throws java.io.IOException {
        try (var in = RegionDecodingTest.class.getResourceAsStream("/jpeg-codings/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The offset of the first {@code a b} at or after {@code from}. */
    private static int indexOf(byte[] data, int from, byte a, byte b) {
        for (int i = from; i + 1 < data.length; i++) {
            if (data[i] == a && data[i + 1] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }

    /** The offset of the first byte after the first SOS segment. */
    private static int scanStart(byte[] jpeg) {
        for (int i = 2; i + 3 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
                return i + 2 + ((jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF));
            }
        }
        throw new IllegalArgumentException("no SOS");
    }

    @Test
    void aCentreCropWritesTheSameTensorFromItsRegion() {
        Preprocessor pre = Preprocessors.create(PreprocessSpec.imagenet(224, 256));
        int elements = 3 * 224 * 224;
        FloatBuffer a = ByteBuffer.allocateDirect(4 * elements).order(ByteOrder.nativeOrder()).asFloatBuffer();
        FloatBuffer b = ByteBuffer.allocateDirect(4 * elements).order(ByteOrder.nativeOrder()).asFloatBuffer();
        int smaller = 0;
        for (Path p : ImageDecoderPhotosTest.allPhotos()) {
            byte[] bytes = Fixtures.bytes(p);
            for (int minShortSide : new int[] {0, 256}) {
                RgbImage whole = FAST.decode(bytes, new DecodeHint(minShortSide));
                RgbImage part = FAST.decode(bytes, new DecodeHint(minShortSide, pre.regionOfInterest()));
                if (part.pixels().length < whole.pixels().length) {
                    smaller++;
                }
                assertEquals(pre.write(whole, a, 0), pre.write(part, b, 0), p.toString());
                float[] x = new float[elements];
                float[] y = new float[elements];
                a.get(0, x);
                b.get(0, y);
                assertArrayEquals(x, y, p.toString());
            }
        }
        assertTrue(smaller > 60, "region decodes smaller than the image: " + smaller);
    }

    @Test
    void anImageWithoutTheRegionThePreprocessorNeedsIsRefused() {
        Preprocessor pre = Preprocessors.create(PreprocessSpec.imagenet(224, 256));
        byte[] rgb = TestImages.gradient(500, 375);
        RgbImage corner = new RgbImage(500, 375, Arrays.copyOf(rgb, 3 * 10 * 10), 500, 375,
                new PixelRegion(0, 0, 10, 10));
        FloatBuffer t = ByteBuffer.allocateDirect(4 * 3 * 224 * 224).order(ByteOrder.nativeOrder()).asFloatBuffer();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pre.write(corner, t, 0));
        assertTrue(e.getMessage().contains("regionOfInterest"), e.getMessage());
    }

    @Test
    void aFileCutShortBelowTheRegionIsStillTruncated() {
        byte[] jpeg = TurboJpegEncoder.compress(TestImages.gradient(640, 480), 640, 480, TurboJpegEncoder.TJPF_RGB,
                3, TurboJpegEncoder.TJSAMP_420, 90);
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length * 9 / 10); // the last rows and the EOI are gone
        DecodeHint top = new DecodeHint(0, (w, h, sw, sh) -> new PixelRegion(0, 0, w, 16));
        ImageException e = assertThrows(ImageException.class, () -> FAST.decode(cut, top));
        assertEquals(ReasonCode.TRUNCATED, e.code());
        assertEquals(16, FAST.decode(jpeg, top).region().height());
    }

    @Test
    void hintsCombineToServeBothConsumers() {
        DecodeHint crop = new DecodeHint(100, (w, h, sw, sh) -> new PixelRegion(10, 20, 30, 40));
        DecodeHint other = new DecodeHint(300, (w, h, sw, sh) -> new PixelRegion(5, 50, 10, 20));
        DecodeHint both = crop.union(other);
        assertEquals(300, both.minShortSide());
        assertEquals(new PixelRegion(5, 20, 35, 50), both.region().of(100, 100, 100, 100));
        assertEquals(RegionOfInterest.WHOLE, crop.union(DecodeHint.FULL_RESOLUTION).region());
    }
}
