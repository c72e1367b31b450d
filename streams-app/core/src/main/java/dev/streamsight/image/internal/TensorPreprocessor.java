package dev.streamsight.image.internal;

import dev.streamsight.image.Geometry;
import dev.streamsight.image.PreprocessSpec;
import dev.streamsight.image.Preprocessor;
import dev.streamsight.image.RgbImage;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Objects;

/**
 * The {@link Preprocessor} for every {@link PreprocessSpec}: plans the placement from the source
 * size ({@link Placement}), resamples only the tensor-visible window of the resized image ({@link
 * Resampler}) and writes it with padding, reordering and normalisation ({@link TensorWriter}).
 *
 * <p>Immutable after construction (lookup tables are built once) and safe for concurrent use; the
 * working memory of a call is per thread ({@link Scratch}). Obtain instances through {@code
 * dev.streamsight.image.Preprocessors}; this class is not API.
 */
public final class TensorPreprocessor implements Preprocessor {
    private final PreprocessSpec spec;
    private final TensorWriter writer;

    public TensorPreprocessor(PreprocessSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.writer = new TensorWriter(spec);
    }

    @Override
    public PreprocessSpec spec() {
        return spec;
    }

    @Override
    public Geometry write(RgbImage image, FloatBuffer tensor, int offset) {
        Objects.requireNonNull(tensor, "tensor");
        checkSlot(tensor, offset);
        Scratch scratch = Scratch.get();
        Window w = resample(image, scratch);
        writer.writeFloat(w.pixels, w.width, w.height, w.tensorX, w.tensorY, tensor, offset, scratch);
        return w.geometry;
    }

    @Override
    public Geometry writeHalf(RgbImage image, ShortBuffer tensor, int offset) {
        Objects.requireNonNull(tensor, "tensor");
        checkSlot(tensor, offset);
        Scratch scratch = Scratch.get();
        Window w = resample(image, scratch);
        writer.writeHalf(w.pixels, w.width, w.height, w.tensorX, w.tensorY, tensor, offset, scratch);
        return w.geometry;
    }

    /** The resampled part of the image that is visible in the tensor, and where it goes. */
    private record Window(byte[] pixels, int width, int height, int tensorX, int tensorY, Geometry geometry) {
    }

    private Window resample(RgbImage image, Scratch scratch) {
        Objects.requireNonNull(image, "image");
        Placement p = Placement.of(spec, image.sourceWidth(), image.sourceHeight());
        // Visible tensor columns/rows of the resized image, and the matching resized coordinates.
        int tx0 = Math.max(0, p.offsetX());
        int tx1 = Math.min(spec.width(), p.offsetX() + p.resizedWidth());
        int ty0 = Math.max(0, p.offsetY());
        int ty1 = Math.min(spec.height(), p.offsetY() + p.resizedHeight());
        int ww = Math.max(0, tx1 - tx0);
        int wh = Math.max(0, ty1 - ty0);
        byte[] pixels = scratch.window(ww * wh * 3);
        if (ww > 0 && wh > 0) {
            // A reduced-scale decode maps straight from its smaller grid to the same target size.
            ResampleKernel kx = scratch.kernel(spec.interpolation(), image.width(), p.resizedWidth());
            ResampleKernel ky = scratch.kernel(spec.interpolation(), image.height(), p.resizedHeight());
            Resampler.resizeWindow(image.pixels(), image.width(), kx, ky, tx0 - p.offsetX(),
                    ty0 - p.offsetY(), ww, wh, pixels, scratch);
        }
        return new Window(pixels, ww, wh, tx0, ty0, p.geometry());
    }

    private void checkSlot(Buffer tensor, int offset) {
        long end = (long) offset + writer.elements();
        if (offset < 0 || end > tensor.limit()) {
            throw new IndexOutOfBoundsException("tensor slot [" + offset + ", " + end
                    + ") outside buffer limit " + tensor.limit());
        }
    }

    @Override
    public String toString() {
        return "TensorPreprocessor[" + spec + "]";
    }
}
