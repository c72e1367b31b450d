package dev.streamsight.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * How an {@link RgbImage} becomes one image of a model's input tensor.
 *
 * <p>For each output pixel and tensor channel c (in {@link #channels} order) the value written is
 * {@code (sample * scale - mean[c]) / std[c]}, where {@code sample} is the resampled 0..255 value.
 * Letterbox padding has the raw sample value {@link #padValue} before that formula is applied.
 *
 * @param width tensor width W
 * @param height tensor height H
 * @param resize how the image is fitted into W x H
 * @param resizeShortSide for {@link ResizeMode#CENTER_CROP}: the shorter side is resized to this
 *     before the W x H centre crop (torchvision {@code Resize(256)} + {@code CenterCrop(224)});
 *     0 means "resize the shorter side to max(W, H)" (crop only the longer side)
 * @param align letterbox placement
 * @param padValue letterbox fill as a raw sample (114 for Ultralytics/YOLOX, 0 for NanoDet)
 * @param interpolation resampling filter (antialiased when downscaling)
 * @param channels tensor channel order
 * @param scale factor applied to 0..255 samples (1/255 or 1)
 * @param mean per-channel mean in tensor channel order, after {@code scale}
 * @param std per-channel standard deviation in tensor channel order, after {@code scale}
 * @param layout NCHW or NHWC
 */
public record PreprocessSpec(
        int width,
        int height,
        ResizeMode resize,
        int resizeShortSide,
        LetterboxAlign align,
        float padValue,
        Interpolation interpolation,
        ChannelOrder channels,
        float scale,
        float[] mean,
        float[] std,
        TensorLayout layout) {

    private static final float[] ZERO = {0f, 0f, 0f};
    private static final float[] ONE = {1f, 1f, 1f};

    public PreprocessSpec {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("input size must be positive: " + width + "x" + height);
        }
        Objects.requireNonNull(resize, "resize");
        Objects.requireNonNull(align, "align");
        Objects.requireNonNull(interpolation, "interpolation");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(layout, "layout");
        mean = mean == null ? ZERO.clone() : mean.clone();
        std = std == null ? ONE.clone() : std.clone();
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values each");
        }
        for (float s : std) {
            if (!(s > 0f)) {
                throw new IllegalArgumentException("std values must be > 0: " + Arrays.toString(std));
            }
        }
        if (!(scale > 0f)) {
            throw new IllegalArgumentException("scale must be > 0: " + scale);
        }
        if (resizeShortSide < 0) {
            throw new IllegalArgumentException("resizeShortSide must be >= 0");
        }
    }

    /** torchvision ImageNet evaluation preprocessing: RGB, resize short side, centre crop, mean/std. */
    public static PreprocessSpec imagenet(int size, int resizeShortSide) {
        return new PreprocessSpec(size, size, ResizeMode.CENTER_CROP, resizeShortSide,
                LetterboxAlign.CENTER, 0f, Interpolation.BILINEAR, ChannelOrder.RGB, 1f / 255f,
                new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f},
                TensorLayout.NCHW);
    }

    /**
     * The shorter side after resizing for {@link ResizeMode#CENTER_CROP}; for other modes the
     * larger of W and H. A decoder may reduce the image while it stays about twice this size.
     */
    public int resizeTarget() {
        if (resize == ResizeMode.CENTER_CROP && resizeShortSide > 0) {
            return resizeShortSide;
        }
        return Math.max(width, height);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreprocessSpec p
                && width == p.width && height == p.height && resize == p.resize
                && resizeShortSide == p.resizeShortSide && align == p.align
                && Float.compare(padValue, p.padValue) == 0 && interpolation == p.interpolation
                && channels == p.channels && Float.compare(scale, p.scale) == 0
                && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std) && layout == p.layout;
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, resize, resizeShortSide, align, padValue, interpolation,
                channels, scale, Arrays.hashCode(mean), Arrays.hashCode(std), layout);
    }

    @Override
    public String toString() {
        return "PreprocessSpec[" + width + "x" + height + ", " + resize
                + (resize == ResizeMode.CENTER_CROP ? " short=" + resizeShortSide : "")
                + (resize == ResizeMode.LETTERBOX ? " " + align + " pad=" + padValue : "")
                + ", " + interpolation + ", " + channels + ", scale=" + scale
                + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std)
                + ", " + layout + "]";
    }
}
