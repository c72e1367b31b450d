package dev.streamsight.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What a decode will take, told from the header before decoding: the retained pixels are exactly
 * those of the decoded image (whole decodes), at the DCT scale the fast path picks, and the peak
 * counts the codec's raster and copies on top of them.
 */
class DecodeFootprintTest {
    private static final ImageDecoder STANDARD = ImageDecoders.standard(DecoderOptions.DEFAULTS);
    private static final ImageDecoder FALLBACK = ImageDecoders.fallback(DecoderOptions.DEFAULTS);

    private static BufferedImage gradient(int w, int h) {
        return TestImages.rgbImage(TestImages.gradient(w, h), w, h);
    }

    @Test
    void aPngIsDecodedWholeAtFullSize() {
        byte[] png = TestImages.write(gradient(640, 480), "png");
        for (ImageDecoder d : new ImageDecoder[] {STANDARD, FALLBACK}) {
            DecodeFootprint f = d.footprint(png, new DecodeHint(100));
            assertEquals(d.decode(png, new DecodeHint(100)).pixels().length, f.retainedBytes());
            assertEquals(3L * 640 * 480, f.retainedBytes());
            // The RGB raster javax.imageio decodes into, the RGB copy, and the encoded bytes once.
            assertEquals(6L * 640 * 480 + png.length, f.peakBytes());
            assertTrue(f.description().contains("640x480 PNG"), f.description());
        }
    }

    @Test
    void aJpegCountsTheScaleItIsDecodedAt() {
        byte[] jpeg = TestImages.jpeg(gradient(1600, 1200), 0.9f, false);
        DecodeHint hint = new DecodeHint(200);
        DecodeFootprint f = STANDARD.footprint(jpeg, hint);
        assertEquals(STANDARD.decode(jpeg, hint).pixels().length, f.retainedBytes());
        if (ImageDecoders.fastJpegAvailable()) {
            assertEquals(3L * 400 * 300, f.retainedBytes(), "2/8 is the least scale whose short side is >= 200");
            assertEquals(f.retainedBytes(), f.peakBytes(), "libjpeg writes straight into the RGB array");
            assertTrue(f.description().contains("2/8 scale (400x300)"), f.description());
        }
        DecodeFootprint whole = FALLBACK.footprint(jpeg, hint);
        assertEquals(3L * 1600 * 1200, whole.retainedBytes());
        assertEquals(6L * 1600 * 1200 + 2L * jpeg.length, whole.peakBytes());
    }

    @Test
    void anExifRotationCostsOneMoreCopy() {
        byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(gradient(320, 240), 0.9f, false), 6, true);
        DecodeFootprint f = STANDARD.footprint(jpeg, DecodeHint.FULL_RESOLUTION);
        assertEquals(STANDARD.decode(jpeg, DecodeHint.FULL_RESOLUTION).pixels().length, f.retainedBytes());
        long rgb = 3L * 320 * 240;
        // Native: the RGB array and its rotated copy. Fallback: javax.imageio's raster and the RGB array
        // (2 copies, as in aJpegCountsTheScaleItIsDecodedAt), the rotated copy, and the encoded bytes twice.
        assertEquals(ImageDecoders.fastJpegAvailable() ? 2 * rgb : 3 * rgb + 2L * jpeg.length, f.peakBytes());
    }

    @Test
    void grayAndSixteenBitRastersAreCountedAtTheirSampleSize() {
        BufferedImage gray = new BufferedImage(300, 200, BufferedImage.TYPE_BYTE_GRAY);
        byte[] png = TestImages.write(gray, "png");
        assertEquals(3L * 300 * 200 + 300 * 200 + png.length, FALLBACK.footprint(png, DecodeHint.FULL_RESOLUTION)
                .peakBytes());
        BufferedImage wide = new BufferedImage(300, 200, BufferedImage.TYPE_USHORT_GRAY);
        byte[] png16 = TestImages.write(wide, "png");
        assertEquals(3L * 300 * 200 + 2 * 300 * 200 + png16.length,
                FALLBACK.footprint(png16, DecodeHint.FULL_RESOLUTION).peakBytes());
    }

    @Test
    void whatTheDecodeRefusesBeforeAllocatingTakesNothing() {
        byte[] png = TestImages.write(gradient(640, 480), "png");
        ImageDecoder strict = ImageDecoders.standard(new DecoderOptions(1000));
        assertEquals(0, strict.footprint(png, DecodeHint.FULL_RESOLUTION).peakBytes(), "over image.max.pixels");
        byte[] text = "not an image".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0, STANDARD.footprint(text, DecodeHint.FULL_RESOLUTION).peakBytes());
        assertEquals(0, STANDARD.footprint(new byte[0], DecodeHint.FULL_RESOLUTION).peakBytes());
    }

    @Test
    void aDecoratedDecoderIsCountedAsAWholeDecode() {
        byte[] jpeg = TestImages.jpeg(gradient(800, 600), 0.9f, false);
        ImageDecoder decorated = (bytes, hint) -> STANDARD.decode(bytes, hint);
        assertEquals(3L * 800 * 600, decorated.footprint(jpeg, new DecodeHint(100)).retainedBytes());
    }
}
