package dev.streamsight.image.internal;

import dev.streamsight.image.Geometry;
import dev.streamsight.image.LetterboxAlign;
import dev.streamsight.image.PreprocessSpec;
import dev.streamsight.image.ResizeMode;

/**
 * Where the resized image lands in the W x H tensor: the whole source is resized to {@code
 * resizedWidth x resizedHeight} and its top-left corner is placed at tensor pixel {@code (offsetX,
 * offsetY)}; negative offsets crop, positive ones pad. Tensor pixels not covered get {@link
 * #padSample(PreprocessSpec)}.
 *
 * <p>Everything is computed from the SOURCE size (full resolution), so a reduced-scale decode gets
 * the same crop, ratio and geometry as the full image; only the resampler's input grid differs.
 */
public record Placement(int resizedWidth, int resizedHeight, int offsetX, int offsetY,
        int sourceWidth, int sourceHeight) {

    /**
     * Raw sample (before normalisation) of tensor pixels the image does not cover: the spec's
     * {@code padValue} for a letterbox; 0 for a centre crop smaller than the crop, as torchvision's
     * {@code F.center_crop} pads with {@code fill=0}; a stretch covers everything.
     */
    public static float padSample(PreprocessSpec spec) {
        return spec.resize() == ResizeMode.CENTER_CROP ? 0f : spec.padValue();
    }

    /** Plans the placement for a source image of {@code srcW x srcH}. */
    public static Placement of(PreprocessSpec spec, int srcW, int srcH) {
        return switch (spec.resize()) {
            case STRETCH -> new Placement(spec.width(), spec.height(), 0, 0, srcW, srcH);
            case CENTER_CROP -> centerCrop(spec, srcW, srcH);
            case LETTERBOX -> letterbox(spec, srcW, srcH);
        };
    }

    /**
     * torchvision {@code Resize(s)} then {@code CenterCrop((H, W))}.
     *
     * <p>{@code _compute_resized_output_size}: the short side becomes s and the long side {@code
     * int(s * long / short)} (Python true division, then truncation). {@code F.center_crop}: if
     * the crop is larger than the image it first pads by {@code (crop - size) // 2} on the
     * left/top (and the rest right/bottom) with fill 0; otherwise the origin is {@code
     * int(round((size - crop) / 2.0))}, Python's round half to even ({@link Math#rint}).
     */
    private static Placement centerCrop(PreprocessSpec spec, int srcW, int srcH) {
        int s = spec.resizeShortSide() > 0 ? spec.resizeShortSide() : Math.max(spec.width(), spec.height());
        int rw;
        int rh;
        if (srcW <= srcH) {
            rw = s;
            rh = (int) ((double) ((long) s * srcH) / srcW);
        } else {
            rh = s;
            rw = (int) ((double) ((long) s * srcW) / srcH);
        }
        return new Placement(rw, rh, cropOffset(rw, spec.width()), cropOffset(rh, spec.height()),
                srcW, srcH);
    }

    /** Tensor position of the resized image's origin along one axis (negative: cropped). */
    static int cropOffset(int size, int crop) {
        if (crop > size) {
            return (crop - size) / 2;
        }
        return -(int) Math.rint((size - crop) / 2.0);
    }

    /**
     * Ultralytics {@code LetterBox.__call__} (CENTER) or YOLOX {@code preproc} (TOP_LEFT).
     *
     * <p>{@code r = min(W / w, H / h)}; the resized size is {@code round(w * r)}, {@code round(h *
     * r)} with Python's round half to even (Ultralytics; YOLOX truncates with {@code int()}, which
     * differs by at most one pixel at the far edge: we use one rule, round, and the geometry
     * reports exactly what was produced). CENTER pads {@code left = round(dw / 2 - 0.1)}, {@code
     * top = round(dh / 2 - 0.1)} (Ultralytics), so an odd remainder puts the extra pixel right and
     * bottom; TOP_LEFT pads only right and bottom.
     */
    private static Placement letterbox(PreprocessSpec spec, int srcW, int srcH) {
        int tw = spec.width();
        int th = spec.height();
        double r = Math.min((double) tw / srcW, (double) th / srcH);
        int rw = clamp((int) Math.rint(srcW * r), tw);
        int rh = clamp((int) Math.rint(srcH * r), th);
        int left = 0;
        int top = 0;
        if (spec.align() == LetterboxAlign.CENTER) {
            left = (int) Math.rint((tw - rw) / 2.0 - 0.1);
            top = (int) Math.rint((th - rh) / 2.0 - 0.1);
        }
        return new Placement(rw, rh, left, top, srcW, srcH);
    }

    private static int clamp(int v, int max) {
        return Math.max(1, Math.min(max, v));
    }

    /** Source pixel to tensor pixel mapping for exactly this placement. */
    public Geometry geometry() {
        return new Geometry(sourceWidth, sourceHeight, (double) resizedWidth / sourceWidth,
                (double) resizedHeight / sourceHeight, offsetX, offsetY);
    }
}
