package dev.streamsight.testing;

/**
 * Deterministic RGB test images: per-channel gradients mixed with noise from a 64-bit LCG, and
 * every third 8x8 block pure noise (sharp edges exercise the bicubic clip). {@code
 * src/test/python/preprocess_reference.py} has the identical generator ({@code synth}), which is
 * how the Pillow reference checksums in the tests were produced.
 */
public final class SyntheticImages {
    private SyntheticImages() {
    }

    /** {@code w * h * 3} interleaved RGB bytes. */
    public static byte[] rgb(int w, int h, long seed) {
        byte[] out = new byte[w * h * 3];
        long s = seed;
        int i = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    s = s * 6364136223846793005L + 1442695040888963407L;
                    int r = (int) (s >>> 56);
                    int g = switch (c) {
                        case 0 -> x * 255 / Math.max(1, w - 1);
                        case 1 -> y * 255 / Math.max(1, h - 1);
                        default -> (x ^ y) & 255;
                    };
                    int v = ((x / 8 + y / 8) % 3 == 0) ? r : (3 * g + r) / 4;
                    out[i++] = (byte) v;
                }
            }
        }
        return out;
    }
}
