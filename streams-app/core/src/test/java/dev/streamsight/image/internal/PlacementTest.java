package dev.streamsight.image.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamsight.image.ChannelOrder;
import dev.streamsight.image.Interpolation;
import dev.streamsight.image.LetterboxAlign;
import dev.streamsight.image.PreprocessSpec;
import dev.streamsight.image.ResizeMode;
import dev.streamsight.image.TensorLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Geometry rules of torchvision Resize + CenterCrop, Ultralytics LetterBox and YOLOX preproc. */
class PlacementTest {

    @ParameterizedTest(name = "{0}x{1} short {2} crop {3}")
    @CsvSource({
        // srcW, srcH, short, crop, resizedW, resizedH, offX, offY
        // int(256 * 500 / 375) = int(341.33) = 341; round(117 / 2.0) = round(58.5) = 58 (half to even)
        "500, 375, 256, 224, 341, 256, -58, -16",
        "375, 500, 256, 224, 256, 341, -16, -58",
        // int(256 * 640 / 427) = int(383.70) = 383 (truncation, not rounding); round(79.5) = 80
        "640, 427, 256, 224, 383, 256, -80, -16",
        // round(0.5) = 0 and round(1.5) = 2: half to even both ways
        "225, 225, 225, 224, 225, 225, 0, 0",
        "227, 227, 227, 224, 227, 227, -2, -2",
        // short side 0: resize the short side to max(W, H) = 224
        "500, 375, 0, 224, 298, 224, -37, 0",
        // crop larger than the resized image: torchvision pads (crop - size) // 2 on the left/top
        "500, 375, 200, 224, 266, 200, -21, 12",
        "201, 400, 201, 224, 201, 400, 11, -88",
    })
    void centerCropFollowsTorchvision(int sw, int sh, int shortSide, int crop, int rw, int rh, int ox, int oy) {
        PreprocessSpec spec = new PreprocessSpec(crop, crop, ResizeMode.CENTER_CROP, shortSide,
                LetterboxAlign.CENTER, 0f, Interpolation.BILINEAR, ChannelOrder.RGB, 1f, null, null,
                TensorLayout.NCHW);
        Placement p = Placement.of(spec, sw, sh);
        assertEquals(new Placement(rw, rh, ox, oy, sw, sh), p);
        assertEquals(0f, Placement.padSample(spec));
    }

    @ParameterizedTest(name = "{0}x{1} in {2}x{3} {4}")
    @CsvSource({
        // srcW, srcH, W, H, align, resizedW, resizedH, offX, offY
        "500, 375, 640, 640, CENTER, 640, 480, 0, 80",
        // dh = 213: top = round(106.5 - 0.1) = 106, bottom = 107 (Ultralytics)
        "640, 427, 640, 640, CENTER, 640, 427, 0, 106",
        "427, 640, 640, 640, CENTER, 427, 640, 106, 0",
        "500, 375, 416, 416, TOP_LEFT, 416, 312, 0, 0",
        // h * r = 333 * 416 / 1000 = 138.53 -> 139 (round; YOLOX int() would give 138)
        "1000, 333, 416, 416, TOP_LEFT, 416, 139, 0, 0",
        // non-square target: r = min(320 / 1000, 192 / 500) = 0.32
        "1000, 500, 320, 192, CENTER, 320, 160, 0, 16",
        // upscale: r = 640 / 100
        "100, 50, 640, 640, CENTER, 640, 320, 0, 160",
        // extreme aspect ratio never collapses to zero rows
        "10000, 1, 64, 64, CENTER, 64, 1, 0, 31",
    })
    void letterboxFollowsUltralyticsAndYolox(int sw, int sh, int w, int h, LetterboxAlign align,
            int rw, int rh, int ox, int oy) {
        PreprocessSpec spec = new PreprocessSpec(w, h, ResizeMode.LETTERBOX, 0, align, 114f,
                Interpolation.BILINEAR, ChannelOrder.BGR, 1f, null, null, TensorLayout.NCHW);
        assertEquals(new Placement(rw, rh, ox, oy, sw, sh), Placement.of(spec, sw, sh));
        assertEquals(114f, Placement.padSample(spec));
    }

    @Test
    void stretchCoversTheTensor() {
        PreprocessSpec spec = new PreprocessSpec(352, 352, ResizeMode.STRETCH, 0, LetterboxAlign.CENTER,
                0f, Interpolation.BILINEAR, ChannelOrder.BGR, 1f / 255f, null, null, TensorLayout.NCHW);
        Placement p = Placement.of(spec, 768, 576);
        assertEquals(new Placement(352, 352, 0, 0, 768, 576), p);
        assertEquals(352.0 / 768, p.geometry().scaleX());
        assertEquals(352.0 / 576, p.geometry().scaleY());
    }
}
