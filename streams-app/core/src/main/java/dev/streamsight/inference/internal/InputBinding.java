package dev.streamsight.inference.internal;

import dev.streamsight.image.PreprocessSpec;
import dev.streamsight.image.TensorLayout;
import dev.streamsight.inference.ModelLoadException;
import dev.streamsight.inference.ModelSignature;
import dev.streamsight.inference.TensorDescription;
import java.util.List;

/**
 * The image input of a graph, checked against the descriptor's preprocessing.
 *
 * @param name input name
 * @param half true for a float16 input, false for float32
 * @param layout NCHW or NHWC, as the graph's channel dimension confirms
 * @param fixedBatch the graph's fixed batch size, or 0 when the batch dimension is dynamic
 * @param width input width
 * @param height input height
 */
public record InputBinding(String name, boolean half, TensorLayout layout, int fixedBatch,
        int width, int height) {

    /** Elements of one image in the input tensor. */
    public int imageElements() {
        return 3 * width * height;
    }

    public int bytesPerElement() {
        return half ? 2 : 4;
    }

    public long[] shape(int batch) {
        return layout == TensorLayout.NCHW
                ? new long[] {batch, 3, height, width}
                : new long[] {batch, height, width, 3};
    }

    /**
     * Finds and checks the image input.
     *
     * @param model name used in messages
     * @param inputName the descriptor's input name, or null to take the only image-shaped input
     * @throws ModelLoadException naming exactly what does not match
     */
    public static InputBinding resolve(String model, ModelSignature signature, String inputName,
            PreprocessSpec spec) {
        TensorDescription input = choose(model, signature.inputs(), inputName);
        String type = input.type();
        boolean half;
        if (type.equals("FLOAT")) {
            half = false;
        } else if (type.equals("FLOAT16")) {
            half = true;
        } else {
            throw new ModelLoadException(model + ": input '" + input.name() + "' has element type "
                    + type + "; Streamsight feeds image tensors as FLOAT or FLOAT16");
        }
        if (input.rank() != 4) {
            throw new ModelLoadException(model + ": input '" + input.name() + "' has shape "
                    + shapeText(input) + "; an image input needs 4 dimensions ([N,3,H,W] or [N,H,W,3])");
        }
        int channelDim = spec.layout() == TensorLayout.NCHW ? 1 : 3;
        int otherChannelDim = spec.layout() == TensorLayout.NCHW ? 3 : 1;
        long channels = input.dim(channelDim);
        if (channels != 3 && channels >= 0) {
            String hint = input.dim(otherChannelDim) == 3
                    ? "; set the descriptor's layout to " + (channelDim == 1 ? "nhwc" : "nchw") : "";
            throw new ModelLoadException(model + ": the descriptor's layout is " + spec.layout()
                    + " but input '" + input.name() + "' is " + shapeText(input) + " (dimension "
                    + channelDim + " is " + channels + ", not 3)" + hint);
        }
        int hDim = spec.layout() == TensorLayout.NCHW ? 2 : 1;
        int wDim = hDim + 1;
        check(model, input, hDim, spec.height(), "height");
        check(model, input, wDim, spec.width(), "width");
        long batch = input.dim(0);
        int fixedBatch = batch > 0 ? (int) batch : 0;
        return new InputBinding(input.name(), half, spec.layout(), fixedBatch, spec.width(), spec.height());
    }

    private static void check(String model, TensorDescription input, int dim, int expected, String what) {
        long actual = input.dim(dim);
        if (actual > 0 && actual != expected) {
            throw new ModelLoadException(model + ": the descriptor's input " + what + " is " + expected
                    + " but input '" + input.name() + "' is " + shapeText(input) + " (" + what + " "
                    + actual + ")");
        }
    }

    private static TensorDescription choose(String model, List<TensorDescription> inputs, String name) {
        if (name != null) {
            return inputs.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(
                    () -> new ModelLoadException(model + ": the descriptor names input '" + name
                            + "' but the graph's inputs are " + inputs));
        }
        List<TensorDescription> images = inputs.stream().filter(t -> t.rank() == 4).toList();
        if (images.size() == 1) {
            return images.get(0);
        }
        throw new ModelLoadException(model + ": cannot tell which input takes the image among "
                + inputs + "; name it in the descriptor (input.name)");
    }

    static String shapeText(TensorDescription t) {
        StringBuilder sb = new StringBuilder("[");
        long[] shape = t.shape();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ",").append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
        }
        return sb.append("] ").append(t.type()).toString();
    }
}
