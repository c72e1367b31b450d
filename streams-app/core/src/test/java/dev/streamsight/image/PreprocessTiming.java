package dev.streamsight.image;

import dev.streamsight.testing.SyntheticImages;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Rough single-thread timing of the hot path (not a benchmark harness, not run by the build):
 * {@code java -cp target/classes:target/test-classes dev.streamsight.image.PreprocessTiming}.
 */
public final class PreprocessTiming {
    private PreprocessTiming() {
    }

    public static void main(String[] args) {
        RgbImage image = RgbImage.of(500, 375, SyntheticImages.rgb(500, 375, 1));
        RgbImage photo = RgbImage.of(1280, 960, SyntheticImages.rgb(1280, 960, 2));
        Preprocessor imagenet = Preprocessors.create(PreprocessSpec.imagenet(224, 256));
        Preprocessor yolo = Preprocessors.create(new PreprocessSpec(640, 640, ResizeMode.LETTERBOX, 0,
                LetterboxAlign.CENTER, 114f, Interpolation.BILINEAR, ChannelOrder.RGB, 1f / 255f, null, null,
                TensorLayout.NCHW));
        FloatBuffer t224 = ByteBuffer.allocateDirect(4 * 3 * 224 * 224).order(ByteOrder.nativeOrder()).asFloatBuffer();
        ShortBuffer h224 = ByteBuffer.allocateDirect(2 * 3 * 224 * 224).order(ByteOrder.nativeOrder()).asShortBuffer();
        FloatBuffer t640 = ByteBuffer.allocateDirect(4 * 3 * 640 * 640).order(ByteOrder.nativeOrder()).asFloatBuffer();
        time("500x375 -> 256 crop 224 bilinear, float32 NCHW", 3000, () -> imagenet.write(image, t224, 0));
        time("500x375 -> 256 crop 224 bilinear, float16 NCHW", 3000, () -> imagenet.writeHalf(image, h224, 0));
        time("1280x960 -> letterbox 640 bilinear, float32 NCHW", 300, () -> yolo.write(photo, t640, 0));
    }

    private static void time(String label, int n, Runnable r) {
        for (int i = 0; i < n; i++) {
            r.run();
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                r.run();
            }
            best = Math.min(best, (System.nanoTime() - t0) / n);
        }
        System.out.printf("%s: %.3f ms/image (best of 5 x %d)%n", label, best / 1e6, n);
    }
}
