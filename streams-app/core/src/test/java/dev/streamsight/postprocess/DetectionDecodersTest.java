package dev.streamsight.postprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.image.Geometry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionDecodersTest {
    private static final DetectionOptions OPTS = new DetectionOptions(0.35f, 0.45f, 100, false);
    private static final List<String> COCO3 = List.of("person", "bicycle", "car");
    /** A 1280x960 source letterboxed (centred) into 640x640: scale 0.5, 80 px pad at the top. */
    private static final Geometry LETTERBOX = new Geometry(1280, 960, 0.5, 0.5, 0, 80);

    private static void assertBox(Detection d, int cls, float score, float x1, float y1, float x2, float y2) {
        assertEquals(cls, d.index(), d.toString());
        assertEquals(score, d.score(), 1e-4f, d.toString());
        assertEquals(x1, d.x1(), 1e-3f, d.toString());
        assertEquals(y1, d.y1(), 1e-3f, d.toString());
        assertEquals(x2, d.x2(), 1e-3f, d.toString());
        assertEquals(y2, d.y2(), 1e-3f, d.toString());
    }

    private static float logit(float p) {
        return (float) Math.log(p / (1 - p));
    }

    // ---------------------------------------------------------------- YOLOv8

    /** Anchors as rows {cx, cy, w, h, c0, c1, c2}; 8 anchors so N > 4+C. */
    private static float[][] yolov8Anchors() {
        return new float[][] {
            {100, 180, 40, 20, 0, 0, 0.9f},
            {102, 180, 40, 20, 0, 0, 0.8f}, // same class, overlaps anchor 0: suppressed
            {101, 181, 40, 20, 0, 0.7f, 0}, // other class, overlaps anchor 0: kept class-wise
            {400, 400, 50, 50, 0.2f, 0, 0}, // below threshold
            {600, 300, 100, 100, 0.5f, 0, 0}, // right edge beyond the source: clamped
            {300, 40, 50, 20, 0.99f, 0, 0}, // entirely in the top padding: dropped
            {0, 0, 0, 0, 0, 0, 0},
            {0, 0, 0, 0, 0, 0, 0},
        };
    }

    private static OutputTensor channelMajor(float[][] rows) {
        int n = rows.length;
        int a = rows[0].length;
        float[] d = new float[a * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < a; j++) {
                d[j * n + i] = rows[i][j];
            }
        }
        return new OutputTensor("output0", new long[] {a, n}, d);
    }

    private static OutputTensor rowMajor(String name, float[][] rows) {
        int n = rows.length;
        int a = rows[0].length;
        float[] d = new float[a * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, d, i * a, a);
        }
        return new OutputTensor(name, new long[] {n, a}, d);
    }

    private static void assertYolov8Expected(List<Detection> r) {
        assertEquals(3, r.size(), r.toString());
        assertBox(r.get(0), 2, 0.9f, 160, 180, 240, 220);
        assertEquals("car", r.get(0).label());
        assertBox(r.get(1), 1, 0.7f, 162, 182, 242, 222);
        assertBox(r.get(2), 0, 0.5f, 1100, 340, 1280, 540);
    }

    @Test
    void yolov8ChannelMajorDecodesThresholdsNmsAndMapsToSource() {
        var dec = DetectionDecoders.forSpec(DetectionDecoderSpec.of(DetectionFormat.YOLOV8));
        assertYolov8Expected(dec.decode(List.of(channelMajor(yolov8Anchors())), 640, 640, LETTERBOX, COCO3, OPTS));
    }

    @Test
    void yolov8TransposedGivesTheSameResult() {
        var dec = DetectionDecoders.forSpec(DetectionDecoderSpec.of(DetectionFormat.YOLOV8));
        assertYolov8Expected(dec.decode(List.of(rowMajor("output0", yolov8Anchors())), 640, 640, LETTERBOX,
                COCO3, OPTS));
    }

    @Test
    void yolov8ClassAgnosticAndMaxDetections() {
        var dec = DetectionDecoders.forSpec(DetectionDecoderSpec.of(DetectionFormat.YOLOV8));
        var out = List.of(channelMajor(yolov8Anchors()));
        List<Detection> agnostic = dec.decode(out, 640, 640, LETTERBOX, COCO3,
                new DetectionOptions(0.35f, 0.45f, 100, true));
        assertEquals(List.of(2, 0), agnostic.stream().map(Detection::index).toList());
        List<Detection> one = dec.decode(out, 640, 640, LETTERBOX, COCO3, new DetectionOptions(0.35f, 0.45f, 1, false));
        assertEquals(1, one.size());
        assertEquals(0.9f, one.get(0).score(), 1e-6f);
        List<Detection> low = dec.decode(out, 640, 640, LETTERBOX, COCO3, new DetectionOptions(0.1f, 0.45f, 100, false));
        assertEquals(4, low.size(), "the 0.2 anchor now passes");
    }

    @Test
    void yolov8LogitsAndNormalisedBoxes() {
        float[][] rows = yolov8Anchors();
        for (float[] r : rows) {
            r[0] /= 640;
            r[1] /= 640;
            r[2] /= 640;
            r[3] /= 640;
            for (int c = 4; c < 7; c++) {
                r[c] = r[c] == 0 ? -20f : logit(r[c]);
            }
        }
        var dec = DetectionDecoders.forSpec(new DetectionDecoderSpec(DetectionFormat.YOLOV8, null, 7, true, true));
        assertYolov8Expected(dec.decode(List.of(channelMajor(rows)), 640, 640, LETTERBOX, COCO3, OPTS));
    }

    @Test
    void yolov8RejectsShapesThatDoNotFit() {
        var dec = DetectionDecoders.forSpec(DetectionDecoderSpec.of(DetectionFormat.YOLOV8));
        var tooFewAttrs = new OutputTensor("o", new long[] {4, 100}, new float[400]);
        var ex = assertThrows(IllegalArgumentException.class,
                () -> dec.decode(List.of(tooFewAttrs), 640, 640, LETTERBOX, COCO3, OPTS));
        assertTrue(ex.getMessage().contains("[4, 100]"), ex.getMessage());
        var rank3 = new OutputTensor("o", new long[] {2, 84, 10}, new float[1680]);
        ex = assertThrows(IllegalArgumentException.class,
                () -> dec.decode(List.of(rank3), 640, 640, LETTERBOX, COCO3, OPTS));
        assertTrue(ex.getMessage().contains("[4+C, N]") && ex.getMessage().contains("[2, 84, 10]"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> dec.decode(List.of(), 640, 640, LETTERBOX, COCO3, OPTS));
    }

    @Test
    void leadingUnitDimensionIsTolerated() {
        var dec = DetectionDecoders.forSpec(DetectionDecoderSpec.of(DetectionFormat.YOLOV8));
        OutputTensor t = channelMajor(yolov8Anchors());
        long[] s = t.shape();
        var withOne = new OutputTensor("o", new long[] {1, s[0], s[1]}, t.data());
        assertYolov8Expected(dec.decode(List.of(withOne), 640, 640, LETTERBOX, COCO3, OPTS));
    }

    @Test
    void yolov8FullSizeOutputDecodesQuickly() {
        int n = 8400;
        int c = 80;
        float[] d = new float[(4 + c) * n];
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < n; i++) {
            d[i] = rnd.nextFloat() * 640;
            d[n + i] = 80 + rnd.nextFloat() * 480;
            d[2 * n + i] = 10 + rnd.nextFloat() * 100;
            d[3 * n + i] = 10 + rnd.nextFloat() * 100;
            for (int k = 0; k < c; k++) {
                d[(4 + k) * n + i] = rnd.nextFloat() * (i % 50 == 0 ? 1f : 0.3f);
            }
        }
        var out = List.of(new OutputTensor("output0", new long[] {4 + c, n}, d));
        var dec = DetectionDecoders.forSpec(DetectionDecoderSpec.of(DetectionFormat.YOLOV8));
        List<Detection> first = dec.decode(out, 640, 640, LETTERBOX, COCO3, OPTS);
        assertTrue(!first.isEmpty() && first.size() <= 100, "got " + first.size());
        for (Detection det : first) {
            assertTrue(det.score() >= 0.35f && det.x2() > det.x1() && det.y2() > det.y1(), det.toString());
        }
        int runs = 30;
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            assertEquals(first, dec.decode(out, 640, 640, LETTERBOX, COCO3, OPTS));
        }
        double ms = (System.nanoTime() - t0) / 1e6 / runs;
        System.out.printf("YOLOv8 [84, 8400] decode: %.2f ms per image, %d detections%n", ms, first.size());
        assertTrue(ms < 100, "decode took " + ms + " ms");
    }

    // ---------------------------------------------------------------- YOLOv5

    @Test
    void yolov5ScoresObjectnessTimesBestClass() {
        float[][] rows = {
            {100, 180, 40, 20, 0.9f, 0.1f, 1.0f},
            {100, 180, 40, 20, 0.3f, 0f, 1f}, // objectness below the threshold
            {300, 300, 20, 20, 0.8f, 0.5f, 0.25f},
            {300, 300, 20, 20, 0.9f, 0.3f, 0.3f}, // 0.27 below the threshold
        };
        var dec = DetectionDecoders.forSpec(DetectionDecoderSpec.of(DetectionFormat.YOLOV5));
        List<Detection> r = dec.decode(List.of(rowMajor("output0", rows)), 640, 640, LETTERBOX, null, OPTS);
        assertEquals(2, r.size(), r.toString());
        assertBox(r.get(0), 1, 0.9f, 160, 180, 240, 220);
        assertEquals("class_1", r.get(0).label());
        assertBox(r.get(1), 0, 0.4f, 580, 420, 620, 460);

        for (float[] row : rows) {
            for (int c = 4; c < 7; c++) {
                row[c] = logit(Math.min(Math.max(row[c], 1e-6f), 1 - 1e-6f));
            }
        }
        var logits = DetectionDecoders.forSpec(new DetectionDecoderSpec(DetectionFormat.YOLOV5, null, 7, true, false));
        List<Detection> r2 = logits.decode(List.of(rowMajor("output0", rows)), 640, 640, LETTERBOX, null, OPTS);
        assertEquals(2, r2.size(), r2.toString());
        assertEquals(0.9f, r2.get(0).score(), 1e-4f);
        assertEquals(0.4f, r2.get(1).score(), 1e-4f);

        var bad = new OutputTensor("o", new long[] {10, 5}, new float[50]);
        var ex = assertThrows(IllegalArgumentException.class,
                () -> dec.decode(List.of(bad), 640, 640, LETTERBOX, null, OPTS));
        assertTrue(ex.getMessage().contains("[N, 5+C]") && ex.getMessage().contains("[10, 5]"), ex.getMessage());
    }

    // ---------------------------------------------------------------- YOLOX

    /** 64x64 input, strides 8/16/32: 64 + 16 + 4 = 84 rows of {p0..p3, obj, c0, c1}. */
    private static float[][] yoloxRows(int n) {
        float[][] rows = new float[n][7];
        // stride 16 level starts at row 64; cell (gx=2, gy=1) of the 4x4 grid is row 64 + 4 + 2 = 70
        rows[70] = new float[] {0.5f, 0.5f, (float) Math.log(2), 0f, 0.8f, 0.1f, 0.9f};
        // stride 8 cell (gx=3, gy=0) is row 3
        rows[3] = new float[] {0f, 0f, 0f, 0f, 0.5f, 0.8f, 0.1f};
        return rows;
    }

    @Test
    void yoloxDecodesGridOffsetsAndLogSizes() {
        var dec = DetectionDecoders.forSpec(DetectionDecoderSpec.of(DetectionFormat.YOLOX));
        // top-left letterbox of a 128x100 source into 64x64: scale 0.5, no offset
        var g = new Geometry(128, 100, 0.5, 0.5, 0, 0);
        List<Detection> r = dec.decode(List.of(rowMajor("output", yoloxRows(84))), 64, 64, g, COCO3, OPTS);
        assertEquals(2, r.size(), r.toString());
        // cx=(0.5+2)*16=40, cy=(0.5+1)*16=24, w=2*16=32, h=16 -> [24,16,56,32] -> x2 in source
        assertBox(r.get(0), 1, 0.72f, 48, 32, 112, 64);
        // cx=24, cy=0, w=h=8 -> [20,-4,28,4] -> source, clamped at the top
        assertBox(r.get(1), 0, 0.4f, 40, 0, 56, 8);
    }

    @Test
    void yoloxRejectsRowCountsThatDoNotMatchTheGrid() {
        var dec = DetectionDecoders.forSpec(DetectionDecoderSpec.of(DetectionFormat.YOLOX));
        var g = new Geometry(64, 64, 1, 1, 0, 0);
        var ex = assertThrows(IllegalArgumentException.class,
                () -> dec.decode(List.of(rowMajor("output", yoloxRows(85))), 64, 64, g, COCO3, OPTS));
        assertTrue(ex.getMessage().contains("85 rows") && ex.getMessage().contains("84 grid cells"), ex.getMessage());
        var custom = DetectionDecoders.forSpec(new DetectionDecoderSpec(DetectionFormat.YOLOX, new int[] {8, 16}, 7, false, false));
        ex = assertThrows(IllegalArgumentException.class,
                () -> custom.decode(List.of(rowMajor("output", yoloxRows(84))), 64, 64, g, COCO3, OPTS));
        assertTrue(ex.getMessage().contains("80 grid cells"), ex.getMessage());
    }

    // ---------------------------------------------------------------- NanoDet

    /** Distribution logits for one side: mass on the given bins (equal), so the expectation is their mean. */
    private static void side(float[] row, int offset, int... bins) {
        for (int b : bins) {
            row[offset + b] = 40f;
        }
    }

    @Test
    void nanodetSixOutputsAreMatchedByShapeInAnyOrder() {
        // 64x64 input, strides 8/16/32: levels of 64, 16 and 4 cells; 2 classes; regMax 7 -> 32 reg columns
        float[][] cls8 = new float[64][2];
        float[][] reg8 = new float[64][32];
        float[][] cls16 = new float[16][2];
        float[][] reg16 = new float[16][32];
        float[][] cls32 = new float[4][2];
        float[][] reg32 = new float[4][32];
        // stride 16, cell 5 = (gx=1, gy=1): centre ((1+0.5)*16, (1+0.5)*16) = (24, 24)
        cls16[5] = new float[] {0.1f, 0.8f};
        side(reg16[5], 0, 1); // left 1 bin -> 16
        side(reg16[5], 8, 1); // top -> 16
        side(reg16[5], 16, 2); // right 2 bins -> 32
        side(reg16[5], 24, 0, 1); // bottom 0.5 bin -> 8
        List<OutputTensor> outs = List.of(rowMajor("795", reg8), rowMajor("836", cls32), rowMajor("792", cls8),
                rowMajor("817", reg16), rowMajor("814", cls16), rowMajor("839", reg32));
        var dec = DetectionDecoders.forSpec(DetectionDecoderSpec.of(DetectionFormat.NANODET));
        var g = new Geometry(64, 64, 1, 1, 0, 0);
        List<Detection> r = dec.decode(outs, 64, 64, g, COCO3, OPTS);
        assertEquals(1, r.size(), r.toString());
        assertBox(r.get(0), 1, 0.8f, 8, 8, 56, 32);

        // The same as two whole-image outputs [84, 2] and [84, 32].
        float[][] clsAll = new float[84][];
        float[][] regAll = new float[84][];
        for (int i = 0; i < 84; i++) {
            clsAll[i] = i < 64 ? cls8[i] : i < 80 ? cls16[i - 64] : cls32[i - 80];
            regAll[i] = i < 64 ? reg8[i] : i < 80 ? reg16[i - 64] : reg32[i - 80];
        }
        List<Detection> r2 = dec.decode(List.of(rowMajor("reg", regAll), rowMajor("cls", clsAll)), 64, 64, g,
                COCO3, OPTS);
        assertEquals(r, r2);

        var missing = new ArrayList<>(outs);
        missing.set(3, rowMajor("817", new float[15][32]));
        var ex = assertThrows(IllegalArgumentException.class, () -> dec.decode(missing, 64, 64, g, COCO3, OPTS));
        assertTrue(ex.getMessage().contains("16 rows for stride 16"), ex.getMessage());
        var noReg = new ArrayList<>(outs);
        noReg.set(3, rowMajor("817", new float[16][30]));
        ex = assertThrows(IllegalArgumentException.class, () -> dec.decode(noReg, 64, 64, g, COCO3, OPTS));
        assertTrue(ex.getMessage().contains("[16, 32]"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class,
                () -> dec.decode(outs.subList(0, 3), 64, 64, g, COCO3, OPTS));
        assertTrue(ex.getMessage().contains("got 3"), ex.getMessage());
    }

    @Test
    void nanodetPlusConcatenatedOutputUsesCornerPriors() {
        // NanoDet-Plus: strides 8/16/32/64 on 64x64 -> 64 + 16 + 4 + 1 = 85 points, [85, C+32] with C=2
        float[][] rows = new float[85][34];
        // stride 32 level starts at row 80; cell 3 = (gx=1, gy=1): point (32, 32) (no 0.5 offset)
        float[] row = rows[83];
        row[0] = 0.6f;
        side(row, 2, 0, 1); // left 0.5 bin -> 16
        side(row, 10, 0, 1); // top -> 16
        side(row, 18, 0, 1); // right -> 16
        side(row, 26, 1); // bottom 1 bin -> 32
        var spec = new DetectionDecoderSpec(DetectionFormat.NANODET, new int[] {8, 16, 32, 64}, 7, false, false);
        var g = new Geometry(64, 64, 1, 1, 0, 0);
        List<Detection> r = DetectionDecoders.forSpec(spec)
                .decode(List.of(rowMajor("output", rows)), 64, 64, g, COCO3, OPTS);
        assertEquals(1, r.size(), r.toString());
        assertBox(r.get(0), 0, 0.6f, 16, 16, 48, 64);

        var wrong = rowMajor("output", new float[84][34]);
        var ex = assertThrows(IllegalArgumentException.class,
                () -> DetectionDecoders.forSpec(spec).decode(List.of(wrong), 64, 64, g, COCO3, OPTS));
        assertTrue(ex.getMessage().contains("[84, 34]") && ex.getMessage().contains("[85, C+32]"), ex.getMessage());
    }

    // ---------------------------------------------------------------- end-to-end

    @Test
    void end2endSixColumnsThresholdsSortsAndCapsWithoutNms() {
        float[][] rows = {
            {50, 100, 60, 110, 0.5f, 1},
            {10, 100, 110, 220, 0.9f, 3},
            {0, 0, 0, 0, 0, 0}, // padding
            {12, 102, 112, 222, 0.8f, 3}, // overlaps, but the graph already ran NMS: kept
            {5, 85, 50, 90, 0.2f, 0}, // below threshold
            {1, 81, 2, 82, 0.95f, -1}, // invalid class
        };
        var dec = DetectionDecoders.forSpec(DetectionDecoderSpec.of(DetectionFormat.END2END));
        List<Detection> r = dec.decode(List.of(rowMajor("output0", rows)), 640, 640, LETTERBOX, COCO3, OPTS);
        assertEnd2End(r);
        List<Detection> capped = dec.decode(List.of(rowMajor("output0", rows)), 640, 640, LETTERBOX, COCO3,
                new DetectionOptions(0.35f, 0.45f, 2, false));
        assertEquals(List.of(0.9f, 0.8f), capped.stream().map(Detection::score).toList());
    }

    private static void assertEnd2End(List<Detection> r) {
        assertEquals(3, r.size(), r.toString());
        assertBox(r.get(0), 3, 0.9f, 20, 40, 220, 280);
        assertEquals("class_3", r.get(0).label());
        assertBox(r.get(1), 3, 0.8f, 24, 44, 224, 284);
        assertBox(r.get(2), 1, 0.5f, 100, 40, 120, 60);
    }

    @Test
    void end2endSevenColumnsHaveBatchFirstAndClassBeforeScore() {
        float[][] rows = {
            {0, 50, 100, 60, 110, 1, 0.5f},
            {0, 10, 100, 110, 220, 3, 0.9f},
            {0, 12, 102, 112, 222, 3, 0.8f},
            {0, 5, 85, 50, 90, 0, 0.2f},
        };
        var dec = DetectionDecoders.forSpec(DetectionDecoderSpec.of(DetectionFormat.END2END));
        assertEnd2End(dec.decode(List.of(rowMajor("output", rows)), 640, 640, LETTERBOX, COCO3, OPTS));
        var bad = new OutputTensor("o", new long[] {3, 5}, new float[15]);
        var ex = assertThrows(IllegalArgumentException.class,
                () -> dec.decode(List.of(bad), 640, 640, LETTERBOX, COCO3, OPTS));
        assertTrue(ex.getMessage().contains("[K, 6]") && ex.getMessage().contains("[3, 5]"), ex.getMessage());
        var empty = new OutputTensor("o", new long[] {0, 6}, new float[0]);
        assertTrue(dec.decode(List.of(empty), 640, 640, LETTERBOX, COCO3, OPTS).isEmpty());
    }

    // ---------------------------------------------------------------- factory

    @Test
    void factoryRejectsInconsistentSpecsAndDecodeRejectsBadInputSize() {
        assertThrows(IllegalArgumentException.class, () -> DetectionDecoders.forSpec(
                new DetectionDecoderSpec(DetectionFormat.YOLOX, null, 7, false, true)));
        assertThrows(IllegalArgumentException.class, () -> DetectionDecoders.forSpec(
                new DetectionDecoderSpec(DetectionFormat.NANODET, new int[] {8, 0}, 7, false, false)));
        var dec = DetectionDecoders.forSpec(DetectionDecoderSpec.of(DetectionFormat.YOLOV8));
        assertThrows(IllegalArgumentException.class, () -> dec.decode(List.of(channelMajor(yolov8Anchors())), 0, 640,
                LETTERBOX, COCO3, OPTS));
        for (DetectionFormat f : DetectionFormat.values()) {
            assertTrue(DetectionDecoders.forSpec(DetectionDecoderSpec.of(f)) != null, f.name());
        }
    }
}
