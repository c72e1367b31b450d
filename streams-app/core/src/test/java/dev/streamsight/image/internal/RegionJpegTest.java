package dev.streamsight.image.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.ReasonCode;
import dev.streamsight.image.DecodeHint;
import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.ImageDecoders;
import dev.streamsight.image.ImageException;
import dev.streamsight.image.PixelRegion;
import dev.streamsight.image.RgbImage;
import dev.streamsight.testing.Fixtures;
import dev.streamsight.testing.LibjpegEncoder;
import dev.streamsight.testing.NativeJpeg;
import dev.streamsight.testing.SyntheticImages;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The binding to the native JPEG decoder: its outcome codes, the header it reads where {@link
 * JpegStructure} cannot tell the size, and arguments that do not fit the image.
 */
class RegionJpegTest {
    private static final byte[] CAT = Fixtures.bytes(Fixtures.photo("winml_cat.jpg")); // 1000x1000

    private RegionJpeg jpeg;

    @BeforeEach
    void nativeDecoder() {
        NativeJpeg.assumeAvailable();
        jpeg = RegionJpeg.instance().orElseThrow();
    }

    @Test
    void theHeaderGivesTheStoredSizeOrLibjpegsError() {
        assertEquals(new RegionJpeg.Header(RegionJpeg.OK, 1000, 1000, ""), jpeg.header(CAT));
        byte[] cmyk = NativeJpeg.encoder().encode(new byte[4 * 30 * 20], 30, 20, LibjpegEncoder.Layout.CMYK,
                LibjpegEncoder.Sampling.S444, 90, false);
        assertEquals(new RegionJpeg.Header(RegionJpeg.NOT_RGB, 30, 20, ""), jpeg.header(cmyk));
        RegionJpeg.Header cut = jpeg.header(Arrays.copyOf(CAT, 100));
        assertEquals(RegionJpeg.ERROR, cut.code());
        assertTrue(cut.message().contains("JPEG"), cut.message());
    }

    @Test
    void argumentsThatDoNotFitTheImageAreAMismatch() {
        byte[] dst = new byte[3 * 1000 * 1000];
        PixelRegion whole = PixelRegion.whole(1000, 1000);
        RegionJpeg.Outcome wrongSize = jpeg.decode(CAT, DctScale.FULL, 999, 1000, PixelRegion.whole(999, 1000), dst);
        assertEquals(RegionJpeg.MISMATCH, wrongSize.code());
        assertTrue(wrongSize.message().contains("1000x1000 image (expected 999x1000)"), wrongSize.message());
        assertEquals(RegionJpeg.MISMATCH, jpeg.decode(CAT, new DctScale(4), 1000, 1000, whole, dst).code());
        assertEquals(RegionJpeg.MISMATCH, jpeg.decodeOffHeap(CAT, DctScale.FULL, 1000, 1000,
                new PixelRegion(1, 0, 1000, 1000), dst).code());
        assertEquals(RegionJpeg.MISMATCH, jpeg.decode(CAT, DctScale.FULL, 1000, 1000, whole, new byte[10]).code(),
                "no room for the pixels");
        assertEquals(RegionJpeg.OK, jpeg.decode(CAT, new DctScale(4), 500, 500, PixelRegion.whole(500, 500), dst)
                .code());
    }

    @Test
    void bytesBetweenMarkersLeaveTheSizeToLibjpeg() {
        int app0End = 4 + ((CAT[4] & 0xFF) << 8 | (CAT[5] & 0xFF)); // SOI, then the JFIF segment
        byte[] junk = new byte[CAT.length + 5];
        System.arraycopy(CAT, 0, junk, 0, app0End);
        System.arraycopy(CAT, app0End, junk, app0End + 5, CAT.length - app0End); // five zero bytes
        assertEquals(-1, JpegStructure.scan(junk).width());
        RegionJpeg.Header header = jpeg.header(junk);
        assertEquals(RegionJpeg.WARNING, header.code());
        assertTrue(header.message().contains("5 extraneous bytes"), header.message());
        ImageDecoder decoder = new LibjpegDecoder(jpeg, ImageDecoders.fallback(DecoderOptions.DEFAULTS),
                DecoderOptions.DEFAULTS);
        DecodeHint top = new DecodeHint(500, (w, h, sw, sh) -> new PixelRegion(0, 0, sw, 10));
        RgbImage image = decoder.decode(junk, top);
        assertTrue(image.isWhole(), "decoded whole: the scan's end is not known");
        assertArrayEquals(decoder.decode(CAT, new DecodeHint(500)).pixels(), image.pixels());
        ImageException cut = assertThrows(ImageException.class,
                () -> decoder.decode(Arrays.copyOf(junk, junk.length / 2), top));
        assertEquals(ReasonCode.TRUNCATED, cut.code(), cut.getMessage());
    }

    @Test
    void aNonJpegIsAnError() {
        byte[] noise = SyntheticImages.rgb(20, 20, 5);
        noise[0] = (byte) 0xFF;
        noise[1] = (byte) 0xD8;
        RegionJpeg.Outcome outcome = jpeg.decode(noise, DctScale.FULL, 20, 20, PixelRegion.whole(20, 20),
                new byte[1200]);
        assertTrue(outcome.code() == RegionJpeg.ERROR || outcome.code() == RegionJpeg.MISMATCH, outcome.toString());
        assertTrue(!outcome.message().isEmpty(), outcome.toString());
    }
}
