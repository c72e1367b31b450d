package dev.streamsight.inference;

import dev.streamsight.model.ModelDescriptor;
import dev.streamsight.model.ModelDescriptors;
import dev.streamsight.model.ModelException;
import dev.streamsight.model.UltralyticsMetadata;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Describes a model given by path with no descriptor, from what its ONNX file says: Ultralytics
 * exports carry their task, class names and input size in the metadata; a plain image classifier
 * (one float [N,3,H,W] input, one [N,1000] output) gets the standard ImageNet preprocessing with a
 * warning; anything else needs an explicit descriptor. Stateless.
 */
final class OnnxDescriptors {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxDescriptors.class);

    private OnnxDescriptors() {
    }

    static ModelDescriptor describe(String given, Path file, ModelSignature signature) {
        String id = idOf(file);
        Optional<UltralyticsMetadata> ultralytics = UltralyticsMetadata.from(signature.metadata());
        if (ultralytics.isPresent()) {
            LOG.info("{}: described from its Ultralytics metadata (task {})", id, ultralytics.get().task());
            return ultralytics.get().descriptor(id);
        }
        if (signature.inputs().size() == 1 && signature.outputs().size() == 1) {
            TensorDescription in = signature.inputs().get(0);
            TensorDescription out = signature.outputs().get(0);
            boolean floatImage = (in.type().equals("FLOAT") || in.type().equals("FLOAT16")) && in.rank() == 4
                    && in.dim(1) == 3 && in.dim(2) > 0 && in.dim(3) > 0;
            long classes = out.rank() >= 2 ? out.dim(1) : -1;
            boolean imagenetOutput = (out.rank() == 2 || (out.rank() == 4 && out.dim(2) == 1 && out.dim(3) == 1))
                    && (classes == 1000 || classes == 1001);
            if (floatImage && imagenetOutput) {
                int h = (int) in.dim(2);
                int w = (int) in.dim(3);
                ModelDescriptor d = ModelDescriptors.imagenetDefault(id, w, h);
                LOG.warn("{}: no descriptor; assuming a torchvision-style ImageNet classifier ({}), with"
                        + " ImageNet labels. Put {}.json beside the model (or pass --descriptor) if that is"
                        + " not how it was trained", id, d.preprocess(), id);
                return d;
            }
        }
        throw new ModelException(given + ": no descriptor found (no catalog entry, no sidecar "
                + id + ".json beside it) and its ONNX file does not describe itself: inputs "
                + signature.inputs() + ", outputs " + signature.outputs() + ", metadata keys "
                + signature.metadata().keySet() + ". Write a descriptor (see MODEL-DESCRIPTORS.md) and"
                + " put it beside the model or pass --descriptor");
    }

    private static String idOf(Path file) {
        String name = file.getFileName().toString();
        for (String ext : new String[] {".onnx.gz", ".onnx"}) {
            if (name.endsWith(ext)) {
                return name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }
}
