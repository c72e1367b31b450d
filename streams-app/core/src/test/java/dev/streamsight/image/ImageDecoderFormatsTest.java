package dev.streamsight.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.image.internal.DctScale;
import dev.streamsight.testing.Fixtures;
import dev.streamsight.testing.LibjpegEncoder;
import dev.streamsight.testing.NativeJpeg;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Unusual encodings generated in the test, DCT scaling, EXIF orientation and ICC handling. */
class ImageDecoderFormatsTest {
    private static final ImageDecoder FAST = ImageDecoders.standard(DecoderOptions.DEFAULTS);
    private static final ImageDecoder FALLBACK = ImageDecoders.fallback(DecoderOptions.DEFAULTS);
    private static final int W = 64;
    private static final int H = 48;

    static List<ImageDecoder> decoders() {
        return List.of(FAST, FALLBACK);
    }

    private static void assertPixel(RgbImage img, int x, int y, int[] rgb, int tolerance) {
        int i = (y * img.width() + x) * 3;
        for (int c = 0; c < 3; c++) {
            int v = img.pixels()[i + c] & 0xFF;
            assertTrue(Math.abs(v - rgb[c]) <= tolerance,
                    "pixel (" + x + "," + y + ") channel " + c + ": " + v + " vs " + rgb[c]);
        }
    }

    private static void assertQuadrants(RgbImage img, int[] order, int tolerance) {
        int w = img.width();
        int h = img.height();
        int[][] centres = {{w / 4, h / 4}, {3 * w / 4, h / 4}, {w / 4, 3 * h / 4}, {3 * w / 4, 3 * h / 4}};
        for (int q = 0; q < 4; q++) {
            double[] mean = TestImages.meanAround(img, centres[q][0], centres[q][1], 2);
            int[] want = TestImages.QUADRANTS[order[q]];
            for (int c = 0; c < 3; c++) {
                assertTrue(Math.abs(mean[c] - want[c]) <= tolerance,
                        "quadrant " + q + " channel " + c + ": " + mean[c] + " vs " + want[c] + " (expected colour "
                                + order[q] + ")");
            }
        }
    }

    @Test
    void dctScalingPicksTheSmallestFactorAboveTheHint() {
        NativeJpeg.assumeAvailable();
        byte[] cat = Fixtures.bytes(Fixtures.photo("winml_cat.jpg")); // 1000x1000
        RgbImage img = FAST.decode(cat, new DecodeHint(512));
        assertEquals(625, img.width()); // 5/8; 1/2 would give 500 < 512
        assertEquals(625, img.height());
        assertEquals(1000, img.sourceWidth());
        assertEquals(1000, img.sourceHeight());
        assertEquals(500, FAST.decode(cat, new DecodeHint(500)).width());
        assertEquals(125, FAST.decode(cat, new DecodeHint(1)).width()); // 1/8 is the smallest factor
        assertEquals(1000, FAST.decode(cat, new DecodeHint(0)).width());
        assertEquals(1000, FAST.decode(cat, new DecodeHint(5000)).width()); // never upscales
        // Fallback ignores the hint (full resolution).
        assertEquals(1000, FALLBACK.decode(cat, new DecodeHint(512)).width());
    }

    @Test
    void dctScaleIsTheSmallestEighthWhoseShorterSideMeetsTheHint() {
        assertEquals(new DctScale(3), DctScale.choose(1546, 1213, 450)); // ceil(1213 * 3 / 8) = 455
        assertEquals(new DctScale(2), DctScale.choose(1546, 1213, 304)); // ceil(1213 * 2 / 8) = 304
        assertEquals(DctScale.FULL, DctScale.choose(100, 80, 81)); // never upscales
        assertEquals(DctScale.FULL, DctScale.choose(100, 80, 0));
        assertEquals(new DctScale(1), DctScale.choose(9, 9, 2)); // ceil(9 / 8) = 2
        assertEquals(625, new DctScale(5).scale(1000));
    }

    @Test
    void dctScalingWithExifRotationKeepsFullSourceSize() {
        NativeJpeg.assumeAvailable();
        byte[] rgb = TestImages.quadrants(800, 480);
        byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(TestImages.rgbImage(rgb, 800, 480), 0.95f, false), 6, true);
        RgbImage img = FAST.decode(jpeg, new DecodeHint(200));
        assertEquals(240, img.width()); // 480 * 1/2, rotated
        assertEquals(400, img.height());
        assertEquals(480, img.sourceWidth());
        assertEquals(800, img.sourceHeight());
        assertQuadrants(img, new int[] {2, 0, 3, 1}, 6);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void exifOrientationIsAppliedByBothDecoders(int orientation) {
        // Expected source quadrant at displayed TL, TR, BL, BR (source: 0=TL red, 1=TR green, 2=BL blue, 3=BR yellow).
        int[][] expected = {{0, 1, 2, 3}, {1, 0, 3, 2}, {3, 2, 1, 0}, {2, 3, 0, 1}, {0, 2, 1, 3}, {2, 0, 3, 1},
            {3, 1, 2, 0}, {1, 3, 0, 2}};
        byte[] jpeg = TestImages.jpeg(TestImages.rgbImage(TestImages.quadrants(W, H), W, H), 0.95f, false);
        for (boolean bigEndian : new boolean[] {true, false}) {
            byte[] rotated = TestImages.withExifOrientation(jpeg, orientation, bigEndian);
            RgbImage fast = FAST.decode(rotated, DecodeHint.FULL_RESOLUTION);
            RgbImage slow = FALLBACK.decode(rotated, DecodeHint.FULL_RESOLUTION);
            boolean swap = orientation >= 5;
            assertEquals(swap ? H : W, fast.width());
            assertEquals(swap ? W : H, fast.height());
            assertEquals(fast.width(), fast.sourceWidth());
            assertQuadrants(fast, expected[orientation - 1], 6);
            assertQuadrants(slow, expected[orientation - 1], 6);
            assertEquals(0.0, TestImages.difference(fast, slow)[1], "4:2:0 JPEGs decode identically");
        }
    }

    @Test
    void pngExifOrientationIsApplied() {
        byte[] png = TestImages.write(TestImages.rgbImage(TestImages.quadrants(W, H), W, H), "png");
        // Insert an eXIf chunk (orientation 8) right after IHDR.
        byte[] exif = ImageDecoderErrorsTest.chunk("eXIf", TestImages.tiffWithOrientation(8, false));
        byte[] out = ByteBuffer.allocate(png.length + exif.length).put(png, 0, 33).put(exif)
                .put(png, 33, png.length - 33).array();
        for (ImageDecoder d : decoders()) {
            RgbImage img = d.decode(out, DecodeHint.FULL_RESOLUTION);
            assertEquals(H, img.width());
            assertQuadrants(img, new int[] {1, 3, 0, 2}, 0);
        }
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void grayscaleAndProgressiveJpeg(ImageDecoder d) {
        byte[] gradient = TestImages.gradient(W, H);
        BufferedImage gray = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                gray.getRaster().setSample(x, y, 0, 40 + 3 * x);
            }
        }
        RgbImage g = d.decode(TestImages.jpeg(gray, 0.95f, false), DecodeHint.FULL_RESOLUTION);
        for (int x = 4; x < W; x += 13) {
            int v = 40 + 3 * x;
            assertPixel(g, x, 10, new int[] {v, v, v}, 4);
        }
        byte[] progressive = TestImages.jpeg(TestImages.rgbImage(gradient, W, H), 0.95f, true);
        assertTrue(containsSof2(progressive), "writer produced a progressive JPEG");
        RgbImage p = d.decode(progressive, DecodeHint.FULL_RESOLUTION);
        double[] diff = TestImages.difference(p, RgbImage.of(W, H, gradient));
        assertTrue(diff[0] < 2.0, "progressive MAD " + diff[0]);
        assertEquals(0.0, TestImages.difference(p, FALLBACK.decode(progressive, DecodeHint.FULL_RESOLUTION))[1]);
    }

    private static boolean containsSof2(byte[] jpeg) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC2) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void cmykAndYcckJpegsUsePillowsFormula(ImageDecoder d) {
        LibjpegEncoder encoder = NativeJpeg.encoder();
        int[][] inks = {{200, 50, 10, 30}, {0, 0, 0, 0}, {30, 180, 90, 60}, {100, 20, 200, 10}};
        for (int[] ink : inks) {
            byte[] cmyk = new byte[16 * 16 * 4];
            for (int i = 0; i < 16 * 16; i++) {
                for (int c = 0; c < 4; c++) {
                    cmyk[i * 4 + c] = (byte) (255 - ink[c]); // Adobe (Photoshop) JPEGs store inverted CMYK
                }
            }
            int nk = 255 - ink[3];
            int[] want = {nk - ink[0] * nk / 255, nk - ink[1] * nk / 255, nk - ink[2] * nk / 255};
            for (LibjpegEncoder.Layout layout : new LibjpegEncoder.Layout[] {LibjpegEncoder.Layout.CMYK,
                LibjpegEncoder.Layout.YCCK}) {
                byte[] jpeg = encoder.encode(cmyk, 16, 16, layout, LibjpegEncoder.Sampling.S444, 100, false);
                assertPixel(d.decode(jpeg, DecodeHint.FULL_RESOLUTION), 8, 8, want, 3);
            }
        }
    }

    @Test
    void iccProfilesAreNotApplied() {
        byte[] rgb = TestImages.gradient(W, H);
        byte[] plain = TestImages.jpeg(TestImages.rgbImage(rgb, W, H), 0.95f, false);
        byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        ByteBuffer app2 = ByteBuffer.allocate(4 + 14 + profile.length);
        app2.put((byte) 0xFF).put((byte) 0xE2).putShort((short) (2 + 14 + profile.length));
        app2.put("ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 1);
        app2.put(profile);
        byte[] tagged = ByteBuffer.allocate(plain.length + app2.capacity()).put(plain, 0, 2).put(app2.array())
                .put(plain, 2, plain.length - 2).array();
        RgbImage reference = FAST.decode(plain, DecodeHint.FULL_RESOLUTION);
        for (ImageDecoder d : decoders()) {
            assertEquals(0.0, TestImages.difference(reference, d.decode(tagged, DecodeHint.FULL_RESOLUTION))[1]);
        }
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void png16BitKeepsTheHighByte(ImageDecoder d) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(W, H);
        byte[] rgb = TestImages.gradient(W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int c = 0; c < 3; c++) {
                    r.setSample(x, y, c, (rgb[(y * W + x) * 3 + c] & 0xFF) << 8 | 0xC3);
                }
            }
        }
        byte[] png = TestImages.write(new BufferedImage(cm, r, false, null), "png");
        assertEquals(16, png[24], "bit depth");
        assertArrayEquals(rgb, d.decode(png, DecodeHint.FULL_RESOLUTION).pixels());
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void alphaIsDroppedKeepingColourValues(ImageDecoder d) {
        ComponentColorModel grayAlpha = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true,
                false, Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster r = grayAlpha.createCompatibleWritableRaster(W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                r.setSample(x, y, 0, 3 * x);
                r.setSample(x, y, 1, y < H / 2 ? 0 : 255);
            }
        }
        RgbImage ga = d.decode(TestImages.write(new BufferedImage(grayAlpha, r, false, null), "png"),
                DecodeHint.FULL_RESOLUTION);
        assertPixel(ga, 10, 2, new int[] {30, 30, 30}, 0); // fully transparent: value kept
        assertPixel(ga, 20, H - 1, new int[] {60, 60, 60}, 0);

        BufferedImage rgba = new BufferedImage(W, H, BufferedImage.TYPE_4BYTE_ABGR);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                rgba.getRaster().setPixel(x, y, new int[] {x * 3, 200, y * 5, x % 2 == 0 ? 0 : 128});
            }
        }
        RgbImage ra = d.decode(TestImages.write(rgba, "png"), DecodeHint.FULL_RESOLUTION);
        assertPixel(ra, 10, 7, new int[] {30, 200, 35}, 0);
        assertPixel(ra, 11, 7, new int[] {33, 200, 35}, 0);
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void paletteFormatsAndBmp(ImageDecoder d) {
        byte[] reds = {(byte) 220, 30, 30, (byte) 230};
        byte[] greens = {30, (byte) 200, 30, (byte) 230};
        byte[] blues = {30, 30, (byte) 220, 40};
        IndexColorModel icm = new IndexColorModel(8, 4, reds, greens, blues, 1); // index 1 transparent
        BufferedImage indexed = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_INDEXED, icm);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                indexed.getRaster().setSample(x, y, 0, (y < H / 2 ? 0 : 2) + (x < W / 2 ? 0 : 1));
            }
        }
        byte[] expected = TestImages.quadrants(W, H);
        assertArrayEquals(expected, d.decode(TestImages.write(indexed, "png"), DecodeHint.FULL_RESOLUTION).pixels());
        assertArrayEquals(expected, d.decode(TestImages.write(indexed, "gif"), DecodeHint.FULL_RESOLUTION).pixels());
        BufferedImage bgr = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
        bgr.setData(TestImages.rgbImage(expected, W, H).getRaster());
        assertArrayEquals(expected, d.decode(TestImages.write(bgr, "bmp"), DecodeHint.FULL_RESOLUTION).pixels());
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void webpLossyLosslessAndAlpha(ImageDecoder d) {
        // 1x1 WebP files (lossy VP8, lossless VP8L, VP8X + ALPH): the well-known feature-detection images.
        String[] files = {"UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA",
            "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==",
            "UklGRkoAAABXRUJQVlA4WAoAAAAQAAAAAAAAAAAAQUxQSAwAAAARBxAR/Q9ERP8DAABWUDggGAAAABQBAJ0BKgEAAQAAAP4AAA3AAP7mtQAAAA=="};
        for (String f : files) {
            byte[] webp = Base64.getDecoder().decode(f);
            RgbImage img = d.decode(webp, DecodeHint.FULL_RESOLUTION);
            assertEquals(1, img.width());
            assertEquals(1, img.height());
            System.out.println("webp " + f.substring(0, 20) + " -> " + Arrays.toString(img.pixels()));
        }
        byte[] lossless = Base64.getDecoder().decode(files[1]);
        assertEquals(dev.streamsight.ReasonCode.TRUNCATED, org.junit.jupiter.api.Assertions.assertThrows(
                ImageException.class, () -> d.decode(Arrays.copyOf(lossless, 24), DecodeHint.FULL_RESOLUTION)).code());
    }
}
