package dev.streamsight.postprocess;

import java.util.Arrays;
import java.util.Objects;

/**
 * Decoding facts of a detector export, from its model descriptor.
 *
 * @param format output layout
 * @param strides grid strides for grid-based formats (YOLOX, NanoDet), e.g. {8, 16, 32}
 * @param regMax NanoDet distribution bins minus one (7 gives 8 bins per side)
 * @param scoresAreLogits true when class/objectness scores still need a sigmoid
 * @param boxesNormalized true when box coordinates are in 0..1 of the input size rather than pixels
 */
public record DetectionDecoderSpec(DetectionFormat format, int[] strides, int regMax,
        boolean scoresAreLogits, boolean boxesNormalized) {

    public DetectionDecoderSpec {
        Objects.requireNonNull(format, "format");
        strides = strides == null || strides.length == 0 ? new int[] {8, 16, 32} : strides.clone();
        if (regMax < 0) {
            throw new IllegalArgumentException("regMax must be >= 0");
        }
    }

    public static DetectionDecoderSpec of(DetectionFormat format) {
        return new DetectionDecoderSpec(format, null, 7, false, false);
    }

    @Override
    public int[] strides() {
        return strides.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetectionDecoderSpec d && format == d.format
                && Arrays.equals(strides, d.strides) && regMax == d.regMax
                && scoresAreLogits == d.scoresAreLogits && boxesNormalized == d.boxesNormalized;
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, Arrays.hashCode(strides), regMax, scoresAreLogits, boxesNormalized);
    }
}
