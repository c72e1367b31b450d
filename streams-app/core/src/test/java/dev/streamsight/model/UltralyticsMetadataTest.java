package dev.streamsight.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.image.LetterboxAlign;
import dev.streamsight.image.ResizeMode;
import dev.streamsight.postprocess.DetectionFormat;
import dev.streamsight.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UltralyticsMetadataTest {

    @Test
    void parsesQuotesAndEscapes() {
        assertEquals(List.of("person", "bicycle", "stop sign"),
                UltralyticsMetadata.parseNames("{0: 'person', 1: \"bicycle\", 2: \"stop sign\"}"));
        assertEquals(List.of("it's", "say \"hi\"", "back\\slash", "tab\there", "é"),
                UltralyticsMetadata.parseNames(
                        "{0: \"it's\", 1: 'say \"hi\"', 2: 'back\\\\slash', 3: 'tab\\there', 4: '\\xe9',}"));
        assertEquals(List.of(), UltralyticsMetadata.parseNames(" { } "));
    }

    @Test
    void rejectsNonContiguousOrMalformed() {
        ModelException gap = assertThrows(ModelException.class,
                () -> UltralyticsMetadata.parseNames("{0: 'person', 11: \"stop sign\"}"));
        assertTrue(gap.getMessage().contains("names"), gap.getMessage());
        assertThrows(ModelException.class, () -> UltralyticsMetadata.parseNames("{0: 'person'"));
        assertThrows(ModelException.class, () -> UltralyticsMetadata.parseNames("['a', 'b']"));
        assertThrows(ModelException.class, () -> UltralyticsMetadata.parseNames("{0: person}"));
    }

    @Test
    void cocoNamesAsUltralyticsWritesThem() {
        StringBuilder sb = new StringBuilder("{");
        List<String> coco = Labels.read(Fixtures.label("coco80.txt"));
        for (int i = 0; i < coco.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(i).append(": '").append(coco.get(i)).append('\'');
        }
        assertEquals(coco, UltralyticsMetadata.parseNames(sb.append('}').toString()));
    }

    @Test
    void detectExport() {
        UltralyticsMetadata m = UltralyticsMetadata.from(Map.of(
                "names", "{0: 'person', 1: 'bicycle'}", "imgsz", "[480, 640]", "task", "detect",
                "stride", "32", "end2end", "False", "version", "8.4.53",
                "description", "Ultralytics YOLOv8n model trained on coco.yaml")).orElseThrow();
        assertEquals(640, m.width());
        assertEquals(480, m.height());
        assertEquals(32, m.stride());
        ModelDescriptor d = m.descriptor("yolov8n");
        assertEquals(Task.DETECTION, d.task());
        assertEquals(DetectionFormat.YOLOV8, d.detection().format());
        assertEquals(ResizeMode.LETTERBOX, d.preprocess().resize());
        assertEquals(LetterboxAlign.CENTER, d.preprocess().align());
        assertEquals(114f, d.preprocess().padValue());
        assertEquals(1f / 255f, d.preprocess().scale());
        assertEquals("metadata", d.labels());
        assertEquals("8.4.53", d.version());
    }

    @Test
    void end2endAndClassifyExports() {
        ModelDescriptor e2e = UltralyticsMetadata.from(Map.of("names", "{0: 'a'}", "imgsz", "[640, 640]",
                "task", "detect", "end2end", "True")).orElseThrow().descriptor("y26");
        assertEquals(DetectionFormat.END2END, e2e.detection().format());

        ModelDescriptor cls = UltralyticsMetadata.from(Map.of("names", "{0: 'a', 1: 'b'}", "imgsz", "[224, 224]",
                "task", "classify")).orElseThrow().descriptor("yolo11n-cls");
        assertEquals(Task.CLASSIFICATION, cls.task());
        assertEquals(ResizeMode.CENTER_CROP, cls.preprocess().resize());
        assertEquals(224, cls.preprocess().resizeShortSide());
        assertEquals(ScoreKind.PROBABILITIES, cls.scoreKind());

        UltralyticsMetadata seg = UltralyticsMetadata.from(Map.of("names", "{0: 'a'}", "task", "segment"))
                .orElseThrow();
        assertThrows(ModelException.class, () -> seg.descriptor("seg"));
        assertTrue(UltralyticsMetadata.from(Map.of("producer", "pytorch")).isEmpty());
        assertThrows(ModelException.class, () -> UltralyticsMetadata.from(Map.of("names", "{0: 'a'}",
                "imgsz", "big")));
    }
}
