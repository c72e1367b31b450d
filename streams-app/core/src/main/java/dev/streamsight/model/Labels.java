package dev.streamsight.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Label sets: the built-in COCO-80 names, the ImageNet download address, and label-file parsing.
 * Stateless and thread-safe; resolution with search paths and downloads is {@link LabelResolver}.
 *
 * <p>A label reference ({@link ModelDescriptor#labels()}) is one of {@value #IMAGENET},
 * {@value #COCO80}, {@value #METADATA} (Ultralytics {@code names} in the ONNX metadata) or a file
 * path: a text file with one label per line (index = line), or a CSV of {@code index,name} lines
 * (Windows ML style; split on the first comma only, so names may contain commas).
 */
public final class Labels {
    /** The 1000 ImageNet-1k class names, one per line ({@value #IMAGENET_FILE}). */
    public static final String IMAGENET = "imagenet";
    /** The 80 COCO-2017 detection classes in contiguous order. */
    public static final String COCO80 = "coco80";
    /** Names from the ONNX metadata ({@code names}, as Ultralytics exports carry). */
    public static final String METADATA = "metadata";

    /** File name looked for on the label path for {@value #IMAGENET}. */
    public static final String IMAGENET_FILE = "imagenet_classes.txt";
    /** pytorch/hub at a pinned commit: 1000 short names, index = line. */
    public static final String IMAGENET_URL = "https://raw.githubusercontent.com/pytorch/hub/"
            + "c7895df70c7767403e36f82786d6b611b7984557/imagenet_classes.txt";
    /** SHA-256 of {@link #IMAGENET_URL}'s file. */
    public static final String IMAGENET_SHA256 =
            "1f386e0d1cb6e28b9c2dac651c3dea6801e98ad1b41a14ce6bb1a093d72069f5";

    /** The official COCO-2017 names in contiguous 0..79 order (Ultralytics/YOLOX/NanoDet order). */
    public static final List<String> COCO80_NAMES = List.of(
            "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat",
            "traffic light", "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog",
            "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella",
            "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball", "kite",
            "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle",
            "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich",
            "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch",
            "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote",
            "keyboard", "cell phone", "microwave", "oven", "toaster", "sink", "refrigerator", "book",
            "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush");

    private Labels() {
    }

    /**
     * Resolves a label reference (convenience for {@link LabelResolver#resolve}).
     *
     * @param ref the descriptor's labels reference
     * @param onnxMetadata the model's custom metadata map (for {@value #METADATA}); may be null
     * @param labelPath directories searched for label files
     * @param cacheDir cache root ({@code labels/} holds downloads)
     * @param allowDownload whether the ImageNet list may be downloaded
     */
    public static List<String> load(String ref, Map<String, String> onnxMetadata, List<Path> labelPath,
            Path cacheDir, boolean allowDownload) {
        return new LabelResolver(labelPath, cacheDir, allowDownload, Downloader.http())
                .resolve(ref, onnxMetadata);
    }

    /**
     * Reads a label file: one label per line, or {@code index,name} CSV when the name ends in
     * {@code .csv} or every line starts with {@code <digits>,}. Blank trailing lines are ignored;
     * CSV indices must cover 0..n-1 exactly once.
     */
    public static List<String> read(Path file) {
        List<String> lines;
        try {
            lines = new ArrayList<>(Arrays.asList(
                    new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\r?\n", -1)));
        } catch (IOException e) {
            throw new ModelException(file + ": cannot read label file: " + e.getMessage(), e);
        }
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            lines.set(0, lines.get(0).substring(1));
        }
        while (!lines.isEmpty() && lines.getLast().isBlank()) {
            lines.removeLast();
        }
        if (lines.isEmpty()) {
            throw new ModelException(file + ": label file is empty");
        }
        boolean csv = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")
                || lines.stream().allMatch(l -> l.matches("\\s*\\d+\\s*,.*"));
        return csv ? parseCsv(file, lines) : lines.stream().map(String::strip).toList();
    }

    private static List<String> parseCsv(Path file, List<String> lines) {
        Map<Integer, String> byIndex = new TreeMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            int comma = line.indexOf(',');
            int index;
            try {
                index = comma < 0 ? -1 : Integer.parseInt(line.substring(0, comma).strip());
            } catch (NumberFormatException e) {
                index = -1;
            }
            if (index < 0) {
                throw new ModelException(file + ": line " + (n + 1) + " is not 'index,name': " + line);
            }
            if (byIndex.put(index, line.substring(comma + 1).strip()) != null) {
                throw new ModelException(file + ": line " + (n + 1) + ": index " + index + " repeated");
            }
        }
        List<String> out = new ArrayList<>(byIndex.size());
        for (Map.Entry<Integer, String> e : byIndex.entrySet()) {
            if (e.getKey() != out.size()) {
                throw new ModelException(file + ": label indices are not 0..n-1 (missing " + out.size() + ")");
            }
            out.add(e.getValue());
        }
        return out;
    }
}
