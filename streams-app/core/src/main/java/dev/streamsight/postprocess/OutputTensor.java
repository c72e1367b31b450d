package dev.streamsight.postprocess;

import java.util.Arrays;

/**
 * One model output for one image of a batch, copied out of ONNX Runtime as float32 (float16
 * outputs are widened). {@code shape} is the output's shape without the batch dimension, e.g.
 * {@code [84, 8400]} for YOLOv8 or {@code [1000]} for a classifier.
 */
public record OutputTensor(String name, long[] shape, float[] data) {
    public OutputTensor {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("output " + name + " has shape "
                    + Arrays.toString(shape) + " but " + data.length + " values");
        }
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Size of dimension {@code i}. */
    public int dim(int i) {
        return (int) shape[i];
    }

    public int rank() {
        return shape.length;
    }
}
