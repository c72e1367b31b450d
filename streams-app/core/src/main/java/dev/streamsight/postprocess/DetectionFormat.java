package dev.streamsight.postprocess;

/** The output layouts of the detector families Streamsight decodes. */
public enum DetectionFormat {
    /** Ultralytics YOLOv8/YOLO11/YOLOv9 {@code [4+C, N]}: cx, cy, w, h then C sigmoid class scores. */
    YOLOV8,
    /** YOLOv5/YOLOv7 {@code [N, 5+C]}: cx, cy, w, h, objectness, C class scores (decoded boxes). */
    YOLOV5,
    /** YOLOX raw head {@code [N, 5+C]} on a stride 8/16/32 grid: offsets, log sizes, obj, classes. */
    YOLOX,
    /** NanoDet GFL head: per level cls {@code [n, C]} and reg {@code [n, 4*(regMax+1)]}, or one concatenated {@code [N, C+4*(regMax+1)]}. */
    NANODET,
    /** NMS-free end-to-end export {@code [K, 6]}: x1, y1, x2, y2, score, class (YOLOv10, YOLO26, end2end). */
    END2END
}
