package dev.streamsight.inference;

import java.util.Arrays;

/**
 * One input or output of an ONNX graph as ONNX Runtime reports it.
 *
 * @param name tensor name
 * @param type element type, e.g. {@code FLOAT}, {@code FLOAT16}
 * @param shape dimensions; -1 for a dynamic dimension
 */
public record TensorDescription(String name, String type, long[] shape) {
    public TensorDescription {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorDescription t && name.equals(t.name) && type.equals(t.type)
                && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}
