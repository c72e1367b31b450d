package dev.streamsight.inference;

import dev.streamsight.postprocess.ScoredLabel;
import java.util.List;

/**
 * The top classes of one image, best first, and the source image's size (after EXIF orientation).
 */
public record Classification(List<ScoredLabel> top, int width, int height) {
    public Classification {
        top = List.copyOf(top);
    }
}
