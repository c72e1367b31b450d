package dev.streamsight.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.image.ChannelOrder;
import dev.streamsight.image.LetterboxAlign;
import dev.streamsight.image.ResizeMode;
import dev.streamsight.image.TensorLayout;
import dev.streamsight.postprocess.DetectionFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelDescriptorsTest {

    private static final String MINIMAL = """
            {"id":"m","task":"classification","input":{"size":[224,224]}}""";

    @Test
    void everyCatalogEntryRoundTripsLosslessly() {
        for (ModelDescriptor d : ModelCatalog.builtIn().all()) {
            String json = ModelDescriptors.write(d);
            ModelDescriptor back = ModelDescriptors.parse(json, "roundtrip:" + d.id());
            assertEquals(d, back, d.id() + "\n" + json);
            assertEquals(json, ModelDescriptors.write(back), d.id());
        }
    }

    @Test
    void documentedExampleParses() {
        ModelDescriptor d = ModelDescriptors.parse("""
                {"id":"mobilenetv2-12-int8","task":"classification","file":"mobilenetv2-12-int8.onnx",
                 "sha256":"83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f","url":null,
                 "input":{"name":"input","size":[224,224],"layout":"nchw"},
                 "preprocess":{"resize":"center_crop","resizeShortSide":256,"interpolation":"bilinear",
                   "channels":"rgb","scale":"1/255","mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225]},
                 "output":{"scores":"logits"}, "labels":"imagenet", "description":"x"}""", "example");
        assertEquals(ModelCatalog.builtIn().find("mobilenetv2-12-int8").orElseThrow().preprocess(),
                d.preprocess());
        assertEquals(ScoreKind.LOGITS, d.scoreKind());
        assertEquals("example", d.origin());
    }

    @Test
    void detectorDefaultsAndFields() {
        ModelDescriptor d = ModelDescriptors.parse("""
                {"id":"det","task":"detection","input":{"size":416},
                 "preprocess":{"resize":"letterbox","align":"top_left","channels":"bgr","scale":1},
                 "detection":{"format":"yolox","strides":[8,16,32]},"labels":"coco80"}""", "d");
        assertEquals(ResizeMode.LETTERBOX, d.preprocess().resize());
        assertEquals(LetterboxAlign.TOP_LEFT, d.preprocess().align());
        assertEquals(114f, d.preprocess().padValue());
        assertEquals(ChannelOrder.BGR, d.preprocess().channels());
        assertEquals(1f, d.preprocess().scale());
        assertEquals(DetectionFormat.YOLOX, d.detection().format());
        assertNull(d.scoreKind());
        assertEquals(416, d.preprocess().width());
    }

    @Test
    void unknownTopLevelKeyIsNamed() {
        ModelException e = assertThrows(ModelException.class, () -> ModelDescriptors.parse(
                MINIMAL.replace("}}", "}, \"lables\":\"imagenet\"}"), "my.json"));
        assertTrue(e.getMessage().contains("my.json"), e.getMessage());
        assertTrue(e.getMessage().contains("'lables'"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown"), e.getMessage());
    }

    @Test
    void unknownNestedKeyIsNamedWithItsPath() {
        ModelException e = assertThrows(ModelException.class, () -> ModelDescriptors.parse("""
                {"id":"m","task":"classification","input":{"size":224},"preprocess":{"meen":[1,2,3]}}""",
                "f.json"));
        assertTrue(e.getMessage().contains("'preprocess.meen'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"id\":\"m\",\"task\":\"classify\",\"input\":{\"size\":224}}|'task'",
        "{\"id\":\"m\",\"task\":\"classification\",\"input\":{\"size\":224},\"preprocess\":{\"resize\":\"zoom\"}}|'preprocess.resize'",
        "{\"id\":\"m\",\"task\":\"classification\",\"input\":{\"size\":224},\"preprocess\":{\"mean\":[1,2]}}|'preprocess.mean'",
        "{\"id\":\"m\",\"task\":\"classification\",\"input\":{\"size\":224},\"preprocess\":{\"scale\":\"1/x\"}}|'preprocess.scale'",
        "{\"id\":\"m\",\"task\":\"classification\",\"input\":{\"size\":224},\"preprocess\":{\"scale\":0}}|'preprocess.scale'",
        "{\"id\":\"m\",\"task\":\"classification\",\"input\":{\"size\":[224]}}|'input.size'",
        "{\"id\":\"m\",\"task\":\"classification\",\"input\":{}}|'input.size'",
        "{\"id\":\"m\",\"task\":\"classification\"}|'input'",
        "{\"id\":\"m\",\"task\":\"classification\",\"input\":{\"size\":224},\"sha256\":\"abc\"}|'sha256'",
        "{\"id\":\"m\",\"task\":\"classification\",\"input\":{\"size\":224},\"url\":\"ftp://x\"}|'url'",
        "{\"id\":\"m\",\"task\":\"classification\",\"input\":{\"size\":224},\"output\":{\"scores\":\"softmax\"}}|'output.scores'",
        "{\"id\":\"m\",\"task\":\"detection\",\"input\":{\"size\":224}}|'detection'",
        "{\"id\":\"m\",\"task\":\"detection\",\"input\":{\"size\":224},\"detection\":{\"format\":\"yolov7\"}}|'detection.format'",
        "{\"id\":\"m\",\"task\":\"detection\",\"input\":{\"size\":224},\"detection\":{\"format\":\"nanodet\",\"regMax\":-1}}|'detection.regMax'",
        "{\"id\":\"m\",\"task\":\"classification\",\"input\":{\"size\":224,\"layout\":\"chw\"}}|'input.layout'",
        "{\"id\":7,\"task\":\"classification\",\"input\":{\"size\":224}}|'id'",
    })
    void badValuesAreRejectedWithTheKeyNamed(String spec) {
        String[] parts = spec.split("\\|");
        ModelException e = assertThrows(ModelException.class,
                () -> ModelDescriptors.parse(parts[0], "bad.json"));
        assertTrue(e.getMessage().startsWith("bad.json"), e.getMessage());
        assertTrue(e.getMessage().contains(parts[1]), parts[1] + " not in: " + e.getMessage());
    }

    @Test
    void invalidJsonAndDuplicateKeysAreRejected() {
        assertThrows(ModelException.class, () -> ModelDescriptors.parse("{\"id\":", "x.json"));
        ModelException e = assertThrows(ModelException.class, () -> ModelDescriptors.parse(
                "{\"id\":\"a\",\"id\":\"b\",\"task\":\"classification\",\"input\":{\"size\":224}}",
                "dup.json"));
        assertTrue(e.getMessage().contains("dup.json"), e.getMessage());
    }

    @Test
    void readFromFileDefaultsIdAndOrigin(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("custom.json");
        Files.writeString(f, """
                {"task":"classification","input":{"size":[320,240],"layout":"nhwc"}}""");
        ModelDescriptor d = ModelDescriptors.read(f);
        assertEquals("custom", d.id());
        assertEquals("file:" + f, d.origin());
        assertEquals(320, d.preprocess().width());
        assertEquals(240, d.preprocess().height());
        assertEquals(TensorLayout.NHWC, d.preprocess().layout());
        assertEquals(ScoreKind.LOGITS, d.scoreKind());
        ModelException e = assertThrows(ModelException.class,
                () -> ModelDescriptors.read(dir.resolve("missing.json")));
        assertTrue(e.getMessage().contains("missing.json"));
    }

    @Test
    void imagenetDefaultUsesTorchvisionResizeRatio() {
        ModelDescriptor d224 = ModelDescriptors.imagenetDefault("x", 224, 224);
        assertEquals(256, d224.preprocess().resizeShortSide());
        assertEquals(ResizeMode.CENTER_CROP, d224.preprocess().resize());
        assertEquals(ChannelOrder.RGB, d224.preprocess().channels());
        assertEquals(1f / 255f, d224.preprocess().scale());
        assertEquals("imagenet", d224.labels());
        assertEquals("default", d224.origin());
        assertEquals(ScoreKind.LOGITS, d224.scoreKind());
        assertEquals(342, ModelDescriptors.imagenetDefault("y", 299, 299).preprocess().resizeShortSide());
        assertEquals(434, ModelDescriptors.imagenetDefault("z", 380, 380).preprocess().resizeShortSide());
        ModelDescriptor back = ModelDescriptors.parse(ModelDescriptors.write(d224), "rt");
        assertEquals(d224, back);
    }
}
