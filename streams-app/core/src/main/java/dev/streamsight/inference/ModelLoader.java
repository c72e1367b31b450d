package dev.streamsight.inference;

import ai.onnxruntime.OrtException;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.Preprocessors;
import dev.streamsight.image.RgbImage;
import dev.streamsight.inference.internal.InputBinding;
import dev.streamsight.inference.internal.SessionFactory;
import dev.streamsight.inference.internal.SignatureReader;
import dev.streamsight.model.ModelDescriptor;
import dev.streamsight.model.ModelException;
import dev.streamsight.model.ModelLocator;
import dev.streamsight.model.ModelSource;
import dev.streamsight.model.LabelResolver;
import dev.streamsight.model.ScoreKind;
import dev.streamsight.model.Task;
import dev.streamsight.postprocess.ClassificationDecoder;
import dev.streamsight.postprocess.DetectionDecoder;
import dev.streamsight.postprocess.DetectionDecoders;
import dev.streamsight.postprocess.DetectionOptions;
import dev.streamsight.postprocess.OutputTensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads models by catalog id or path into {@link LoadedModel}s: locates the file, opens an ONNX
 * Runtime session on the configured execution provider, reads the graph's signature, takes the
 * descriptor (catalog, sidecar, explicit file, or derived from the ONNX metadata), checks the
 * descriptor against the graph, loads the labels and runs one warm-up image through the whole
 * pipeline so that an output the decoder cannot read fails here, at start, not on the first event.
 *
 * <p>Thread-safe; holds no native resources itself. Each {@code load} returns a new model that the
 * caller owns and closes.
 */
public final class ModelLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

    private final ModelLocator locator;
    private final LabelResolver labels;
    private final ImageDecoder decoder;
    private final EngineOptions options;

    public ModelLoader(ModelLocator locator, LabelResolver labels, ImageDecoder decoder, EngineOptions options) {
        this.locator = Objects.requireNonNull(locator, "locator");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.options = Objects.requireNonNull(options, "options");
    }

    public EngineOptions options() {
        return options;
    }

    public ModelLocator locator() {
        return locator;
    }

    /** Loads a catalog id or a model path. */
    public LoadedModel load(String idOrPath) {
        return load(idOrPath, null);
    }

    /**
     * Loads a model, using {@code descriptorFile} (when not null) instead of any other descriptor.
     *
     * @throws ModelException when the model or its labels cannot be found or the descriptor is invalid
     * @throws ModelLoadException when ONNX Runtime cannot load it or it does not match the descriptor
     */
    public LoadedModel load(String idOrPath, Path descriptorFile) {
        ModelSource source = locator.locate(idOrPath, descriptorFile);
        SessionFactory.CreatedSession created;
        try {
            created = SessionFactory.create(source.file(), options);
        } catch (ModelLoadException e) {
            String id = source.descriptor() != null ? source.descriptor().id() : idOrPath;
            throw new ModelLoadException("model '" + id + "': " + e.getMessage(), e);
        }
        try {
            ModelSignature signature = SignatureReader.read(created.session());
            ModelDescriptor descriptor = source.descriptor() != null
                    ? source.descriptor()
                    : OnnxDescriptors.describe(idOrPath, source.file(), signature);
            InputBinding input = InputBinding.resolve(descriptor.id(), signature, descriptor.inputName(),
                    descriptor.preprocess());
            List<String> labelList = labels.resolve(descriptor.labels(), signature.metadata());
            LoadedModel model = assemble(descriptor, signature, created, input, labelList, source);
            if (descriptor.task() == Task.CLASSIFICATION && "default".equals(descriptor.origin())) {
                model = withDetectedScoreKind(model, created, input, labelList, source);
            }
            warmUp(model);
            model = withTunedBatch(model, created, input, labelList, source);
            LOG.info("loaded model {} ({}, {}) from {} on {} [input {} {}x{} {}, batch {}]",
                    descriptor.id(), descriptor.task().name().toLowerCase(), descriptor.origin(),
                    source.file(), model.provider().id(), input.name(), input.width(), input.height(),
                    model.inputType(), input.fixedBatch() > 0 ? "fixed " + input.fixedBatch() : "dynamic");
            return model;
        } catch (RuntimeException e) {
            closeQuietly(created);
            throw e;
        }
    }

    private LoadedModel assemble(ModelDescriptor descriptor, ModelSignature signature,
            SessionFactory.CreatedSession created, InputBinding input, List<String> labelList,
            ModelSource source) {
        return assemble(descriptor, signature, created, input, labelList, source, options);
    }

    private LoadedModel assemble(ModelDescriptor descriptor, ModelSignature signature,
            SessionFactory.CreatedSession created, InputBinding input, List<String> labelList,
            ModelSource source, EngineOptions engine) {
        ClassificationDecoder classifier = descriptor.task() == Task.CLASSIFICATION
                ? new ClassificationDecoder(descriptor.scoreKind(), labelList) : null;
        DetectionDecoder detector = descriptor.task() == Task.DETECTION
                ? DetectionDecoders.forSpec(descriptor.detection()) : null;
        return new LoadedModel(descriptor, signature, created.session(), created.provider(), input,
                labelList, decoder, Preprocessors.create(descriptor.preprocess()), classifier, detector,
                source.file(), source.sha256(), engine);
    }

    /**
     * With {@link EngineOptions#tuneBatch()}, a model with a dynamic batch dimension gets the batch
     * size that runs fastest here ({@link EngineBatchTuner}); the same session, a new holder.
     */
    private LoadedModel withTunedBatch(LoadedModel model, SessionFactory.CreatedSession created, InputBinding input,
            List<String> labelList, ModelSource source) {
        if (!options.tuneBatch() || input.fixedBatch() > 0 || options.maxBatchSize() == 1) {
            return model;
        }
        if (model.provider() == ExecutionProvider.TENSORRT) {
            LOG.info("model {}: batches of up to {} (not tuned on TensorRT, where each batch size builds an"
                    + " engine)", model.id(), options.maxBatchSize());
            return model;
        }
        EngineBatchTuner.Choice choice = EngineBatchTuner.choose(model,
                grey(input.width(), input.height()), options.maxBatchSize());
        LOG.info("model {}: batches of up to {} on {}, chosen at load ({}); batch.max.engine sets a fixed size",
                model.id(), choice.chosen(), model.provider().id(), choice.describe());
        if (choice.failure() != null) {
            LOG.warn("model {}: its batch dimension is dynamic but the session fails at a larger batch ({}); its"
                    + " batches stay at most {}", model.id(), choice.failure(), choice.imagesPerSecond().lastKey());
        }
        if (choice.chosen() == options.maxBatchSize()) {
            return model;
        }
        return assemble(model.descriptor(), model.signature(), created, input, labelList, source,
                options.withMaxBatchSize(choice.chosen()));
    }

    /**
     * A classifier described only by default rules may have its softmax inside the graph. A grey
     * image's output that is already a probability distribution says so.
     */
    private LoadedModel withDetectedScoreKind(LoadedModel model, SessionFactory.CreatedSession created,
            InputBinding input, List<String> labelList, ModelSource source) {
        float[] scores = model.rawOutputs(grey(input.width(), input.height())).get(0).data();
        double sum = 0;
        boolean nonNegative = true;
        for (float s : scores) {
            sum += s;
            nonNegative &= s >= 0f;
        }
        if (nonNegative && Math.abs(sum - 1.0) < 1e-3) {
            LOG.info("model {}: outputs sum to 1, treating them as probabilities (no softmax)", model.id());
            ModelDescriptor d = model.descriptor();
            ModelDescriptor probabilities = new ModelDescriptor(d.id(), d.version(), d.task(), d.file(),
                    d.url(), d.sha256(), d.inputName(), d.preprocess(), ScoreKind.PROBABILITIES, null,
                    d.labels(), d.description(), d.origin());
            return assemble(probabilities, model.signature(), created, input, labelList, source);
        }
        return model;
    }

    private static void warmUp(LoadedModel model) {
        RgbImage grey = grey(model.descriptor().preprocess().width(), model.descriptor().preprocess().height());
        List<OutputTensor> outputs = model.rawOutputs(grey);
        if (model.task() == Task.CLASSIFICATION) {
            checkClassifierOutput(model, outputs.get(0));
        }
        try {
            if (model.task() == Task.CLASSIFICATION) {
                model.classify(List.of(ImageInput.decoded(grey)), 1).forEach(ModelLoader::requireOk);
            } else {
                model.detect(List.of(ImageInput.decoded(grey)), DetectionOptions.DEFAULT)
                        .forEach(ModelLoader::requireOk);
            }
        } catch (RuntimeException e) {
            throw new ModelLoadException("model " + model.id() + ": its outputs "
                    + outputs.stream().map(o -> o.name() + Arrays.toString(o.shape())).toList()
                    + " do not fit its descriptor: " + e.getMessage(), e);
        }
    }

    /**
     * A classifier's first output must be one score per class ({@code [N, C]}, or {@code [N, C, 1, 1]})
     * and, when the descriptor names labels, as many classes as labels; one more class than labels is
     * taken as a leading background class (TensorFlow exports) and only warned about. Anything else
     * means the descriptor describes another model (a detector, another label set).
     */
    static void checkClassifierOutput(LoadedModel model, OutputTensor output) {
        long[] shape = output.shape(); // one image's: the batch dimension is left out
        long[] wide = Arrays.stream(shape).filter(d -> d > 1).toArray();
        if (wide.length > 1) {
            throw new ModelLoadException("model " + model.id() + ": its descriptor says classification, but its"
                    + " output '" + output.name() + "' has shape " + Arrays.toString(shape) + " per image, not one"
                    + " score per class: is it a detector?");
        }
        int classes = output.data().length;
        int labels = model.labels().size();
        if (labels > 0 && labels == classes - 1) {
            LOG.warn("model {}: {} outputs but {} labels ({}); index {} is reported as class_{}",
                    model.id(), classes, labels, model.descriptor().labels(), labels, labels);
        } else if (labels > 0 && labels != classes) {
            throw new ModelLoadException("model " + model.id() + ": its output '" + output.name() + "' has "
                    + classes + " classes but its labels (" + model.descriptor().labels() + ") have " + labels);
        }
    }

    private static void requireOk(Prediction<?> p) {
        if (!p.ok()) {
            throw p.error();
        }
    }

    private static RgbImage grey(int width, int height) {
        byte[] px = new byte[3 * width * height];
        Arrays.fill(px, (byte) 128);
        return RgbImage.of(width, height, px);
    }

    private static void closeQuietly(SessionFactory.CreatedSession created) {
        try {
            created.session().close();
        } catch (OrtException e) {
            LOG.debug("closing a session that failed to load", e);
        }
    }
}
