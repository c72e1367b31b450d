package dev.streamsight.image;

/** How a source image is fitted into the model's input rectangle. */
public enum ResizeMode {
    /** Resize the shorter side to {@code resizeShortSide}, then crop the centre (torchvision). */
    CENTER_CROP,
    /** Scale by min(W/w, H/h) keeping the aspect ratio and pad the rest (YOLO letterbox). */
    LETTERBOX,
    /** Resize to exactly W x H, ignoring the aspect ratio. */
    STRETCH
}
