package dev.streamsight.image.internal;

import dev.streamsight.image.Geometry;
import dev.streamsight.image.PixelRegion;
import dev.streamsight.image.PreprocessSpec;
import dev.streamsight.image.Preprocessor;
import dev.streamsight.image.RegionOfInterest;
import dev.streamsight.image.RgbImage;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Objects;

/**
 * The {@link Preprocessor} for every {@link PreprocessSpec}: plans the placement from the source
 * size ({@link Placement}), writes the padding, then resamples only the tensor-visible window of
 * the resized image ({@link Resampler}) and streams its rows, reordered and normalised, straight
 * into the tensor ({@link TensorWriter}); no intermediate image is built. Its {@link
 * #regionOfInterest()} is the source rectangle under that window's filter taps, so a decoder can
 * skip what a centre crop cuts off.
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
        Window w = window(image);
        writer.padFloat(tensor, offset, w.tensorX, w.tensorY, w.width, w.height);
        float[] staging = scratch.floats(3 * w.width);
        resample(image, w, scratch, (y, r, g, b, ww) ->
                writer.rowFloat(r, g, b, ww, w.tensorX, w.tensorY + y, tensor, offset, staging));
        return w.geometry;
    }

    @Override
    public Geometry writeHalf(RgbImage image, ShortBuffer tensor, int offset) {
        Objects.requireNonNull(tensor, "tensor");
        checkSlot(tensor, offset);
        Scratch scratch = Scratch.get();
        Window w = window(image);
        writer.padHalf(tensor, offset, w.tensorX, w.tensorY, w.width, w.height);
        float[] staging = scratch.floats(3 * w.width);
        short[] halves = scratch.halves(3 * w.width);
        resample(image, w, scratch, (y, r, g, b, ww) ->
                writer.rowHalf(r, g, b, ww, w.tensorX, w.tensorY + y, tensor, offset, staging, halves));
        return w.geometry;
    }

    /**
     * The part of the resized image that is visible in the tensor: {@code width x height} pixels
     * from resized pixel {@code (resizedX, resizedY)}, placed at tensor pixel {@code (tensorX,
     * tensorY)}; empty (width or height 0) when nothing is visible.
     */
    private record Window(Placement placement, int resizedX, int resizedY, int width, int height, int tensorX,
            int tensorY, Geometry geometry) {
    }

    @Override
    public RegionOfInterest regionOfInterest() {
        return this::sourceRegion;
    }

    /**
     * The pixels of a {@code width x height} decoding of a {@code sourceWidth x sourceHeight} image
     * that {@link #write} reads: the taps of the visible window's first and last columns and rows.
     */
    private PixelRegion sourceRegion(int width, int height, int sourceWidth, int sourceHeight) {
        Window w = window(sourceWidth, sourceHeight);
        if (w.width == 0 || w.height == 0) {
            return new PixelRegion(0, 0, 1, 1); // nothing visible: any pixel will do
        }
        Scratch scratch = Scratch.get();
        ResampleKernel kx = scratch.kernel(spec.interpolation(), width, w.placement.resizedWidth());
        ResampleKernel ky = scratch.kernel(spec.interpolation(), height, w.placement.resizedHeight());
        int x0 = kx.first[w.resizedX];
        int x1 = kx.first[w.resizedX + w.width - 1] + kx.span;
        int y0 = ky.first[w.resizedY];
        int y1 = ky.first[w.resizedY + w.height - 1] + ky.span;
        return new PixelRegion(x0, y0, x1 - x0, y1 - y0);
    }

    private Window window(RgbImage image) {
        Objects.requireNonNull(image, "image");
        return window(image.sourceWidth(), image.sourceHeight());
    }

    private Window window(int sourceWidth, int sourceHeight) {
        Placement p = Placement.of(spec, sourceWidth, sourceHeight);
        // Visible tensor columns/rows of the resized image, and the matching resized coordinates.
        int tx0 = Math.max(0, p.offsetX());
        int tx1 = Math.min(spec.width(), p.offsetX() + p.resizedWidth());
        int ty0 = Math.max(0, p.offsetY());
        int ty1 = Math.min(spec.height(), p.offsetY() + p.resizedHeight());
        int ww = Math.max(0, tx1 - tx0);
        int wh = Math.max(0, ty1 - ty0);
        return new Window(p, tx0 - p.offsetX(), ty0 - p.offsetY(), ww, wh, tx0, ty0, p.geometry());
    }

    private void resample(RgbImage image, Window w, Scratch scratch, Resampler.RowSink sink) {
        if (w.width > 0 && w.height > 0) {
            // A reduced-scale decode maps straight from its smaller grid to the same target size.
            Placement p = w.placement;
            ResampleKernel kx = scratch.kernel(spec.interpolation(), image.width(), p.resizedWidth());
            ResampleKernel ky = scratch.kernel(spec.interpolation(), image.height(), p.resizedHeight());
            PixelRegion held = image.region();
            if (!held.isWhole(image.width(), image.height())) {
                PixelRegion needed = sourceRegion(image.width(), image.height(), image.sourceWidth(),
                        image.sourceHeight());
                if (!held.union(needed).equals(held)) {
                    throw new IllegalArgumentException("the image holds " + held + " but " + needed
                            + " is needed: decode it with this preprocessor's regionOfInterest()");
                }
            }
            Resampler.resample(image.pixels(), held.x(), held.y(), held.width(), kx, ky, w.resizedX, w.resizedY,
                    w.width, w.height, scratch, sink);
        }
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
