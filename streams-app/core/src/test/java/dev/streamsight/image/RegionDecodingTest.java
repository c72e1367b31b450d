package dev.streamsight.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.ReasonCode;
import dev.streamsight.image.internal.LibjpegDecoder;
import dev.streamsight.image.internal.RegionJpeg;
import dev.streamsight.testing.Fixtures;
import dev.streamsight.testing.LibjpegEncoder;
import dev.streamsight.testing.LibjpegEncoder.Sampling;
import dev.streamsight.testing.NativeJpeg;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Region decoding ({@link DecodeHint#region()}) gives exactly the pixels of a whole decode, for
 * every shared photo and for generated JPEGs of every chroma subsampling, progressive ones, odd
 * sizes and reduced DCT scales, and wherever a corrupted file decodes whole; decodes through
 * native copies (images over {@link LibjpegDecoder#MAX_CRITICAL_BYTES}) come out as those in
 * place; and a centre-cropping preprocessor writes the same tensor from a region decode as from a
 * whole one. The tests of the native decoder are skipped where it is unavailable ({@link
 * NativeJpeg}).
 */
class RegionDecodingTest {
    private static final ImageDecoder FAST = ImageDecoders.standard(DecoderOptions.DEFAULTS);

    /** The fast decoder with every decode through native copies, as for the largest images. */
    private static ImageDecoder offHeap() {
        return new LibjpegDecoder(RegionJpeg.instance().orElseThrow(), ImageDecoders.fallback(DecoderOptions.DEFAULTS),
                DecoderOptions.DEFAULTS, 0);
    }

    /** Decodes {@code jpeg} whole and in many regions, at the scale chosen for {@code minShortSide}. */
    private static int checkRegions(String name, byte[] jpeg, int minShortSide, long seed) {
        RgbImage whole = FAST.decode(jpeg, new DecodeHint(minShortSide));
        assertTrue(whole.isWhole(), name);
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
        NativeJpeg.assumeAvailable();
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
        NativeJpeg.assumeAvailable();
        LibjpegEncoder encoder = NativeJpeg.encoder();
        int[][] sizes = {{333, 517}, {517, 333}, {17, 9}, {1000, 7}, {64, 64}, {801, 601}};
        List<Sampling> samplings = List.of(Sampling.S444, Sampling.S422, Sampling.S420, Sampling.S440, Sampling.S411);
        for (int[] s : sizes) {
            byte[] rgb = TestImages.gradient(s[0], s[1]);
            for (Sampling sampling : samplings) {
                byte[] jpeg = encoder.rgb(rgb, s[0], s[1], sampling, 90);
                String name = s[0] + "x" + s[1] + " sampling " + sampling;
                int seed = sampling.hashCode();
                checkRegions(name, jpeg, 0, seed);
                int shortSide = Math.min(s[0], s[1]);
                checkRegions(name + " at 1/2", jpeg, (shortSide + 1) / 2, seed); // DCT scale 1/2
                checkRegions(name + " at 3/4", jpeg, (3 * shortSide + 3) / 4, seed); // 3/4
            }
            byte[] gray = new byte[s[0] * s[1]];
            for (int i = 0; i < gray.length; i++) {
                gray[i] = rgb[3 * i + 1];
            }
            checkRegions(s[0] + "x" + s[1] + " gray", encoder.encode(gray, s[0], s[1], LibjpegEncoder.Layout.GRAY,
                    Sampling.S444, 90, false), 0, 7);
            BufferedImage img = TestImages.rgbImage(rgb, s[0], s[1]);
            checkRegions(s[0] + "x" + s[1] + " progressive", TestImages.jpeg(img, 0.9f, true), 0, 11);
            checkRegions(s[0] + "x" + s[1] + " progressive 4:2:0", encoder.encode(rgb, s[0], s[1],
                    LibjpegEncoder.Layout.RGB, Sampling.S420, 90, true), 0, 13);
        }
    }

    @Test
    void regionsMatchForRestartMarkersArithmeticCodingAndNonInterleavedScans() throws Exception {
        NativeJpeg.assumeAvailable();
        // Made by src/test/c/make-jpeg-codings.c.
        String[] names = {"restart-every-row-333x217.jpg", "restart-every-7-mcus-422-310x205.jpg",
            "arithmetic-301x199.jpg", "non-interleaved-scans-257x190.jpg"};
        for (String name : names) {
            byte[] jpeg;
            try (var in = RegionDecodingTest.class.getResourceAsStream("/jpeg-codings/" + name)) {
                jpeg = in.readAllBytes();
            }
            checkRegions(name, jpeg, 0, name.hashCode());
            checkRegions(name + " at 1/2", jpeg, 95, name.hashCode());
        }
    }

    @Test
    void decodesThroughNativeCopiesMatchThoseInPlace() {
        NativeJpeg.assumeAvailable();
        ImageDecoder offHeap = offHeap();
        DecodeHint centre = new DecodeHint(0, (w, h, sw, sh) -> new PixelRegion(sw / 4, sh / 4, sw / 2, sh / 2));
        for (Path p : Fixtures.list(Fixtures.imagenetSampleDir())) {
            byte[] bytes = Fixtures.bytes(p);
            for (DecodeHint hint : List.of(DecodeHint.FULL_RESOLUTION, centre, new DecodeHint(100))) {
                RgbImage inPlace = FAST.decode(bytes, hint);
                RgbImage copied = offHeap.decode(bytes, hint);
                assertEquals(inPlace.region(), copied.region(), p.toString());
                assertArrayEquals(inPlace.pixels(), copied.pixels(), p.toString());
            }
            byte[] cut = Arrays.copyOf(bytes, bytes.length / 2);
            ImageException a = assertThrows(ImageException.class, () -> FAST.decode(cut, DecodeHint.FULL_RESOLUTION));
            ImageException b = assertThrows(ImageException.class, () -> offHeap.decode(cut, DecodeHint.FULL_RESOLUTION));
            assertEquals(ReasonCode.TRUNCATED, a.code(), a.getMessage());
            assertEquals(a.getMessage(), b.getMessage());
        }
    }

    @Test
    void anImageOverTheInPlaceLimitDecodesThroughNativeCopies() {
        NativeJpeg.assumeAvailable();
        int w = 4800;
        int h = 3600; // 51.8 MB decoded, over LibjpegDecoder.MAX_CRITICAL_BYTES
        assertTrue(3L * w * h > LibjpegDecoder.MAX_CRITICAL_BYTES);
        byte[] jpeg = NativeJpeg.encoder().rgb(TestImages.gradient(w, h), w, h, Sampling.S420, 85);
        RgbImage whole = FAST.decode(jpeg, DecodeHint.FULL_RESOLUTION);
        assertEquals(w, whole.width());
        PixelRegion r = new PixelRegion(1234, 987, 2000, 1500);
        RgbImage part = FAST.decode(jpeg, new DecodeHint(0, (iw, ih, sw, sh) -> r));
        assertEquals(r, part.region());
        assertArrayEquals(crop(whole, r), part.pixels());
        ImageException e = assertThrows(ImageException.class,
                () -> FAST.decode(Arrays.copyOf(jpeg, jpeg.length * 3 / 4), DecodeHint.FULL_RESOLUTION));
        assertEquals(ReasonCode.TRUNCATED, e.code(), e.getMessage());
    }

    @Test
    void corruptedAndTruncatedFilesGiveTheWholeDecodesPixelsInARegion() throws Exception {
        NativeJpeg.assumeAvailable();
        ImageDecoder offHeap = offHeap();
        List<byte[]> originals = new ArrayList<>();
        for (Path p : Fixtures.list(Fixtures.imagenetSampleDir()).subList(0, 8)) {
            originals.add(Fixtures.bytes(p));
        }
        byte[] restartEveryRow = codingFixture("restart-every-row-333x217.jpg");
        byte[] restartEvery7 = codingFixture("restart-every-7-mcus-422-310x205.jpg");
        originals.add(restartEveryRow);
        originals.add(restartEvery7);
        int[] outcomes = new int[2]; // decoded, failed
        // A restart marker missing (libjpeg resynchronises, reading on to the next one), and fill
        // bytes before a stuffed zero (FF FF 00).
        for (byte[] jpeg : List.of(restartEveryRow, restartEvery7)) {
            int rst = indexOf(jpeg, scanStart(jpeg), (byte) 0xFF, (byte) 0xD0);
            byte[] cut = new byte[jpeg.length - 2];
            System.arraycopy(jpeg, 0, cut, 0, rst);
            System.arraycopy(jpeg, rst + 2, cut, rst, jpeg.length - rst - 2);
            compare(offHeap, cut, "first RST marker removed", outcomes);
        }
        for (byte[] jpeg : originals.subList(0, 8)) {
            int stuffed = indexOf(jpeg, scanStart(jpeg), (byte) 0xFF, (byte) 0x00);
            byte[] longer = new byte[jpeg.length + 1];
            System.arraycopy(jpeg, 0, longer, 0, stuffed);
            longer[stuffed] = (byte) 0xFF;
            System.arraycopy(jpeg, stuffed, longer, stuffed + 1, jpeg.length - stuffed);
            compare(offHeap, longer, "FF FF 00", outcomes);
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
            compare(offHeap, jpeg, "trial " + trial, outcomes);
        }
        assertTrue(outcomes[0] > 50 && outcomes[1] > 50, outcomes[0] + " decoded, " + outcomes[1] + " failed");
    }

    /**
     * Decodes {@code jpeg} whole with the fast decoder in place and through native copies, and a
     * region of its top third in place: the whole decodes must fail alike or give the same pixels,
     * and where they succeed the region must hold their pixels.
     */
    private static void compare(ImageDecoder offHeap, byte[] jpeg, String what, int[] outcomes) {
        String expected = null;
        RgbImage reference = null;
        try {
            reference = FAST.decode(jpeg, DecodeHint.FULL_RESOLUTION);
            outcomes[0]++;
        } catch (ImageException e) {
            expected = e.code() + ": " + e.getMessage();
            outcomes[1]++;
        }
        try {
            RgbImage copied = offHeap.decode(jpeg, DecodeHint.FULL_RESOLUTION);
            assertTrue(reference != null, what + ": failed in place with " + expected);
            assertArrayEquals(reference.pixels(), copied.pixels(), what);
        } catch (ImageException e) {
            assertEquals(expected, e.code() + ": " + e.getMessage(), what);
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
        NativeJpeg.assumeAvailable();
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
        NativeJpeg.assumeAvailable();
        byte[] jpeg = NativeJpeg.encoder().rgb(TestImages.gradient(640, 480), 640, 480, Sampling.S420, 90);
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
