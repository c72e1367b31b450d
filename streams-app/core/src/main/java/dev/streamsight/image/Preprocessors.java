package dev.streamsight.image;

import dev.streamsight.image.internal.TensorPreprocessor;

/**
 * Creates {@link Preprocessor}s.
 *
 * <p>A preprocessor is immutable, cheap to keep and safe to share between threads: create one per
 * model at start-up and reuse it for every image. Each call uses per-thread scratch memory that is
 * reused by later calls on the same thread (arrays above a few MiB are not retained).
 *
 * <p>Resampling reproduces Pillow's {@code Image.resize} (antialiased when downscaling) byte for
 * byte, so a {@link ResizeMode#CENTER_CROP} spec gives torchvision's {@code Resize} + {@code
 * CenterCrop} on PIL images; letterbox geometry follows Ultralytics {@code LetterBox} (CENTER) and
 * YOLOX {@code preproc} (TOP_LEFT).
 */
public final class Preprocessors {
    private Preprocessors() {
    }

    /** A preprocessor for {@code spec}; its normalisation tables are built here, once. */
    public static Preprocessor create(PreprocessSpec spec) {
        return new TensorPreprocessor(spec);
    }
}
