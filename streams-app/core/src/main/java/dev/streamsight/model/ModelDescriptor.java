package dev.streamsight.model;

import dev.streamsight.image.PreprocessSpec;
import dev.streamsight.postprocess.DetectionDecoderSpec;
import java.util.Objects;

/**
 * Everything Streamsight needs to run one ONNX export correctly: where the file is, what the input
 * expects and how the output is decoded. Immutable.
 *
 * <p>Descriptors come from the built-in catalog, from a JSON sidecar beside a model file
 * ({@code model.onnx} + {@code model.json}), from a file given on the command line, or are derived
 * from ONNX metadata; {@code origin} says which.
 *
 * @param id catalog id or, for a model given by path, the file name without extension
 * @param version model version string for lineage ("1" if unknown)
 * @param task classification or detection
 * @param file file name searched for on the model path (e.g. {@code resnet50.onnx})
 * @param url download address, or null when the catalog knows none
 * @param sha256 expected hex SHA-256 of {@code file} (of the .onnx, or of the .gz when the file is
 *     gzipped), or null when unknown
 * @param inputName expected input name, or null to take the model's only image input
 * @param preprocess input preprocessing
 * @param scoreKind for classifiers: logits or probabilities (null for detectors)
 * @param detection for detectors: the output decoding (null for classifiers)
 * @param labels labels reference: a built-in set name ({@code imagenet}, {@code coco80}), a file
 *     path, or {@code metadata} (names in the ONNX metadata, as Ultralytics exports carry)
 * @param description one line for {@code models list}
 * @param origin where this descriptor came from (catalog, sidecar, metadata, default)
 */
public record ModelDescriptor(
        String id,
        String version,
        Task task,
        String file,
        String url,
        String sha256,
        String inputName,
        PreprocessSpec preprocess,
        ScoreKind scoreKind,
        DetectionDecoderSpec detection,
        String labels,
        String description,
        String origin) {

    public ModelDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(preprocess, "preprocess");
        version = version == null ? "1" : version;
        if (task == Task.CLASSIFICATION && scoreKind == null) {
            throw new IllegalArgumentException("model " + id + ": a classifier needs scoreKind");
        }
        if (task == Task.DETECTION && detection == null) {
            throw new IllegalArgumentException("model " + id + ": a detector needs a detection spec");
        }
    }
}
