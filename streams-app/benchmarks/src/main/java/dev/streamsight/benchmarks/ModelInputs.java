package dev.streamsight.benchmarks;

import dev.streamsight.image.ChannelOrder;
import dev.streamsight.image.DecodeHint;
import dev.streamsight.image.Interpolation;
import dev.streamsight.image.LetterboxAlign;
import dev.streamsight.image.PreprocessSpec;
import dev.streamsight.image.Preprocessor;
import dev.streamsight.image.ResizeMode;
import dev.streamsight.image.TensorLayout;
import dev.streamsight.inference.EngineOptions;

/** The two input kinds of the catalog's models, and the decode hint the pipeline gives with each. */
final class ModelInputs {
    /** An ImageNet classifier's: resize the short side to 256, centre crop 224, mean/std (ResNet, MobileNet). */
    static final PreprocessSpec CLASSIFY_224 = PreprocessSpec.imagenet(224, 256);
    /** A YOLOv8 detector's: letterbox into 640x640, centred, pad 114, scale 1/255. */
    static final PreprocessSpec DETECT_640 = new PreprocessSpec(640, 640, ResizeMode.LETTERBOX, 0,
            LetterboxAlign.CENTER, 114f, Interpolation.BILINEAR, ChannelOrder.RGB, 1f / 255f, null, null,
            TensorLayout.NCHW);

    private ModelInputs() {
    }

    /** {@code classify-224} or {@code detect-640}. */
    static PreprocessSpec spec(String name) {
        return switch (name) {
            case "classify-224" -> CLASSIFY_224;
            case "detect-640" -> DETECT_640;
            default -> throw new IllegalArgumentException("unknown model input " + name);
        };
    }

    /**
     * What a loaded model asks of the decoder (as {@code LoadedModel} does): a short side of at least
     * twice the resize target, and only the region the preprocessor reads.
     */
    static DecodeHint hint(Preprocessor preprocessor) {
        int minShortSide = (int) Math.ceil(EngineOptions.DEFAULT_MIN_DECODE_RATIO
                * preprocessor.spec().resizeTarget());
        return new DecodeHint(minShortSide, preprocessor.regionOfInterest());
    }
}
