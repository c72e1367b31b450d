package dev.streamsight.postprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the shared detector fixtures through plain ONNX Runtime (test code only) and checks that the
 * decoders find the objects tabled in shared/README.md "Verified detections".
 */
class RealDetectorModelsTest {
    private static final String LIVING_ROOM = "coco_000000000139_living_room.jpg";
    private static final String DOG = "darknet_dog_bicycle_truck.jpg";
    /** COCO val2017 ground truth of the person in image 139, x1,y1,x2,y2. */
    private static final float[] PERSON_139 = {413, 158, 466, 296};
    /** YOLOv8n boxes from the README table for the darknet dog photo. */
    private static final float[] DOG_BOX = {132, 219, 308, 539};
    private static final float[] CAR_BOX = {468, 74, 692, 171};

    private static final float[] ZERO = {0, 0, 0};
    private static final float[] ONE = {1, 1, 1};
    private static final OrtTestRunner.Prep YOLOV8 = new OrtTestRunner.Prep(640, false, true, 114,
            ZERO, new float[] {255, 255, 255});
    private static final OrtTestRunner.Prep YOLOX = new OrtTestRunner.Prep(416, true, false, 114, ZERO, ONE);
    private static final OrtTestRunner.Prep NANODET = new OrtTestRunner.Prep(416, true, true, 0,
            new float[] {103.53f, 116.28f, 123.675f}, new float[] {57.375f, 57.12f, 58.395f});

    private static List<String> coco;

    @BeforeAll
    static void labels() throws Exception {
        coco = Files.readAllLines(Fixtures.label("coco80.txt"));
        assertEquals(80, coco.size());
    }

    private static List<Detection> detect(String model, DetectionDecoderSpec spec, OrtTestRunner.Prep prep,
            String photo, DetectionOptions options) throws Exception {
        Path img = Fixtures.photo(photo);
        var lb = OrtTestRunner.letterbox(img, prep);
        List<OutputTensor> outs = OrtTestRunner.run(Fixtures.model(model), lb.nchw(), prep.size());
        List<Detection> dets = DetectionDecoders.forSpec(spec)
                .decode(outs, prep.size(), prep.size(), lb.geometry(), coco, options);
        System.out.println(model + " on " + photo + ":");
        for (Detection d : dets) {
            System.out.printf("  %-14s %.3f [%.0f, %.0f, %.0f, %.0f]%n", d.label(), d.score(), d.x1(), d.y1(),
                    d.x2(), d.y2());
        }
        for (int i = 1; i < dets.size(); i++) {
            assertTrue(dets.get(i - 1).score() >= dets.get(i).score(), "sorted by score");
        }
        return dets;
    }

    private static Optional<Detection> best(List<Detection> dets, String label, float[] box) {
        Detection ref = new Detection(-1, label, 1f, box[0], box[1], box[2], box[3]);
        return dets.stream().filter(d -> d.label().equals(label))
                .max((a, b) -> Float.compare(a.iou(ref), b.iou(ref)));
    }

    private static void assertFound(List<Detection> dets, String label, float[] box, float minIou) {
        Detection ref = new Detection(-1, label, 1f, box[0], box[1], box[2], box[3]);
        Detection d = best(dets, label, box).orElseThrow(() -> new AssertionError("no " + label + " in " + dets));
        assertTrue(d.iou(ref) >= minIou, label + " IoU " + d.iou(ref) + " < " + minIou + ": " + d);
    }

    /** The best-scored detection of a label scores within 0.03 of the README's figure. */
    private static void assertScore(List<Detection> dets, String label, float readme) {
        Detection d = dets.stream().filter(x -> x.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + label + " in " + dets));
        assertEquals(readme, d.score(), 0.03f, label + " score vs README: " + d);
    }

    private static void assertFound(List<Detection> dets, String label) {
        assertTrue(dets.stream().anyMatch(d -> d.label().equals(label)), "no " + label + " in " + dets);
    }

    @Test
    void yolov8nFindsThePersonTvAndTheDogBicycleCar() throws Exception {
        var spec = DetectionDecoderSpec.of(DetectionFormat.YOLOV8);
        var room = detect("yolov8n_int8.onnx", spec, YOLOV8, LIVING_ROOM, DetectionOptions.DEFAULT);
        assertFound(room, "person", PERSON_139, 0.8f);
        assertScore(room, "person", 0.633f);
        assertScore(room, "tv", 0.921f);
        assertScore(room, "chair", 0.844f);
        var dog = detect("yolov8n_int8.onnx", spec, YOLOV8, DOG, DetectionOptions.DEFAULT);
        assertFound(dog, "dog", DOG_BOX, 0.8f);
        assertScore(dog, "dog", 0.954f);
        assertFound(dog, "bicycle");
        assertFound(dog, "car", CAR_BOX, 0.8f);
    }

    @Test
    void yoloxNanoFindsThePersonTvAndTheDogBicycleCar() throws Exception {
        var spec = DetectionDecoderSpec.of(DetectionFormat.YOLOX);
        var room = detect("yolox_nano.onnx", spec, YOLOX, LIVING_ROOM, DetectionOptions.DEFAULT);
        // YOLOX-nano's own box is narrower on the left ([427,165,470,296] with the README's
        // preprocessing, same 0.692 score as the README): IoU 0.65 with the ground truth.
        assertFound(room, "person", PERSON_139, 0.6f);
        assertScore(room, "person", 0.692f);
        assertScore(room, "tv", 0.898f);
        var dog = detect("yolox_nano.onnx", spec, YOLOX, DOG, DetectionOptions.DEFAULT);
        assertFound(dog, "dog", DOG_BOX, 0.7f);
        assertScore(dog, "dog", 0.856f);
        assertScore(dog, "bicycle", 0.804f);
        assertFound(dog, "car", CAR_BOX, 0.7f);
        assertScore(dog, "car", 0.797f);
    }

    @Test
    void nanodetMFindsTheTvAndTheDogBicycleCar() throws Exception {
        var spec = DetectionDecoderSpec.of(DetectionFormat.NANODET);
        var room = detect("nanodet_m_416.onnx", spec, NANODET, LIVING_ROOM, DetectionOptions.DEFAULT);
        assertScore(room, "tv", 0.750f);
        assertFound(room, "chair");
        assertFound(room, "dining table");
        var dog = detect("nanodet_m_416.onnx", spec, NANODET, DOG, DetectionOptions.DEFAULT);
        assertFound(dog, "dog", DOG_BOX, 0.7f);
        assertScore(dog, "bicycle", 0.743f);
        assertScore(dog, "dog", 0.504f);
        assertFound(dog, "car", CAR_BOX, 0.7f);
        assertScore(dog, "car", 0.456f);
        // NanoDet-m scores the person below 0.35 (absent from the README row); at 0.3 it is there.
        var low = detect("nanodet_m_416.onnx", spec, NANODET, LIVING_ROOM, new DetectionOptions(0.3f, 0.45f, 100, false));
        assertFound(low, "person", PERSON_139, 0.6f);
    }
}
