package dev.streamsight.image;

/**
 * Resampling filter. Downscaling is antialiased (the filter support widens with the scale factor),
 * matching Pillow's {@code resize} and so torchvision's {@code Resize(antialias=True)}.
 */
public enum Interpolation {
    NEAREST,
    BILINEAR,
    BICUBIC
}
