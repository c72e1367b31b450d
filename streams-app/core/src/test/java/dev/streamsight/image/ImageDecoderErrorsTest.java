package dev.streamsight.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.ReasonCode;
import dev.streamsight.image.internal.RegionJpeg;
import dev.streamsight.testing.Fixtures;
import dev.streamsight.testing.NativeJpeg;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad inputs give an ImageException with a specific code, from both decoders. */
class ImageDecoderErrorsTest {
    private static final byte[] JPEG = Fixtures.bytes(Fixtures.photo("winml_cat.jpg"));
    private static final byte[] PNG = Fixtures.bytes(Fixtures.photo("winml_fish_224.png"));

    static List<ImageDecoder> decoders() {
        return List.of(ImageDecoders.standard(DecoderOptions.DEFAULTS), ImageDecoders.fallback(DecoderOptions.DEFAULTS));
    }

    private static ImageException fails(ImageDecoder d, byte[] input, ReasonCode expected) {
        ImageException e = assertThrows(ImageException.class, () -> d.decode(input, DecodeHint.FULL_RESOLUTION));
        assertEquals(expected, e.code(), () -> d.getClass().getSimpleName() + ": " + e.getMessage());
        return e;
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void emptyAndUnknownInputs(ImageDecoder d) {
        fails(d, new byte[0], ReasonCode.EMPTY_INPUT);
        fails(d, new byte[] {1, 2, 3}, ReasonCode.UNSUPPORTED_FORMAT);
        assertTrue(fails(d, "hello, this is plain text\n".getBytes(StandardCharsets.UTF_8),
                ReasonCode.UNSUPPORTED_FORMAT).getMessage().contains("text"));
        assertTrue(fails(d, "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj".getBytes(StandardCharsets.ISO_8859_1),
                ReasonCode.UNSUPPORTED_FORMAT).getMessage().contains("PDF"));
        assertTrue(fails(d, new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0}, ReasonCode.UNSUPPORTED_FORMAT)
                .getMessage().contains("TIFF"));
        fails(d, new byte[] {(byte) 0xFF, (byte) 0xD8}, ReasonCode.TRUNCATED);
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void truncatedJpegAndPng(ImageDecoder d) {
        fails(d, Arrays.copyOf(JPEG, JPEG.length / 2), ReasonCode.TRUNCATED);
        fails(d, Arrays.copyOf(JPEG, 100), ReasonCode.TRUNCATED); // inside the header segments
        fails(d, Arrays.copyOf(PNG, PNG.length / 2), ReasonCode.TRUNCATED);
        fails(d, Arrays.copyOf(PNG, 20), ReasonCode.TRUNCATED);
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void truncatedGifAndBmp(ImageDecoder d) {
        byte[] noise = new byte[3 * 300 * 200];
        new Random(3).nextBytes(noise);
        BufferedImage img = TestImages.rgbImage(noise, 300, 200);
        byte[] gif = TestImages.write(img, "gif");
        byte[] bmp = TestImages.write(img, "bmp");
        for (double kept : new double[] {0.02, 0.3, 0.9, 0.99}) {
            fails(d, Arrays.copyOf(gif, (int) (gif.length * kept)), ReasonCode.TRUNCATED);
            fails(d, Arrays.copyOf(bmp, (int) (bmp.length * kept)), ReasonCode.TRUNCATED);
        }
        // Only the trailer missing: the first (only) image is complete.
        assertEquals(300, d.decode(Arrays.copyOf(gif, gif.length - 1), DecodeHint.FULL_RESOLUTION).width());
        // A GIF whose first image is complete but whose header declares nothing sensible is no truncation.
        byte[] noImage = Arrays.copyOf(gif, 14);
        noImage[10] = 0; // no global colour table
        noImage[13] = 0x3B; // the trailer, before any image
        assertEquals(ReasonCode.DECODE_FAILED, assertThrows(ImageException.class,
                () -> d.decode(noImage, DecodeHint.FULL_RESOLUTION)).code());
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void jpegMissingOnlyItsEoiMarkerDecodesFully(ImageDecoder d) {
        // All scan data is present: like libjpeg and Pillow, accept it (not TRUNCATED).
        RgbImage cut = d.decode(Arrays.copyOf(JPEG, JPEG.length - 2), DecodeHint.FULL_RESOLUTION);
        RgbImage full = d.decode(JPEG, DecodeHint.FULL_RESOLUTION);
        assertEquals(0.0, TestImages.difference(cut, full)[1]);
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void corruptJpegHeaderIsDecodeFailed(ImageDecoder d) {
        byte[] bad = JPEG.clone();
        int sof = indexOf(bad, (byte) 0xFF, (byte) 0xC0);
        bad[sof + 4] = 3; // sample precision 3 bits: no decoder supports it
        fails(d, bad, ReasonCode.DECODE_FAILED);
        byte[] noComponents = JPEG.clone();
        noComponents[sof + 9] = 0; // zero components
        fails(d, noComponents, ReasonCode.DECODE_FAILED);
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void garbageAfterJpegMagic(ImageDecoder d) {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        garbage[0] = (byte) 0xFF;
        garbage[1] = (byte) 0xD8;
        garbage[2] = (byte) 0xFF;
        garbage[3] = 0x00; // not a marker
        fails(d, garbage, ReasonCode.DECODE_FAILED);
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void garbageScanDataWithoutEoiIsTruncated(ImageDecoder d) {
        int sos = indexOf(JPEG, (byte) 0xFF, (byte) 0xDA);
        byte[] bad = Arrays.copyOf(JPEG, sos + 14 + 3000);
        byte[] noise = new byte[3000];
        new Random(7).nextBytes(noise);
        System.arraycopy(noise, 0, bad, sos + 14, noise.length);
        fails(d, bad, ReasonCode.TRUNCATED);
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void decompressionBombsAreRejectedFromTheHeader(ImageDecoder d) {
        fails(d, pngHeader(100_000, 100_000), ReasonCode.IMAGE_TOO_LARGE);
        byte[] jpeg = JPEG.clone();
        int sof = indexOf(jpeg, (byte) 0xFF, (byte) 0xC0);
        jpeg[sof + 5] = (byte) 0xFF; // height 65535
        jpeg[sof + 6] = (byte) 0xFF;
        jpeg[sof + 7] = (byte) 0xFF; // width 65535
        jpeg[sof + 8] = (byte) 0xFF;
        fails(d, jpeg, ReasonCode.IMAGE_TOO_LARGE);
        fails(d, bmpHeader(100_000, 100_000), ReasonCode.IMAGE_TOO_LARGE);
        // A small limit rejects a real photo of 1000x1000 too.
        ImageDecoder strict = d instanceof dev.streamsight.image.internal.ImageIoDecoder
                ? ImageDecoders.fallback(new DecoderOptions(999_999)) : ImageDecoders.standard(new DecoderOptions(999_999));
        fails(strict, JPEG, ReasonCode.IMAGE_TOO_LARGE);
        assertEquals(1000, ImageDecoders.standard(new DecoderOptions(1_000_000)).decode(JPEG, DecodeHint.FULL_RESOLUTION)
                .width());
    }

    @Test
    void randomBytesAfterEachMagicNeverEscapeAsOtherExceptions() {
        byte[][] magics = {{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
            "GIF89a".getBytes(StandardCharsets.ISO_8859_1), {'B', 'M', 0, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0},
            "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1)};
        Random random = new Random(1);
        for (ImageDecoder d : decoders()) {
            for (byte[] magic : magics) {
                for (int i = 0; i < 40; i++) {
                    byte[] input = new byte[magic.length + random.nextInt(600)];
                    random.nextBytes(input);
                    System.arraycopy(magic, 0, input, 0, magic.length);
                    try {
                        d.decode(input, DecodeHint.FULL_RESOLUTION);
                    } catch (ImageException e) {
                        assertTrue(List.of(ReasonCode.TRUNCATED, ReasonCode.DECODE_FAILED, ReasonCode.IMAGE_TOO_LARGE)
                                .contains(e.code()), e.toString());
                    }
                }
            }
        }
    }

    @Test
    void aNativeDecoderThatDoesNotLoadIsReportedNotThrown(@TempDir Path dir) throws IOException {
        Path junk = Files.write(dir.resolve("junk.so"), new byte[] {1, 2, 3});
        Object result = RegionJpeg.load(junk, "junk.so", RegionJpeg.LIBJPEG);
        assertTrue(result instanceof RegionJpeg.Unavailable u && u.reason().startsWith("junk.so does not load (")
                && u.remedy().contains("libjpeg62-turbo-dev"), String.valueOf(result));
        assertEquals(ImageDecoders.fastJpegAvailable(), ImageDecoders.fastJpegUnavailableReason().isEmpty());

        // Built, but the libjpeg it links is missing at run time: a copy that links libjpeg.so.99.
        NativeJpeg.assumeAvailable();
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        byte[] lib;
        try (InputStream in = RegionJpeg.class.getResourceAsStream("/native/linux-" + arch + "/libstreamsight_jpeg.so")) {
            lib = in.readAllBytes();
        }
        byte[] needed = "libjpeg.so.62\0".getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(lib, needed);
        System.arraycopy("libjpeg.so.99\0".getBytes(StandardCharsets.ISO_8859_1), 0, lib, at, needed.length);
        Path relinked = Files.write(dir.resolve("relinked.so"), lib);
        assertEquals(new RegionJpeg.Unavailable("libjpeg.so.99 is missing at run time", "install libjpeg62-turbo"),
                RegionJpeg.load(relinked, "relinked.so", "libjpeg.so.99"));
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new DecoderOptions(0));
        assertThrows(IllegalArgumentException.class, () -> new DecoderOptions(DecoderOptions.MAX_PIXELS_LIMIT + 1));
        assertEquals(100_000_000L, DecoderOptions.DEFAULTS.maxPixels());
    }

    static int indexOf(byte[] d, byte a, byte b) {
        return indexOf(d, new byte[] {a, b});
    }

    static int indexOf(byte[] d, byte[] wanted) {
        for (int i = 0; i + wanted.length <= d.length; i++) {
            if (Arrays.equals(d, i, i + wanted.length, wanted, 0, wanted.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    /** A PNG signature and IHDR declaring w x h RGB 8-bit, then an IEND. */
    static byte[] pngHeader(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        b.put(chunk("IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array()));
        b.put(chunk("IEND", new byte[0]));
        return b.array();
    }

    static byte[] chunk(String type, byte[] data) {
        ByteBuffer c = ByteBuffer.allocate(12 + data.length);
        c.putInt(data.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        CRC32 crc = new CRC32();
        crc.update(c.array(), 4, 4 + data.length);
        c.putInt((int) crc.getValue());
        return c.array();
    }

    /** A BMP file header + BITMAPINFOHEADER declaring w x h 24-bit and a few pixel bytes. */
    static byte[] bmpHeader(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(54 + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(70).putInt(0).putInt(54);
        b.putInt(40).putInt(w).putInt(h).putShort((short) 1).putShort((short) 24).putInt(0).putInt(0)
                .putInt(2835).putInt(2835).putInt(0).putInt(0);
        return b.array();
    }
}
