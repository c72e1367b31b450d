package dev.streamsight.postprocess;

/**
 * One detected object: class index and label, confidence, and the box corners in source-image
 * pixels ({@code x1 <= x2}, {@code y1 <= y2}).
 */
public record Detection(int index, String label, float score, float x1, float y1, float x2, float y2) {

    public float area() {
        return Math.max(0f, x2 - x1) * Math.max(0f, y2 - y1);
    }

    /** Intersection over union with another box. */
    public float iou(Detection o) {
        float ix = Math.min(x2, o.x2) - Math.max(x1, o.x1);
        float iy = Math.min(y2, o.y2) - Math.max(y1, o.y1);
        if (ix <= 0f || iy <= 0f) {
            return 0f;
        }
        float inter = ix * iy;
        return inter / (area() + o.area() - inter);
    }
}
