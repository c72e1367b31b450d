package dev.streamsight.postprocess;

import dev.streamsight.image.Geometry;
import java.util.List;

/**
 * Turns one image's detector outputs into boxes in source-image pixels: decode, score threshold,
 * NMS, max detections. Stateless and thread-safe.
 */
public interface DetectionDecoder {
    /**
     * @param outputs this image's outputs in the session's output order (batch dimension removed)
     * @param inputWidth model input width in pixels
     * @param inputHeight model input height in pixels
     * @param geometry maps input pixels back to the source image
     * @param labels class names by index (a missing name is reported as {@code "class_<i>"})
     * @return detections sorted by descending score
     */
    List<Detection> decode(List<OutputTensor> outputs, int inputWidth, int inputHeight,
            Geometry geometry, List<String> labels, DetectionOptions options);
}
