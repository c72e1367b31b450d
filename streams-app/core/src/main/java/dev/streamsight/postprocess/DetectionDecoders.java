package dev.streamsight.postprocess;

import dev.streamsight.postprocess.internal.End2EndDecoder;
import dev.streamsight.postprocess.internal.NanoDetDecoder;
import dev.streamsight.postprocess.internal.Yolov5Decoder;
import dev.streamsight.postprocess.internal.Yolov8Decoder;
import dev.streamsight.postprocess.internal.YoloxDecoder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Creates the {@link DetectionDecoder} for a detector export. Every decoder converts the format's
 * boxes to corners in model-input pixels, keeps candidates with {@code score >= scoreThreshold},
 * drops boxes that are empty in the source image, runs greedy {@link Nms} (class-wise unless
 * {@link DetectionOptions#classAgnostic()}; not for {@link DetectionFormat#END2END}), sorts by
 * descending score, caps at {@link DetectionOptions#maxDetections()} and maps the corners to source
 * pixels with the image's {@link dev.streamsight.image.Geometry}. Missing labels read
 * {@code "class_<i>"}. An output that does not fit the format raises
 * {@link IllegalArgumentException} naming the expected and actual shapes.
 *
 * <p>Lifecycle and threading: create one decoder per loaded model; decoders are immutable and safe
 * to call from any number of threads at once. Spec fields used: {@code strides} (YOLOX, NanoDet),
 * {@code regMax} (NanoDet), {@code scoresAreLogits} (all: sigmoid applied), {@code boxesNormalized}
 * (YOLOv8, YOLOv5, end-to-end; rejected for the grid formats, whose boxes are built in pixels).
 */
public final class DetectionDecoders {
    private DetectionDecoders() {
    }

    /**
     * @throws IllegalArgumentException when the spec is inconsistent (non-positive strides, or
     *     normalised boxes for a grid format)
     */
    public static DetectionDecoder forSpec(DetectionDecoderSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return switch (spec.format()) {
            case YOLOV8 -> new Yolov8Decoder(spec);
            case YOLOV5 -> new Yolov5Decoder(spec);
            case YOLOX -> new YoloxDecoder(checkGrid(spec));
            case NANODET -> new NanoDetDecoder(checkGrid(spec));
            case END2END -> new End2EndDecoder(spec);
        };
    }

    private static DetectionDecoderSpec checkGrid(DetectionDecoderSpec spec) {
        for (int s : spec.strides()) {
            if (s <= 0) {
                throw new IllegalArgumentException(spec.format() + " strides must be positive: "
                        + Arrays.toString(spec.strides()));
            }
        }
        if (spec.boxesNormalized()) {
            throw new IllegalArgumentException(spec.format()
                    + " builds boxes from its grid in input pixels; boxesNormalized must be false");
        }
        return spec;
    }
}
