package dev.streamsight.image;

/** Memory layout of one image in the input tensor. */
public enum TensorLayout {
    /** Channels first: [N, C, H, W]. */
    NCHW,
    /** Channels last: [N, H, W, C]. */
    NHWC
}
