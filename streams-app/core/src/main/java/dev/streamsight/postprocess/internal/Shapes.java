package dev.streamsight.postprocess.internal;

import dev.streamsight.postprocess.DetectionFormat;
import dev.streamsight.postprocess.OutputTensor;
import java.util.Arrays;
import java.util.List;

/** Output-shape checks with precise messages. Stateless. */
public final class Shapes {
    private Shapes() {
    }

    /**
     * The output viewed as a matrix {@code {rows, cols}}: leading unit dimensions are dropped (an
     * extra {@code 1} left by some exports), then exactly two dimensions must remain.
     *
     * @param expected the layout the format expects, for the message, e.g. {@code "[4+C, N]"}
     */
    public static int[] matrix(OutputTensor t, DetectionFormat format, String expected) {
        long[] s = t.shape();
        int start = 0;
        while (s.length - start > 2 && s[start] == 1) {
            start++;
        }
        if (s.length - start != 2) {
            throw new IllegalArgumentException(format + " expects output " + t.name() + " of shape "
                    + expected + " (batch removed) but it has shape " + Arrays.toString(s));
        }
        return new int[] {(int) s[start], (int) s[start + 1]};
    }

    /** The first output; further outputs (e.g. segmentation prototypes) are ignored. */
    public static OutputTensor first(List<OutputTensor> outputs, DetectionFormat format) {
        if (outputs == null || outputs.isEmpty()) {
            throw new IllegalArgumentException(format + " expects at least one output but got none");
        }
        return outputs.get(0);
    }

    /** Grid cells of one level: {@code ceil(H/s) * ceil(W/s)} (a stride-2 conv rounds up). */
    public static int cells(int inputWidth, int inputHeight, int stride) {
        return gridSize(inputWidth, stride) * gridSize(inputHeight, stride);
    }

    public static int gridSize(int inputSize, int stride) {
        return (inputSize + stride - 1) / stride;
    }

    /** Total anchor points over all levels. */
    public static int totalCells(int inputWidth, int inputHeight, int[] strides) {
        int n = 0;
        for (int s : strides) {
            n += cells(inputWidth, inputHeight, s);
        }
        return n;
    }
}
