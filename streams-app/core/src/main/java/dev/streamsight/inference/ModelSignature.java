package dev.streamsight.inference;

import java.util.List;
import java.util.Map;

/**
 * What an ONNX file declares: inputs, outputs and metadata. Read from the ONNX Runtime session, so
 * it reflects the graph actually loaded.
 *
 * @param metadata custom metadata (Ultralytics exports carry {@code names}, {@code imgsz}, ...)
 */
public record ModelSignature(List<TensorDescription> inputs, List<TensorDescription> outputs,
        Map<String, String> metadata, String producer, String graphName, String domain,
        String description, long version) {

    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        metadata = Map.copyOf(metadata);
    }
}
