package dev.streamsight.image.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamsight.image.Interpolation;
import dev.streamsight.testing.SyntheticImages;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Byte-exact parity of {@link Resampler} with Pillow 9.4 {@code Image.resize}.
 *
 * <p>Expected values were produced by {@code /usr/bin/python3
 * src/test/python/preprocess_reference.py} (Debian python3-pil 9.4.0): {@code
 * synth(w, h, seed).resize((dw, dh), filter)}, then {@code zlib.crc32} of the RGB bytes, their sum,
 * and the samples at (0,0,R), (w/2,h/2,G), (w-1,h-1,B), (w/3,2h/3,R). A matching CRC32 means the
 * images are identical (max abs diff 0): no tolerance is needed for any filter, including the
 * upscales. (The same comparison on all 67 shared photos decoded by Pillow, 201 resizes, was also
 * byte-exact; that check is not part of the suite because JPEG decoders differ.)
 */
class ResamplerPillowParityTest {

    @ParameterizedTest(name = "{0}x{1} -> {2}x{3} {4} seed {5}")
    @CsvSource({
        // w, h, dw, dh, filter, seed, crc32, sum, s0, s1, s2, s3
        "500, 375, 341, 256, BILINEAR, 1, 52191607, 33245832, 78, 172, 140, 171",
        "1000, 1000, 256, 256, BILINEAR, 2, dc0de08d, 24990536, 102, 131, 29, 101",
        "37, 23, 100, 61, BILINEAR, 3, 537f7b92, 2017315, 28, 90, 5, 78",
        "640, 480, 300, 225, BICUBIC, 4, eff14e48, 25704255, 150, 170, 139, 119",
        "37, 23, 100, 61, BICUBIC, 3, 22252faa, 2017446, 15, 93, 0, 81",
        "500, 375, 341, 256, NEAREST, 1, 6d9bdddc, 33248384, 108, 251, 164, 241",
        "37, 23, 100, 61, NEAREST, 3, 7217a644, 2017891, 28, 107, 5, 76",
        "640, 480, 416, 312, BILINEAR, 4, 2bf46f08, 49425136, 141, 139, 141, 140",
        "300, 200, 300, 77, BILINEAR, 5, 2b9d58ae, 8773060, 142, 166, 183, 94",
        // AREA is Pillow's BOX filter.
        "640, 480, 416, 312, AREA, 4, 37e57f4f, 49534507, 153, 121, 141, 163",
        "37, 23, 100, 61, AREA, 3, 7217a644, 2017891, 28, 107, 5, 76",
    })
    void matchesPillow(int w, int h, int dw, int dh, Interpolation filter, long seed, String crc,
            long sum, int s0, int s1, int s2, int s3) {
        byte[] out = Resampler.resize(SyntheticImages.rgb(w, h, seed), w, h, dw, dh, filter);

        assertEquals(3 * dw * dh, out.length);
        assertEquals(sum, sum(out), "sample sum");
        assertArrayEquals(new int[] {s0, s1, s2, s3}, new int[] {
            at(out, dw, 0, 0, 0), at(out, dw, dw / 2, dh / 2, 1), at(out, dw, dw - 1, dh - 1, 2),
            at(out, dw, dw / 3, (2 * dh) / 3, 0)}, "sample pixels");
        assertEquals(crc, String.format("%08x", crc32(out)), "CRC32 of resized bytes");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"BILINEAR", "BICUBIC", "NEAREST", "AREA"})
    void windowEqualsResizeThenCrop(Interpolation filter) {
        int w = 500;
        int h = 375;
        byte[] src = SyntheticImages.rgb(w, h, 1);
        byte[] full = Resampler.resize(src, w, h, 341, 256, filter);
        Scratch scratch = Scratch.get();
        ResampleKernel kx = ResampleKernel.of(filter, w, 341);
        ResampleKernel ky = ResampleKernel.of(filter, h, 256);
        int x0 = 58;
        int y0 = 16;
        byte[] window = new byte[224 * 224 * 3];
        Resampler.resizeWindow(src, w, kx, ky, x0, y0, 224, 224, window, scratch);
        for (int y = 0; y < 224; y++) {
            for (int i = 0; i < 224 * 3; i++) {
                assertEquals(full[((y0 + y) * 341 + x0) * 3 + i], window[y * 224 * 3 + i],
                        "row " + y + " element " + i);
            }
        }
    }

    @Test
    void sameSizeIsIdentity() {
        byte[] src = SyntheticImages.rgb(64, 48, 12);
        for (Interpolation f : Interpolation.values()) {
            assertArrayEquals(src, Resampler.resize(src, 64, 48, 64, 48, f), f.name());
        }
    }

    @Test
    void constantImageStaysConstantWhenUpscaledOrDownscaled() {
        byte[] src = new byte[13 * 7 * 3];
        for (int i = 0; i < src.length; i += 3) {
            src[i] = (byte) 200;
            src[i + 1] = 7;
            src[i + 2] = (byte) 255;
        }
        for (Interpolation f : Interpolation.values()) {
            for (int[] size : new int[][] {{100, 61}, {3, 2}, {1, 1}, {13, 70}}) {
                byte[] out = Resampler.resize(src, 13, 7, size[0], size[1], f);
                for (int i = 0; i < out.length; i += 3) {
                    assertEquals(200, out[i] & 0xFF, f + " " + size[0] + "x" + size[1]);
                    assertEquals(7, out[i + 1] & 0xFF);
                    assertEquals(255, out[i + 2] & 0xFF);
                }
            }
        }
    }

    @Test
    void bilinearUpscaleInterpolatesBetweenNeighbours() {
        // Two pixels 0 and 200 upscaled to 4: Pillow centres give 0, 50, 150, 200.
        byte[] src = {0, 0, 0, (byte) 200, (byte) 200, (byte) 200};
        byte[] out = Resampler.resize(src, 2, 1, 4, 1, Interpolation.BILINEAR);
        assertArrayEquals(new int[] {0, 50, 150, 200},
                new int[] {out[0] & 0xFF, out[3] & 0xFF, out[6] & 0xFF, out[9] & 0xFF});
    }

    static long sum(byte[] b) {
        long s = 0;
        for (byte v : b) {
            s += v & 0xFF;
        }
        return s;
    }

    static long crc32(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b);
        return crc.getValue();
    }

    private static int at(byte[] img, int w, int x, int y, int c) {
        return img[(y * w + x) * 3 + c] & 0xFF;
    }
}
