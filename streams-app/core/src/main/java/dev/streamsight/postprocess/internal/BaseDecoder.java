package dev.streamsight.postprocess.internal;

import dev.streamsight.image.Geometry;
import dev.streamsight.postprocess.Detection;
import dev.streamsight.postprocess.DetectionDecoder;
import dev.streamsight.postprocess.DetectionDecoderSpec;
import dev.streamsight.postprocess.DetectionOptions;
import dev.streamsight.postprocess.Nms;
import dev.streamsight.postprocess.OutputTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The steps every format shares. A subclass only {@link #collect}s the candidates whose score
 * reaches the threshold, as corners in model-input pixels; this class then drops boxes that are
 * empty once mapped to the source image (e.g. entirely inside the letterbox padding), runs NMS in
 * input pixels (as Ultralytics, YOLOv5 and YOLOX do, before {@code scale_boxes}), sorts by score,
 * caps at {@code maxDetections} and maps the corners to source pixels with
 * {@link Geometry#toSourceX}/{@link Geometry#toSourceY} (which clamp to the image).
 *
 * <p>Immutable and thread-safe: all per-call state lives on the stack.
 */
public abstract class BaseDecoder implements DetectionDecoder {
    protected final DetectionDecoderSpec spec;

    protected BaseDecoder(DetectionDecoderSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** Adds every candidate with {@code score >= scoreThreshold}, in input pixels. */
    protected abstract void collect(List<OutputTensor> outputs, int inputWidth, int inputHeight,
            float scoreThreshold, Candidates out);

    /** Whether NMS runs (false for NMS-free exports). */
    protected boolean needsNms() {
        return true;
    }

    @Override
    public final List<Detection> decode(List<OutputTensor> outputs, int inputWidth, int inputHeight,
            Geometry geometry, List<String> labels, DetectionOptions options) {
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(options, "options");
        if (inputWidth <= 0 || inputHeight <= 0) {
            throw new IllegalArgumentException("input size must be positive: " + inputWidth + "x" + inputHeight);
        }
        Candidates c = new Candidates(64);
        collect(outputs, inputWidth, inputHeight, options.scoreThreshold(), c);
        return finish(c, geometry, labels, options, needsNms());
    }

    static List<Detection> finish(Candidates c, Geometry g, List<String> labels,
            DetectionOptions options, boolean nms) {
        int n = c.size();
        float[] boxes = c.boxes();
        float[] scores = c.scores();
        int[] classes = c.classes();
        // Map to source pixels; compact away boxes that are empty (or NaN) there.
        float[] src = new float[4 * n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            int b = 4 * i;
            float x1 = (float) g.toSourceX(boxes[b]);
            float y1 = (float) g.toSourceY(boxes[b + 1]);
            float x2 = (float) g.toSourceX(boxes[b + 2]);
            float y2 = (float) g.toSourceY(boxes[b + 3]);
            if (!(x2 > x1) || !(y2 > y1)) {
                continue;
            }
            int d = 4 * m;
            System.arraycopy(boxes, b, boxes, d, 4);
            src[d] = x1;
            src[d + 1] = y1;
            src[d + 2] = x2;
            src[d + 3] = y2;
            scores[m] = scores[i];
            classes[m] = classes[i];
            m++;
        }
        int[] order = nms
                ? Nms.select(boxes, scores, classes, m, options.iouThreshold(), options.maxDetections(),
                        options.classAgnostic())
                : Nms.rank(scores, m, options.maxDetections());
        List<Detection> out = new ArrayList<>(order.length);
        for (int i : order) {
            int b = 4 * i;
            out.add(new Detection(classes[i], Labels.name(labels, classes[i]), scores[i],
                    src[b], src[b + 1], src[b + 2], src[b + 3]));
        }
        return List.copyOf(out);
    }
}
