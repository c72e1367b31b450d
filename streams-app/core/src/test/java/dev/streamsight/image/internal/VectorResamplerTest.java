package dev.streamsight.image.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streamsight.image.Interpolation;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link VectorResampler} gives exactly the scalar passes' bytes (which {@link
 * ResamplerPillowParityTest} ties to Pillow) for every filter, span and window shape: random
 * images and sizes, windows whose width is not a multiple of 16, sources that are a tight region
 * of a larger image (so the last rows' vector windows reach past the array and go through the
 * padded copy), and downscales whose taps overflow the 128-byte window (scalar fallback).
 */
class VectorResamplerTest {

    @Test
    void usedOnThisMachineWhenTheProcessorHasVbmi() {
        // The test JVM runs with --add-modules jdk.incubator.vector: on an AVX-512 VBMI processor
        // (the CI machines) the vector passes must be in use, or the benchmark figures would lie.
        assumeTrue(cpuHasVbmi(), "no AVX-512 VBMI here");
        assertTrue(VectorCapability.AVAILABLE, "vector resampling should be enabled on this processor");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Interpolation.class)
    void sameBytesAsScalarPasses(Interpolation filter) {
        assumeTrue(VectorCapability.AVAILABLE, "vector resampling unavailable here");
        Random random = new Random(filter.ordinal() * 7919L + 1);
        for (int trial = 0; trial < 60; trial++) {
            int srcW = 16 + random.nextInt(700);
            int srcH = 8 + random.nextInt(300);
            // Downscales up to 3.5x (spans 2..8 and beyond the window), some upscales, some identity.
            double factor = trial % 10 == 0 ? 1.0 : 0.28 + random.nextDouble() * 1.2;
            int dstW = Math.max(1, (int) Math.round(srcW * factor));
            int dstH = Math.max(1, (int) Math.round(srcH * (0.3 + random.nextDouble())));
            int ww = 1 + random.nextInt(dstW);
            int wh = 1 + random.nextInt(Math.min(dstH, 40));
            int x0 = random.nextInt(dstW - ww + 1);
            int y0 = random.nextInt(dstH - wh + 1);
            compare(filter, srcW, srcH, dstW, dstH, x0, y0, ww, wh, random.nextLong());
        }
    }

    @Test
    void centreCropOfTypicalPhotoSizes() {
        assumeTrue(VectorCapability.AVAILABLE, "vector resampling unavailable here");
        int[][] sizes = {{500, 375}, {375, 500}, {500, 333}, {909, 768}, {682, 576}, {640, 480}, {1280, 720},
            {413, 580}, {496, 280}};
        for (Interpolation filter : Interpolation.values()) {
            for (int[] s : sizes) {
                int w = s[0];
                int h = s[1];
                int rw = w < h ? 256 : Math.round(256f * w / h);
                int rh = w < h ? Math.round(256f * h / w) : 256;
                compare(filter, w, h, rw, rh, (rw - 224) / 2, (rh - 224) / 2, 224, 224, w * 31L + h);
                compare(filter, w, h, 640, 640 * h / w, 0, 0, 640, 640 * h / w, w * 17L + h); // letterbox
            }
        }
    }

    /**
     * Resamples the window from a tight region of the source (exactly the rows and columns the taps
     * read) with and without vectors, and from the whole source with vectors; all three must agree.
     */
    private static void compare(Interpolation filter, int srcW, int srcH, int dstW, int dstH, int x0, int y0,
            int ww, int wh, long seed) {
        byte[] src = new byte[3 * srcW * srcH];
        new Random(seed).nextBytes(src);
        ResampleKernel kx = ResampleKernel.of(filter, srcW, dstW);
        ResampleKernel ky = ResampleKernel.of(filter, srcH, dstH);
        int rx = kx.first[x0];
        int rw = kx.first[x0 + ww - 1] + kx.span - rx;
        int ry = ky.first[y0];
        int rh = ky.first[y0 + wh - 1] + ky.span - ry;
        byte[] region = new byte[3 * rw * rh];
        for (int y = 0; y < rh; y++) {
            System.arraycopy(src, 3 * ((ry + y) * srcW + rx), region, 3 * y * rw, 3 * rw);
        }
        Scratch scratch = Scratch.get();
        byte[] scalar = new byte[3 * ww * wh];
        byte[] vector = new byte[3 * ww * wh];
        byte[] whole = new byte[3 * ww * wh];
        Resampler.resizeWindow(region, rx, ry, rw, kx, ky, x0, y0, ww, wh, scalar, scratch, false);
        Resampler.resizeWindow(region, rx, ry, rw, kx, ky, x0, y0, ww, wh, vector, scratch, true);
        Resampler.resizeWindow(src, 0, 0, srcW, kx, ky, x0, y0, ww, wh, whole, scratch, true);
        String what = filter + " " + srcW + "x" + srcH + " -> " + dstW + "x" + dstH + " window " + ww + "x" + wh
                + "+" + x0 + "+" + y0 + " (spans " + kx.span + ", " + ky.span + ")";
        assertArrayEquals(scalar, vector, what + ": tight region");
        assertArrayEquals(scalar, whole, what + ": whole source");
    }

    private static boolean cpuHasVbmi() {
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> (l + " ").contains(" avx512vbmi ")).orElse(false);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
