package dev.streamsight.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.ReasonCode;
import dev.streamsight.model.ModelException;
import dev.streamsight.postprocess.DetectionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading real models, descriptor validation and batching through the engine. */
class ModelLoaderTest {
    @TempDir
    Path cache;

    @Test
    void classifiesABatchWithADynamicBatchDimension() {
        try (LoadedModel m = TestModels.loader(cache, EngineOptions.cpu().withMaxBatchSize(3)).load("mobilenetv2-12-int8")) {
            assertEquals(3, m.batchCapacity());
            assertEquals("FLOAT", m.inputType());
            List<ImageInput> images = new ArrayList<>();
            for (String name : List.of("winml_cat.jpg", "winml_hummingbird.jpg", "coco_000000000285_bear.jpg",
                    "winml_dog_golden_retriever.jpg", "coco_000000005477_airplane.jpg")) {
                images.add(ImageInput.decoded(TestModels.photo(name)));
            }
            List<Prediction<Classification>> out = m.classify(images, 3);
            assertEquals(5, out.size());
            assertTrue(List.of("tiger cat", "Egyptian cat", "tabby").contains(label(out.get(0))));
            assertEquals("hummingbird", label(out.get(1)));
            assertEquals("brown bear", label(out.get(2)));
            assertEquals("golden retriever", label(out.get(3)));
            assertEquals("airliner", label(out.get(4)));
            assertEquals(3, out.get(0).timings().batchSize());
            assertEquals(2, out.get(4).timings().batchSize());
            assertEquals(1000, out.get(0).value().width());
        }
    }

    @Test
    void callersOnEveryCoreGetWhatOneCallerGets() throws Exception {
        // As many concurrent calls as cores and more: each prepares its own batches instead of handing
        // them to the pool; the results must not change.
        try (LoadedModel m = TestModels.loader(cache, EngineOptions.cpu().withMaxBatchSize(2)).load("mobilenetv2-12-int8")) {
            List<ImageInput> images = new ArrayList<>();
            for (String name : List.of("winml_cat.jpg", "winml_hummingbird.jpg", "coco_000000000285_bear.jpg",
                    "winml_dog_golden_retriever.jpg", "coco_000000005477_airplane.jpg")) {
                images.add(ImageInput.encoded(Files.readAllBytes(dev.streamsight.testing.Fixtures.photo(name))));
            }
            List<Prediction<Classification>> alone = m.classify(images, 3);
            int callers = Runtime.getRuntime().availableProcessors() + 1;
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(callers)) {
                List<java.util.concurrent.Future<List<Prediction<Classification>>>> calls = new ArrayList<>();
                for (int i = 0; i < callers * 3; i++) {
                    calls.add(pool.submit(() -> m.classify(images, 3)));
                }
                for (var call : calls) {
                    List<Prediction<Classification>> out = call.get();
                    for (int i = 0; i < images.size(); i++) {
                        assertEquals(label(alone.get(i)), label(out.get(i)));
                        assertEquals(alone.get(i).value().top().get(0).score(), out.get(i).value().top().get(0).score(),
                                1e-5);
                    }
                }
            }
            assertEquals("hummingbird", label(alone.get(1)));
            assertEquals("brown bear", label(alone.get(2)));
        }
    }

    @Test
    void runsAFloat16ModelWithAFixedBatchOfOne() {
        try (LoadedModel m = TestModels.loader(cache, EngineOptions.cpu()).load("squeezenet1.0-fp16")) {
            assertEquals(1, m.batchCapacity());
            assertEquals("FLOAT16", m.inputType());
            List<Prediction<Classification>> out = m.classify(List.of(
                    ImageInput.decoded(TestModels.photo("winml_dog_golden_retriever.jpg")),
                    ImageInput.decoded(TestModels.photo("coco_000000002149_green_apples.jpg"))), 5);
            assertEquals("golden retriever", label(out.get(0)));
            assertEquals("Granny Smith", label(out.get(1)));
            float sum = 0;
            for (var s : out.get(0).value().top()) {
                sum += s.score();
            }
            assertTrue(sum <= 1.0001f, "probabilities are not re-normalised: " + sum);
        }
    }

    @Test
    void aDecodeFailureFailsOnlyThatImage() {
        try (LoadedModel m = TestModels.loader(cache, EngineOptions.cpu()).load("mobilenetv2-12-int8")) {
            ModelLoader loader = new ModelLoader(TestModels.locator(cache), TestModels.labels(cache),
                    (bytes, hint) -> {
                        throw new dev.streamsight.image.ImageException(ReasonCode.DECODE_FAILED, "bad bytes");
                    }, EngineOptions.cpu());
            try (LoadedModel failing = loader.load("mobilenetv2-12-int8")) {
                List<Prediction<Classification>> out = failing.classify(List.of(ImageInput.encoded(new byte[] {1}),
                        ImageInput.decoded(TestModels.photo("winml_hummingbird.jpg"))), 1);
                assertFalse(out.get(0).ok());
                assertEquals(ReasonCode.DECODE_FAILED, out.get(0).code());
                assertEquals("hummingbird", label(out.get(1)));
            }
            assertTrue(m.sha256().startsWith("83530ad8"));
        }
    }

    @Test
    void detectsWithBoxesInSourcePixels() {
        try (LoadedModel m = TestModels.loader(cache, EngineOptions.cpu()).load("yolov8n-int8")) {
            var out = m.detect(List.of(ImageInput.decoded(TestModels.photo("darknet_dog_bicycle_truck.jpg"))),
                    DetectionOptions.DEFAULT);
            var result = out.get(0).value();
            assertEquals(768, result.width());
            var dog = result.detections().stream().filter(d -> d.label().equals("dog")).findFirst().orElseThrow();
            // README: dog .954 [132,219,308,539]
            assertEquals(132, dog.x1(), 8);
            assertEquals(219, dog.y1(), 8);
            assertEquals(308, dog.x2(), 8);
            assertEquals(539, dog.y2(), 8);
        }
    }

    @Test
    void aDescriptorThatDoesNotFitTheGraphIsRejectedWithTheMismatch() throws Exception {
        Path descriptor = cache.resolve("wrong.json");
        Files.writeString(descriptor, """
                {"id":"wrong","task":"classification","file":"mobilenetv2-12-int8.onnx",
                 "input":{"size":[300,300]},
                 "preprocess":{"resize":"center_crop","resizeShortSide":342},
                 "output":{"scores":"logits"},"labels":"imagenet"}
                """);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> TestModels.loader(cache, EngineOptions.cpu()).load("mobilenetv2-12-int8", descriptor));
        assertTrue(e.getMessage().contains("height is 300") && e.getMessage().contains("224"), e.getMessage());
    }

    @Test
    void aDetectorDescriptorOnAClassifierFailsAtLoad() throws Exception {
        Path descriptor = cache.resolve("det.json");
        Files.writeString(descriptor, """
                {"id":"det","task":"detection","file":"mobilenetv2-12-int8.onnx",
                 "input":{"size":[224,224]},"preprocess":{"resize":"letterbox"},
                 "detection":{"format":"yolov8"},"labels":"coco80"}
                """);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> TestModels.loader(cache, EngineOptions.cpu()).load("mobilenetv2-12-int8", descriptor));
        assertTrue(e.getMessage().contains("do not fit its descriptor"), e.getMessage());
    }

    @Test
    void aFileThatIsNotAnOnnxModelIsRefusedNamingTheModel() throws Exception {
        Path dir = Files.createDirectories(cache.resolve("junk"));
        byte[] junk = new byte[4096];
        new java.util.Random(3).nextBytes(junk);
        Path file = Files.write(dir.resolve("junk.onnx"), junk);
        Files.writeString(dir.resolve("junk.json"), """
                {"id":"junk","task":"classification","file":"junk.onnx",
                 "input":{"size":[224,224]},"output":{"scores":"logits"},"labels":"imagenet"}
                """);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> TestModels.loader(cache, EngineOptions.cpu()).load(file.toString()));
        assertTrue(e.getMessage().startsWith("model 'junk': ONNX Runtime cannot load " + file), e.getMessage());
    }

    @Test
    void aClassifierDescriptorOnADetectorIsRefused() throws Exception {
        Path descriptor = cache.resolve("not-a-classifier.json");
        Files.writeString(descriptor, """
                {"id":"not-a-classifier","task":"classification","file":"yolox_nano.onnx",
                 "input":{"size":[416,416]},"preprocess":{"resize":"center_crop","resizeShortSide":416},
                 "output":{"scores":"logits"},"labels":"imagenet"}
                """);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> TestModels.loader(cache, EngineOptions.cpu()).load("yolox-nano", descriptor));
        assertTrue(e.getMessage().startsWith("model not-a-classifier: its descriptor says classification")
                && e.getMessage().contains("is it a detector?"), e.getMessage());
    }

    @Test
    void aClassifierWhoseLabelsAreAnotherCountIsRefused() throws Exception {
        Path labels = Files.writeString(cache.resolve("ten.txt"), "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n");
        Path descriptor = cache.resolve("ten.json");
        Files.writeString(descriptor, """
                {"id":"ten","task":"classification","file":"mobilenetv2-12-int8.onnx",
                 "input":{"size":[224,224]},"preprocess":{"resize":"center_crop","resizeShortSide":256},
                 "output":{"scores":"logits"},"labels":"%s"}
                """.formatted(labels));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> TestModels.loader(cache, EngineOptions.cpu()).load("mobilenetv2-12-int8", descriptor));
        assertTrue(e.getMessage().contains("1000 classes but its labels") && e.getMessage().contains("have 10"),
                e.getMessage());
    }

    @Test
    void aGpuProviderThatCannotLoadIsAnErrorUnlessFallbackIsAllowed() {
        org.junit.jupiter.api.Assumptions.assumeFalse(GpuAvailability.cuda(), "a GPU build is present");
        EngineOptions cuda = EngineOptions.cpu().withProvider(ExecutionProvider.CUDA, false);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> TestModels.loader(cache, cuda).load("mobilenetv2-12-int8"));
        assertTrue(e.getMessage().contains("cuda"), e.getMessage());
        try (LoadedModel m = TestModels.loader(cache, cuda.withProvider(ExecutionProvider.CUDA, true))
                .load("mobilenetv2-12-int8")) {
            assertEquals(ExecutionProvider.CPU, m.provider());
        }
    }

    @Test
    void anUnknownModelNamesEveryPlaceLooked() {
        ModelException e = assertThrows(ModelException.class,
                () -> TestModels.loader(cache, EngineOptions.cpu()).load("resnet101"));
        assertTrue(e.getMessage().contains(Path.of("models").toString()), e.getMessage());
    }

    @Test
    void closeIsIdempotentAndLaterCallsFail() {
        LoadedModel m = TestModels.loader(cache, EngineOptions.cpu()).load("mobilenetv2-12-int8");
        m.close();
        m.close();
        assertThrows(IllegalStateException.class,
                () -> m.classify(List.of(ImageInput.decoded(TestModels.photo("winml_cat.jpg"))), 1));
    }

    private static String label(Prediction<Classification> p) {
        assertTrue(p.ok(), () -> String.valueOf(p.error()));
        return p.value().top().get(0).label();
    }
}
