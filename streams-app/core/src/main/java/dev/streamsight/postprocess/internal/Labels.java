package dev.streamsight.postprocess.internal;

import java.util.List;

/** Class-name lookup shared by the decoders. Stateless. */
public final class Labels {
    private Labels() {
    }

    /** {@code labels.get(i)}, or {@code "class_<i>"} when the list is null, too short or holds null. */
    public static String name(List<String> labels, int i) {
        if (labels != null && i >= 0 && i < labels.size()) {
            String s = labels.get(i);
            if (s != null) {
                return s;
            }
        }
        return "class_" + i;
    }
}
