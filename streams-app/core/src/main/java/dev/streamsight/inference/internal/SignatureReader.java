package dev.streamsight.inference.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxModelMetadata;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.streamsight.inference.ModelLoadException;
import dev.streamsight.inference.ModelSignature;
import dev.streamsight.inference.TensorDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a session's inputs, outputs and metadata into a {@link ModelSignature}. Stateless. */
public final class SignatureReader {
    private SignatureReader() {
    }

    public static ModelSignature read(OrtSession session) {
        try {
            OnnxModelMetadata md = session.getMetadata();
            return new ModelSignature(describe(session.getInputInfo()), describe(session.getOutputInfo()),
                    md.getCustomMetadata(), nullToEmpty(md.getProducerName()),
                    nullToEmpty(md.getGraphName()), nullToEmpty(md.getDomain()),
                    nullToEmpty(md.getDescription()), md.getVersion());
        } catch (OrtException e) {
            throw new ModelLoadException("cannot read the model's inputs and outputs: " + e.getMessage(), e);
        }
    }

    private static List<TensorDescription> describe(Map<String, NodeInfo> nodes) {
        List<TensorDescription> out = new ArrayList<>();
        for (NodeInfo node : nodes.values()) {
            if (node.getInfo() instanceof TensorInfo t) {
                out.add(new TensorDescription(node.getName(), t.type.name(), t.getShape()));
            } else {
                out.add(new TensorDescription(node.getName(), node.getInfo().toString(), new long[0]));
            }
        }
        return out;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
