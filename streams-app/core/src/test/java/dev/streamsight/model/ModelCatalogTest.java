package dev.streamsight.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.image.ChannelOrder;
import dev.streamsight.image.LetterboxAlign;
import dev.streamsight.image.ResizeMode;
import dev.streamsight.image.TensorLayout;
import dev.streamsight.postprocess.DetectionFormat;
import dev.streamsight.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
    private final ModelCatalog catalog = ModelCatalog.builtIn();

    @Test
    void hasEveryRequiredId() {
        List<String> required = List.of("mobilenetv2-12-int8", "squeezenet1.0-fp16", "yolox-nano",
                "yolov8n-int8", "nanodet-m-416",
                "resnet50-v1-7", "resnet101-v1-7", "resnet152-v1-7", "resnet50-v2-7", "resnet101",
                "googlenet-12", "inception-v3", "vgg16-7", "vgg19-7", "efficientnet-lite4-11",
                "efficientnet-b0", "efficientnet-b1", "efficientnet-b2", "efficientnet-b3",
                "efficientnet-b4", "efficientnet-b5", "efficientnet-b6", "efficientnet-b7",
                "densenet121", "densenet169", "densenet201", "mobilenet-v2", "mobilenet-v3-large",
                "mobilenet-v3-small", "alexnet", "vit-b-16", "yolov5n", "yolov5s", "yolov8n", "yolov8s",
                "yolov9t", "yolov9s", "yolo11n", "yolo11s", "yolox-tiny", "yolox-s",
                "nanodet-plus-m-416", "xception", "nasnet-a-mobile", "inception-resnet-v2");
        for (String id : required) {
            assertTrue(catalog.find(id).isPresent(), id);
        }
        Set<String> ids = new HashSet<>();
        for (ModelDescriptor d : catalog.all()) {
            assertTrue(ids.add(d.id()), "duplicate " + d.id());
            assertNotNull(d.file(), d.id());
            assertNotNull(d.description(), d.id());
            assertNotNull(d.labels(), d.id());
            assertEquals("catalog", d.origin());
            assertFalse(d.description().contains("\n"), d.id());
            assertTrue(d.url() == null || d.url().startsWith("https://"), d.id());
        }
    }

    @Test
    void fixturesCarryTheReadmeFacts() {
        Map<String, String> sha = Map.of(
                "mobilenetv2-12-int8", "83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f",
                "squeezenet1.0-fp16", "21f25e3d9254af93e6218a359469fac714a017b3f9035c0f5c4acbf9a3ff7233",
                "yolox-nano", "695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14",
                "yolov8n-int8", "0954f7cb88ffd28436fc5c259be598c11bdbc8d96a6977669af5de75736e9fdf",
                "nanodet-m-416", "4b82da9944b88577175ee23a459dce2e26e6e4be573def65b1055dc2d9720186");
        sha.forEach((id, hex) -> assertEquals(hex, catalog.find(id).orElseThrow().sha256(), id));

        ModelDescriptor sq = catalog.find("squeezenet1.0-fp16").orElseThrow();
        assertEquals("SqueezeNet_fp16.onnx", sq.file());
        assertEquals(ChannelOrder.BGR, sq.preprocess().channels());
        assertEquals(1f, sq.preprocess().scale());
        assertTrue(Arrays.equals(new float[] {104, 117, 123}, sq.preprocess().mean()));
        assertEquals(ScoreKind.PROBABILITIES, sq.scoreKind());
        assertEquals(256, sq.preprocess().resizeShortSide());

        ModelDescriptor yx = catalog.find("yolox-nano").orElseThrow();
        assertEquals(LetterboxAlign.TOP_LEFT, yx.preprocess().align());
        assertEquals(114f, yx.preprocess().padValue());
        assertEquals(416, yx.preprocess().width());
        assertEquals(DetectionFormat.YOLOX, yx.detection().format());
        assertEquals("coco80", yx.labels());

        ModelDescriptor v8 = catalog.find("yolov8n-int8").orElseThrow();
        assertEquals(LetterboxAlign.CENTER, v8.preprocess().align());
        assertEquals(ChannelOrder.RGB, v8.preprocess().channels());
        assertEquals(640, v8.preprocess().height());
        assertEquals(DetectionFormat.YOLOV8, v8.detection().format());

        ModelDescriptor nd = catalog.find("nanodet-m-416").orElseThrow();
        assertEquals(0f, nd.preprocess().padValue());
        assertTrue(Arrays.equals(new float[] {57.375f, 57.12f, 58.395f}, nd.preprocess().std()));
        assertEquals(7, nd.detection().regMax());
        assertTrue(Arrays.equals(new int[] {8, 16, 32}, nd.detection().strides()));

        ModelDescriptor mb = catalog.find("mobilenetv2-12-int8").orElseThrow();
        assertEquals(ResizeMode.CENTER_CROP, mb.preprocess().resize());
        assertEquals(ScoreKind.LOGITS, mb.scoreKind());
    }

    @Test
    void everyArchitectureGraphHasAnEntryWithItsGzChecksum() throws Exception {
        Path archDir = Fixtures.shared().resolve("models/arch");
        for (Path gz : Fixtures.list(archDir)) {
            String name = gz.getFileName().toString();
            if (!name.endsWith(".onnx.gz")) {
                continue;
            }
            ModelDescriptor d = catalog.findByFileName(name).orElseThrow(() -> new AssertionError(name));
            assertEquals(name, d.file());
            assertEquals(dev.streamsight.model.internal.Files2.sha256(gz), d.sha256(), name);
            assertTrue(d.description().contains("placeholder weights"), name);
            assertEquals(TensorLayout.NCHW, d.preprocess().layout());
        }
        ModelDescriptor x = catalog.find("xception").orElseThrow();
        assertEquals(299, x.preprocess().width());
        assertEquals(1f / 127.5f, x.preprocess().scale());
        assertTrue(Arrays.equals(new float[] {1, 1, 1}, x.preprocess().mean()));
        assertEquals(232, catalog.find("resnet50").orElseThrow().preprocess().resizeShortSide());
        assertEquals(342, catalog.find("inception_v3").orElseThrow().preprocess().resizeShortSide());
        assertTrue(Files.isDirectory(archDir));
    }

    @Test
    void findAcceptsOtherSpellings() {
        assertEquals("vit-b-16", catalog.find("vit_b_16").orElseThrow().id());
        assertEquals("vit-b-16", catalog.find("VIT-B-16").orElseThrow().id());
        assertEquals("vit-b-16", catalog.find("vit_b_16.onnx.gz").orElseThrow().id());
        assertEquals("squeezenet1.0-fp16", catalog.find("SqueezeNet_fp16").orElseThrow().id());
        assertTrue(catalog.find("no-such-model").isEmpty());
        assertEquals("yolox-nano", catalog.findBySha256(
                "695E750A5D5754BB5A8D5325643B59282191A7E7A564E435A415FD3C578EAB14").orElseThrow().id());
    }
}
