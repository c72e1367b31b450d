package dev.streamsight.image;

/** Where a letterboxed image sits on its padded canvas. */
public enum LetterboxAlign {
    /** Equal padding on both sides (Ultralytics, NanoDet). */
    CENTER,
    /** Image at the top-left corner, padding right and bottom (YOLOX). */
    TOP_LEFT
}
