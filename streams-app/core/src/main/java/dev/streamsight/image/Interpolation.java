package dev.streamsight.image;

/**
 * Resampling filter. Downscaling is antialiased (the filter support widens with the scale factor),
 * matching Pillow's {@code resize} and so torchvision's {@code Resize(antialias=True)}.
 */
public enum Interpolation {
    NEAREST,
    /**
     * Box filter: each output pixel averages the source area it covers (Pillow's {@code BOX}, the
     * same as OpenCV's {@code INTER_AREA} when downscaling, which NanoDet's reference code uses).
     */
    AREA,
    BILINEAR,
    BICUBIC
}
