package dev.streamsight.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.image.internal.Resampler;
import dev.streamsight.testing.Fixtures;
import dev.streamsight.testing.SyntheticImages;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * End-to-end behaviour of {@link Preprocessors#create}: torchvision centre-crop parity, letterbox
 * placement and padding, normalisation, layouts, float16, reduced-scale input, concurrency.
 */
class PreprocessorTest {
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    // ---- centre crop parity -------------------------------------------------------------------

    /**
     * Raw samples of torchvision {@code Resize(256)} + {@code CenterCrop(224)} on a PIL image.
     * Expected CRC32/sum of the 224x224 RGB crop from {@code preprocess_reference.py}
     * ({@code torchvision_resize_crop}: Pillow 9.4 BILINEAR resize, torchvision's size and
     * round-half-even crop rules). PNGs decode identically in ImageIO and Pillow.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "synthetic:500x375:1, 31241142, 19090855",
        "synthetic:375x500:6, 0f574fe5, 19110147",
        "winml_fish_224.png, 1238638e, 13220203",
        "winml_kitten_224.png, 5a0a745d, 27350503",
    })
    void centerCropMatchesTorchvision(String source, String crc, long sum) throws IOException {
        RgbImage image = load(source);
        FloatBuffer t = direct(3 * 224 * 224);
        Preprocessors.create(raw(PreprocessSpec.imagenet(224, 256), TensorLayout.NHWC)).write(image, t, 0);
        byte[] crop = toBytes(t, 0, 3 * 224 * 224);

        assertEquals(sum, sum(crop), "sample sum");
        assertEquals(crc, String.format("%08x", crc32(crop)), "CRC32 of the 224x224 crop");
    }

    /**
     * ImageNet normalisation as ToTensor + Normalize: per element against the formula in double,
     * and the tensor sum and three values against numpy float32 ({@code preprocess_reference.py}:
     * {@code (x / 255 - mean) / std}, which may differ from {@code x * (1/255f)} by an ulp).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "synthetic:500x375:1, 32347.022873, -1.0561693, 0.9754903, 1.1759479",
        "winml_fish_224.png, -69413.467271, -0.5938008, 1.8158263, -1.3861438",
        "winml_kitten_224.png, 175585.629820, 2.2489083, 0.5203082, 2.3437040",
    })
    void imagenetNormalisation(String source, double sum, float t000, float t1mid, float t2end)
            throws IOException {
        RgbImage image = load(source);
        FloatBuffer raw = direct(3 * 224 * 224);
        Preprocessors.create(raw(PreprocessSpec.imagenet(224, 256), TensorLayout.NCHW)).write(image, raw, 0);
        FloatBuffer t = direct(3 * 224 * 224);
        Geometry g = Preprocessors.create(PreprocessSpec.imagenet(224, 256)).write(image, t, 0);

        double total = 0;
        for (int i = 0; i < 3 * 224 * 224; i++) {
            int c = i / (224 * 224);
            double expected = (raw.get(i) / 255.0 - IMAGENET_MEAN[c]) / IMAGENET_STD[c];
            assertEquals(expected, t.get(i), 2e-6, "element " + i);
            total += t.get(i);
        }
        assertEquals(sum, total, 0.05);
        assertEquals(t000, t.get(0), 2e-6);
        assertEquals(t1mid, t.get(224 * 224 + 112 * 224 + 112), 2e-6);
        assertEquals(t2end, t.get(3 * 224 * 224 - 1), 2e-6);
        assertTrue(g.offsetX() <= 0 && g.offsetY() <= 0, "a crop has non-positive offsets");
    }

    @Test
    void centerCropGeometryMapsSourceToCrop() {
        RgbImage image = RgbImage.of(500, 375, SyntheticImages.rgb(500, 375, 1));
        Geometry g = Preprocessors.create(PreprocessSpec.imagenet(224, 256)).write(image, direct(3 * 224 * 224), 0);

        assertEquals(new Geometry(500, 375, 341.0 / 500, 256.0 / 375, -58, -16), g);
        assertEquals(58 * 500 / 341.0, g.toSourceX(0), 1e-9);
        assertEquals(250, g.toSourceX(250 * 341.0 / 500 - 58), 1e-9);
    }

    @Test
    void cropLargerThanResizedImageIsPaddedWithZero() {
        // Resize(200) then CenterCrop(224) on 500x375: 266x200, torchvision pads 12 rows on top, 12 below.
        PreprocessSpec spec = new PreprocessSpec(224, 224, ResizeMode.CENTER_CROP, 200, LetterboxAlign.CENTER,
                99f, Interpolation.BILINEAR, ChannelOrder.RGB, 1f, null, null, TensorLayout.NHWC);
        byte[] src = SyntheticImages.rgb(500, 375, 1);
        FloatBuffer t = direct(3 * 224 * 224);
        Geometry g = Preprocessors.create(spec).write(RgbImage.of(500, 375, src), t, 0);

        assertEquals(new Geometry(500, 375, 266.0 / 500, 200.0 / 375, -21, 12), g);
        byte[] resized = Resampler.resize(src, 500, 375, 266, 200, Interpolation.BILINEAR);
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                for (int c = 0; c < 3; c++) {
                    float v = t.get((y * 224 + x) * 3 + c);
                    float expected = y < 12 || y >= 212 ? 0f : resized[((y - 12) * 266 + x + 21) * 3 + c] & 0xFF;
                    assertEquals(expected, v, "pixel " + x + "," + y);
                }
            }
        }
    }

    // ---- letterbox ----------------------------------------------------------------------------

    @Test
    void ultralyticsCentredLetterbox() {
        // YOLOv8: RGB, /255, centred, pad 114. 640x427 -> 640x427 at top = round(106.5 - 0.1) = 106.
        PreprocessSpec spec = new PreprocessSpec(640, 640, ResizeMode.LETTERBOX, 0, LetterboxAlign.CENTER,
                114f, Interpolation.BILINEAR, ChannelOrder.RGB, 1f / 255f, null, null, TensorLayout.NCHW);
        byte[] src = SyntheticImages.rgb(640, 427, 11);
        FloatBuffer t = direct(3 * 640 * 640);
        Geometry g = Preprocessors.create(spec).write(RgbImage.of(640, 427, src), t, 0);

        assertEquals(new Geometry(640, 427, 1.0, 1.0, 0, 106), g);
        float pad = 114f * (1f / 255f);
        int plane = 640 * 640;
        for (int c = 0; c < 3; c++) {
            assertEquals(pad, t.get(c * plane + 105 * 640 + 17), "last top pad row");
            assertEquals((src[(0 * 640 + 17) * 3 + c] & 0xFF) * (1f / 255f), t.get(c * plane + 106 * 640 + 17));
            assertEquals((src[(426 * 640 + 639) * 3 + c] & 0xFF) * (1f / 255f), t.get(c * plane + 532 * 640 + 639));
            assertEquals(pad, t.get(c * plane + 533 * 640), "first bottom pad row");
            assertEquals(pad, t.get(c * plane + 639 * 640 + 639));
        }
        // Round trip: source corners land on the image's first/last tensor rows and come back.
        assertEquals(106.0, 0 * g.scaleY() + g.offsetY());
        assertEquals(533.0, 427 * g.scaleY() + g.offsetY());
        assertEquals(0.0, g.toSourceY(106));
        assertEquals(427.0, g.toSourceY(533));
        assertEquals(0.0, g.toSourceY(3), "padding clamps to the source");
    }

    @Test
    void yoloxTopLeftLetterboxBgrRaw() {
        // YOLOX: BGR, raw 0..255, top-left, pad 114. 500x375 -> r = 0.832 -> 416x312.
        PreprocessSpec spec = new PreprocessSpec(416, 416, ResizeMode.LETTERBOX, 0, LetterboxAlign.TOP_LEFT,
                114f, Interpolation.BILINEAR, ChannelOrder.BGR, 1f, null, null, TensorLayout.NCHW);
        byte[] src = SyntheticImages.rgb(500, 375, 1);
        FloatBuffer t = direct(3 * 416 * 416);
        Geometry g = Preprocessors.create(spec).write(RgbImage.of(500, 375, src), t, 0);

        assertEquals(new Geometry(500, 375, 416.0 / 500, 312.0 / 375, 0, 0), g);
        byte[] resized = Resampler.resize(src, 500, 375, 416, 312, Interpolation.BILINEAR);
        int plane = 416 * 416;
        for (int y = 0; y < 416; y++) {
            for (int x = 0; x < 416; x += 5) {
                for (int c = 0; c < 3; c++) {
                    float expected = y < 312 ? resized[(y * 416 + x) * 3 + (2 - c)] & 0xFF : 114f;
                    assertEquals(expected, t.get(c * plane + y * 416 + x), "c" + c + " " + x + "," + y);
                }
            }
        }
        // Boxes decode with a plain division by r: source (500, 375) is tensor (416, 312).
        assertEquals(416.0, 500 * g.scaleX() + g.offsetX(), 1e-9);
        assertEquals(312.0, 375 * g.scaleY() + g.offsetY(), 1e-9);
        assertEquals(500.0, g.toSourceX(416), 1e-9);
    }

    @Test
    void nanodetLetterboxPadsBlackBeforeNormalisation() {
        float[] mean = {103.53f, 116.28f, 123.675f};
        float[] std = {57.375f, 57.12f, 58.395f};
        PreprocessSpec spec = new PreprocessSpec(416, 416, ResizeMode.LETTERBOX, 0, LetterboxAlign.CENTER,
                0f, Interpolation.BILINEAR, ChannelOrder.BGR, 1f, mean, std, TensorLayout.NCHW);
        FloatBuffer t = direct(3 * 416 * 416);
        Geometry g = Preprocessors.create(spec).write(RgbImage.of(768, 576, SyntheticImages.rgb(768, 576, 3)), t, 0);

        assertEquals(52.0, g.offsetY(), "416x312 centred: top = round(52 - 0.1)");
        for (int c = 0; c < 3; c++) {
            assertEquals((0f - mean[c]) / std[c], t.get(c * 416 * 416), "pad of channel " + c);
            assertEquals((0f - mean[c]) / std[c], t.get(c * 416 * 416 + 415 * 416 + 415));
        }
    }

    // ---- normalisation, layout, float16 -------------------------------------------------------

    @Test
    void bgrRawMinusMean() {
        // SqueezeNet (Caffe): BGR, 0..255, minus BGR mean (104, 117, 123), NCHW.
        PreprocessSpec spec = new PreprocessSpec(224, 224, ResizeMode.CENTER_CROP, 256, LetterboxAlign.CENTER,
                0f, Interpolation.BILINEAR, ChannelOrder.BGR, 1f, new float[] {104f, 117f, 123f}, null,
                TensorLayout.NCHW);
        RgbImage image = RgbImage.of(500, 375, SyntheticImages.rgb(500, 375, 1));
        FloatBuffer rgb = direct(3 * 224 * 224);
        Preprocessors.create(raw(PreprocessSpec.imagenet(224, 256), TensorLayout.NHWC)).write(image, rgb, 0);
        FloatBuffer t = direct(3 * 224 * 224);
        Preprocessors.create(spec).write(image, t, 0);

        float[] mean = {104f, 117f, 123f};
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                for (int c = 0; c < 3; c++) {
                    float sample = rgb.get((y * 224 + x) * 3 + (2 - c));
                    assertEquals(sample - mean[c], t.get((c * 224 + y) * 224 + x));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"CENTER_CROP, RGB", "LETTERBOX, BGR", "STRETCH, BGR"})
    void nhwcIsTheTransposeOfNchw(ResizeMode mode, ChannelOrder order) {
        PreprocessSpec nchw = new PreprocessSpec(96, 64, mode, 80, LetterboxAlign.CENTER, 114f,
                Interpolation.BICUBIC, order, 1f / 255f, IMAGENET_MEAN, IMAGENET_STD, TensorLayout.NCHW);
        PreprocessSpec nhwc = raw(nchw, TensorLayout.NHWC, 1f / 255f, IMAGENET_MEAN, IMAGENET_STD);
        RgbImage image = RgbImage.of(150, 211, SyntheticImages.rgb(150, 211, 9));
        FloatBuffer a = direct(3 * 96 * 64);
        FloatBuffer b = direct(3 * 96 * 64);
        Geometry ga = Preprocessors.create(nchw).write(image, a, 0);
        Geometry gb = Preprocessors.create(nhwc).write(image, b, 0);

        assertEquals(ga, gb);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 96; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(a.get((c * 64 + y) * 96 + x), b.get((y * 96 + x) * 3 + c));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"NCHW", "NHWC"})
    void halfIsFloatToFloat16OfTheFloatPath(TensorLayout layout) {
        PreprocessSpec spec = raw(PreprocessSpec.imagenet(224, 256), layout, 1f / 255f, IMAGENET_MEAN, IMAGENET_STD);
        RgbImage image = RgbImage.of(333, 500, SyntheticImages.rgb(333, 500, 5));
        Preprocessor p = Preprocessors.create(spec);
        int n = 3 * 224 * 224;
        FloatBuffer f = direct(n);
        ShortBuffer h = ByteBuffer.allocateDirect(2 * n).order(ByteOrder.nativeOrder()).asShortBuffer();
        Geometry gf = p.write(image, f, 0);
        Geometry gh = p.writeHalf(image, h, 0);

        assertEquals(gf, gh);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToFloat16(f.get(i)), h.get(i), "element " + i);
        }
    }

    @Test
    void writesOnlyItsSlotAndLeavesPositionAndLimit() {
        Preprocessor p = Preprocessors.create(PreprocessSpec.imagenet(32, 40));
        int slot = 3 * 32 * 32;
        FloatBuffer batch = direct(3 * slot);
        for (int i = 0; i < 3 * slot; i++) {
            batch.put(i, Float.NaN);
        }
        batch.position(5);
        FloatBuffer alone = direct(slot);
        RgbImage image = RgbImage.of(64, 50, SyntheticImages.rgb(64, 50, 2));
        p.write(image, alone, 0);
        p.write(image, batch, slot);

        assertEquals(5, batch.position());
        assertEquals(3 * slot, batch.limit());
        for (int i = 0; i < slot; i++) {
            assertTrue(Float.isNaN(batch.get(i)) && Float.isNaN(batch.get(2 * slot + i)), "outside slot " + i);
            assertEquals(alone.get(i), batch.get(slot + i));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> p.write(image, batch, 2 * slot + 1));
        assertThrows(IndexOutOfBoundsException.class, () -> p.write(image, batch, -1));
    }

    @Test
    void heapAndNonNativeBuffersWork() {
        Preprocessor p = Preprocessors.create(PreprocessSpec.imagenet(16, 20));
        RgbImage image = RgbImage.of(30, 20, SyntheticImages.rgb(30, 20, 4));
        FloatBuffer direct = direct(3 * 16 * 16);
        FloatBuffer heap = FloatBuffer.allocate(3 * 16 * 16);
        FloatBuffer bigEndian = ByteBuffer.allocateDirect(4 * 3 * 16 * 16).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
        p.write(image, direct, 0);
        p.write(image, heap, 0);
        p.write(image, bigEndian, 0);
        for (int i = 0; i < 3 * 16 * 16; i++) {
            assertEquals(direct.get(i), heap.get(i));
            assertEquals(direct.get(i), bigEndian.get(i));
        }
    }

    // ---- stretch and reduced-scale input ------------------------------------------------------

    @Test
    void stretchResizesToTheTensor() {
        PreprocessSpec spec = new PreprocessSpec(100, 61, ResizeMode.STRETCH, 0, LetterboxAlign.CENTER, 0f,
                Interpolation.BILINEAR, ChannelOrder.RGB, 1f, null, null, TensorLayout.NHWC);
        byte[] src = SyntheticImages.rgb(37, 23, 3);
        FloatBuffer t = direct(3 * 100 * 61);
        Geometry g = Preprocessors.create(spec).write(RgbImage.of(37, 23, src), t, 0);

        assertEquals(new Geometry(37, 23, 100.0 / 37, 61.0 / 23, 0, 0), g);
        // Pillow parity of this exact resize is pinned in ResamplerPillowParityTest (crc 537f7b92).
        assertArrayEquals(Resampler.resize(src, 37, 23, 100, 61, Interpolation.BILINEAR), toBytes(t, 0, 3 * 100 * 61));
    }

    @Test
    void reducedScaleDecodeReportsSourceGeometry() {
        // A JPEG decoded at 1/2 scale: 250x188 pixels of a 500x375 source.
        byte[] small = SyntheticImages.rgb(250, 188, 7);
        RgbImage reduced = new RgbImage(250, 188, small, 500, 375);
        FloatBuffer t = direct(3 * 224 * 224);
        Geometry g = Preprocessors.create(raw(PreprocessSpec.imagenet(224, 256), TensorLayout.NHWC)).write(reduced, t, 0);

        // Same crop as for the full-resolution image: 341x256 from 500x375, origin (58, 16).
        assertEquals(new Geometry(500, 375, 341.0 / 500, 256.0 / 375, -58, -16), g);
        byte[] resized = Resampler.resize(small, 250, 188, 341, 256, Interpolation.BILINEAR);
        for (int y = 0; y < 224; y++) {
            for (int i = 0; i < 224 * 3; i++) {
                assertEquals(resized[((y + 16) * 341 + 58) * 3 + i] & 0xFF, (int) t.get(y * 224 * 3 + i));
            }
        }

        PreprocessSpec yolo = new PreprocessSpec(640, 640, ResizeMode.LETTERBOX, 0, LetterboxAlign.CENTER,
                114f, Interpolation.BILINEAR, ChannelOrder.RGB, 1f / 255f, null, null, TensorLayout.NCHW);
        Geometry lg = Preprocessors.create(yolo).write(reduced, direct(3 * 640 * 640), 0);
        Geometry full = Preprocessors.create(yolo)
                .write(RgbImage.of(500, 375, SyntheticImages.rgb(500, 375, 7)), direct(3 * 640 * 640), 0);
        assertEquals(full, lg);
        assertEquals(new Geometry(500, 375, 640.0 / 500, 480.0 / 375, 0, 80), lg);
        assertEquals(500.0, lg.toSourceX(640), 1e-9);
    }

    // ---- concurrency --------------------------------------------------------------------------

    @Test
    void eightThreadsGiveTheSameResults() throws Exception {
        List<Preprocessor> preprocessors = List.of(
                Preprocessors.create(PreprocessSpec.imagenet(224, 256)),
                Preprocessors.create(new PreprocessSpec(416, 416, ResizeMode.LETTERBOX, 0, LetterboxAlign.TOP_LEFT,
                        114f, Interpolation.BICUBIC, ChannelOrder.BGR, 1f, null, null, TensorLayout.NHWC)));
        List<RgbImage> images = List.of(
                RgbImage.of(500, 375, SyntheticImages.rgb(500, 375, 1)),
                RgbImage.of(300, 451, SyntheticImages.rgb(300, 451, 2)),
                new RgbImage(120, 90, SyntheticImages.rgb(120, 90, 3), 480, 360));
        List<float[]> expected = new ArrayList<>();
        for (Preprocessor p : preprocessors) {
            for (RgbImage im : images) {
                expected.add(run(p, im));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int start = thread;
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 6; round++) {
                        int k = (start + round) % expected.size();
                        float[] got = run(preprocessors.get(k / images.size()), images.get(k % images.size()));
                        if (!Arrays.equals(expected.get(k), got)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static float[] run(Preprocessor p, RgbImage image) {
        int n = 3 * p.spec().width() * p.spec().height();
        FloatBuffer t = direct(n);
        p.write(image, t, 0);
        float[] out = new float[n];
        t.get(0, out);
        return out;
    }

    /** The same geometry with identity normalisation (values = raw samples) in {@code layout}. */
    private static PreprocessSpec raw(PreprocessSpec s, TensorLayout layout) {
        return raw(s, layout, 1f, null, null);
    }

    private static PreprocessSpec raw(PreprocessSpec s, TensorLayout layout, float scale, float[] mean, float[] std) {
        return new PreprocessSpec(s.width(), s.height(), s.resize(), s.resizeShortSide(), s.align(),
                s.padValue(), s.interpolation(), s.channels(), scale, mean, std, layout);
    }

    private static FloatBuffer direct(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static byte[] toBytes(FloatBuffer t, int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            float v = t.get(from + i);
            assertEquals(Math.rint(v), v, "raw sample expected");
            b[i] = (byte) (int) v;
        }
        return b;
    }

    /** {@code synthetic:WxH:seed} or a PNG under the shared photos, read as raw RGB samples. */
    private static RgbImage load(String source) throws IOException {
        if (source.startsWith("synthetic:")) {
            String[] parts = source.split(":");
            String[] size = parts[1].split("x");
            int w = Integer.parseInt(size[0]);
            int h = Integer.parseInt(size[1]);
            return RgbImage.of(w, h, SyntheticImages.rgb(w, h, Long.parseLong(parts[2])));
        }
        BufferedImage img = ImageIO.read(Fixtures.photo(source).toFile());
        Raster r = img.getRaster();
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = new byte[3 * w * h];
        int[] px = new int[r.getNumBands()];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.getPixel(x, y, px);
                // Bands are R, G, B (, A): dropping alpha like Pillow's convert("RGB").
                for (int c = 0; c < 3; c++) {
                    rgb[(y * w + x) * 3 + c] = (byte) px[c];
                }
            }
        }
        return RgbImage.of(w, h, rgb);
    }

    private static long sum(byte[] b) {
        long s = 0;
        for (byte v : b) {
            s += v & 0xFF;
        }
        return s;
    }

    private static long crc32(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b);
        return crc.getValue();
    }
}
