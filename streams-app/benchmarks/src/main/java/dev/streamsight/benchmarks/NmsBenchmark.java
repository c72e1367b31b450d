package dev.streamsight.benchmarks;

import dev.streamsight.postprocess.DetectionOptions;
import dev.streamsight.postprocess.Nms;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Class-aware NMS ({@link Nms#select}, as the detection decoders call it) with the default options
 * (IoU 0.45, at most 100 boxes) over candidate sets shaped like a YOLOv8 head's output in 640x640
 * input pixels, random but seeded: 20 objects of the 80 COCO classes, each seen by up to 40 anchors
 * (jittered boxes, high scores, mostly the object's class), and the other candidates background
 * boxes with low scores and any class. 100 candidates is a busy photo after the usual score
 * threshold; 8400, every anchor of a 640x640 YOLOv8 (as with the near-zero threshold of mAP
 * evaluation).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.UNSAFE_ACCESS, JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX})
@State(Scope.Benchmark)
public class NmsBenchmark {
    private static final int INPUT = 640;
    private static final int CLASSES = 80;
    private static final int OBJECTS = 20;
    private static final int ANCHORS_PER_OBJECT = 40;

    @Param({"100", "1000", "8400"})
    public int candidates;

    private float[] boxes;
    private float[] scores;
    private int[] classes;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(8400);
        boxes = new float[4 * candidates];
        scores = new float[candidates];
        classes = new int[candidates];
        float[][] objects = new float[OBJECTS][];
        for (int o = 0; o < OBJECTS; o++) {
            float w = (float) random.nextDouble(20, 300);
            float h = (float) random.nextDouble(20, 300);
            objects[o] = new float[] {(float) random.nextDouble(w / 2, INPUT - w / 2),
                (float) random.nextDouble(h / 2, INPUT - h / 2), w, h, (float) random.nextDouble(0.5, 0.95),
                random.nextInt(CLASSES)};
        }
        int onObjects = Math.min(candidates, OBJECTS * ANCHORS_PER_OBJECT);
        for (int i = 0; i < candidates; i++) {
            if (i < onObjects) {
                float[] o = objects[i % OBJECTS];
                float w = o[2] * (float) random.nextDouble(0.85, 1.15);
                float h = o[3] * (float) random.nextDouble(0.85, 1.15);
                float cx = o[0] + o[2] * (float) random.nextDouble(-0.1, 0.1);
                float cy = o[1] + o[3] * (float) random.nextDouble(-0.1, 0.1);
                int cls = random.nextInt(10) == 0 ? random.nextInt(CLASSES) : (int) o[5];
                put(i, cx, cy, w, h, o[4] * (float) random.nextDouble(0.5, 1.0), cls);
            } else {
                double s = random.nextDouble(0.03, 0.55);
                put(i, (float) random.nextDouble(INPUT), (float) random.nextDouble(INPUT),
                        (float) random.nextDouble(8, 200), (float) random.nextDouble(8, 200), (float) (s * s),
                        random.nextInt(CLASSES));
            }
        }
    }

    @Benchmark
    public int[] classAware() {
        DetectionOptions o = DetectionOptions.DEFAULT;
        return Nms.select(boxes, scores, classes, candidates, o.iouThreshold(), o.maxDetections(), false);
    }

    /** A centre-size box as corners clipped to the input, as the decoders add them. */
    private void put(int i, float cx, float cy, float w, float h, float score, int cls) {
        boxes[4 * i] = Math.max(0f, cx - w / 2);
        boxes[4 * i + 1] = Math.max(0f, cy - h / 2);
        boxes[4 * i + 2] = Math.min(INPUT, cx + w / 2);
        boxes[4 * i + 3] = Math.min(INPUT, cy + h / 2);
        scores[i] = score;
        classes[i] = cls;
    }
}
