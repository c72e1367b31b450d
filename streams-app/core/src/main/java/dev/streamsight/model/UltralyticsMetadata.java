package dev.streamsight.model;

import dev.streamsight.image.ChannelOrder;
import dev.streamsight.image.Interpolation;
import dev.streamsight.image.LetterboxAlign;
import dev.streamsight.image.PreprocessSpec;
import dev.streamsight.image.ResizeMode;
import dev.streamsight.image.TensorLayout;
import dev.streamsight.model.internal.PythonDict;
import dev.streamsight.postprocess.DetectionDecoderSpec;
import dev.streamsight.postprocess.DetectionFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The custom metadata an Ultralytics ONNX export carries ({@code names}, {@code imgsz}, {@code task},
 * {@code stride}, {@code end2end}, {@code description}, {@code version}), parsed from the ONNX
 * metadata map the engine reads. Immutable.
 *
 * @param task Ultralytics task: detect, classify, segment, pose or obb
 * @param names class names, index = class id
 * @param width input width from {@code imgsz} (Ultralytics writes [height, width])
 * @param height input height
 * @param stride maximum stride (0 if absent)
 * @param end2end true for NMS-free exports whose output is {@code [K, 6]}
 * @param description the export's description, or null
 * @param version the Ultralytics version that exported it, or null
 */
public record UltralyticsMetadata(String task, List<String> names, int width, int height, int stride,
        boolean end2end, String description, String version) {

    public UltralyticsMetadata {
        names = List.copyOf(names);
    }

    /**
     * Parses the metadata map; empty when it is not an Ultralytics export (no {@code names}).
     *
     * @throws ModelException when {@code names} or {@code imgsz} is present but malformed
     */
    public static Optional<UltralyticsMetadata> from(Map<String, String> metadata) {
        if (metadata == null || metadata.get("names") == null) {
            return Optional.empty();
        }
        List<String> names = parseNames(metadata.get("names"));
        int[] hw = parseImgsz(metadata.getOrDefault("imgsz", "640"));
        String task = metadata.getOrDefault("task", "detect").trim().toLowerCase(Locale.ROOT);
        int stride = 0;
        String s = metadata.get("stride");
        if (s != null) {
            try {
                stride = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new ModelException("ONNX metadata: key 'stride' is not an integer: " + s);
            }
        }
        boolean end2end = "true".equalsIgnoreCase(metadata.getOrDefault("end2end", "False").trim());
        return Optional.of(new UltralyticsMetadata(task, names, hw[1], hw[0], stride, end2end,
                metadata.get("description"), metadata.get("version")));
    }

    /**
     * Parses the {@code names} value: a Python dict literal {@code {0: 'person', 1: "stop sign"}}.
     *
     * @throws ModelException when it is malformed or the indices are not 0..n-1
     */
    public static List<String> parseNames(String names) {
        try {
            return PythonDict.parseIndexedNames(names);
        } catch (IllegalArgumentException e) {
            throw new ModelException("ONNX metadata: key 'names' is not a {index: 'name'} dict: "
                    + e.getMessage(), e);
        }
    }

    /** {@code [h, w]} from "[640, 640]", "(480, 640)" or "640". */
    static int[] parseImgsz(String imgsz) {
        String t = imgsz.replaceAll("[\\[\\]()\\s]", "");
        String[] parts = t.split(",");
        try {
            if (parts.length == 1) {
                int v = Integer.parseInt(parts[0]);
                return new int[] {v, v};
            }
            if (parts.length == 2) {
                return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new ModelException("ONNX metadata: key 'imgsz' is not [h, w] or one integer: " + imgsz);
    }

    /**
     * A descriptor for this export, labels {@code metadata}, origin {@code metadata}.
     *
     * <ul>
     *   <li>detect: letterbox centred with pad 114, RGB, /255; {@link DetectionFormat#YOLOV8}
     *       ({@code [4+C, N]}) or {@link DetectionFormat#END2END} when {@code end2end} is True;
     *   <li>classify: Ultralytics {@code classify_transforms}: resize the shorter side to the input
     *       size, centre crop, RGB, /255, mean 0 and std 1; the export ends in a softmax, so scores are
     *       probabilities.
     * </ul>
     *
     * @throws ModelException for segment, pose and obb exports, which Streamsight does not decode
     */
    public ModelDescriptor descriptor(String id) {
        String desc = description != null ? description : "Ultralytics " + task + " export";
        return switch (task) {
            case "detect" -> new ModelDescriptor(id, version, Task.DETECTION, null, null, null, null,
                    new PreprocessSpec(width, height, ResizeMode.LETTERBOX, 0, LetterboxAlign.CENTER,
                            114f, Interpolation.BILINEAR, ChannelOrder.RGB, 1f / 255f, null, null,
                            TensorLayout.NCHW),
                    null, DetectionDecoderSpec.of(end2end ? DetectionFormat.END2END : DetectionFormat.YOLOV8),
                    "metadata", desc, "metadata");
            case "classify" -> new ModelDescriptor(id, version, Task.CLASSIFICATION, null, null, null,
                    null,
                    new PreprocessSpec(width, height, ResizeMode.CENTER_CROP, Math.min(width, height),
                            LetterboxAlign.CENTER, 0f, Interpolation.BILINEAR, ChannelOrder.RGB,
                            1f / 255f, null, null, TensorLayout.NCHW),
                    ScoreKind.PROBABILITIES, null, "metadata", desc, "metadata");
            default -> throw new ModelException("model " + id + ": Ultralytics task '" + task
                    + "' is not supported (detect and classify are)");
        };
    }
}
