package dev.streamsight.topology;

import dev.streamsight.fetch.FetchOptions;
import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoders;
import dev.streamsight.inference.EngineOptions;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.ModelLoader;
import dev.streamsight.model.LabelResolver;
import dev.streamsight.model.ModelLocator;
import dev.streamsight.postprocess.DetectionOptions;

/**
 * The real classifier and detector, and resources to run them with (top 3), that the topology tests
 * load once per class and close after it.
 */
record PipelineFixture(LoadedModel classifier, LoadedModel detector, PipelineResources resources)
        implements AutoCloseable {

    static PipelineFixture load() {
        ModelLoader loader = new ModelLoader(ModelLocator.fromEnvironment(), LabelResolver.fromEnvironment(),
                ImageDecoders.standard(DecoderOptions.DEFAULTS), EngineOptions.cpu());
        return new PipelineFixture(loader.load("mobilenetv2-12-int8"), loader.load("yolox-nano"),
                new PipelineResources(new ImageFetcher(FetchOptions.defaults()),
                        ImageDecoders.standard(DecoderOptions.DEFAULTS), 8, 3, DetectionOptions.DEFAULT));
    }

    @Override
    public void close() {
        resources.close();
        classifier.close();
        detector.close();
    }
}
