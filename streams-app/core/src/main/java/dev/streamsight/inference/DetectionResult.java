package dev.streamsight.inference;

import dev.streamsight.postprocess.Detection;
import java.util.List;

/** The objects found in one image, best first, with boxes in pixels of a width x height image. */
public record DetectionResult(List<Detection> detections, int width, int height) {
    public DetectionResult {
        detections = List.copyOf(detections);
    }
}
