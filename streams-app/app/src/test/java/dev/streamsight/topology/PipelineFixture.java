package dev.streamsight.topology;

import dev.streamsight.fetch.FetchOptions;
import dev.streamsight.fetch.FileAccess;
import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoders;
import dev.streamsight.inference.EngineOptions;
import dev.streamsight.inference.LoadedModel;
import dev.streamsight.inference.ModelLoader;
import dev.streamsight.model.LabelResolver;
import dev.streamsight.model.ModelLocator;
import dev.streamsight.postprocess.DetectionOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * The real classifier and detector, and resources to run them with (top 3), that the topology tests
 * load once per class and close after it.
 */
record PipelineFixture(LoadedModel classifier, LoadedModel detector, PipelineResources resources)
        implements AutoCloseable {

    /** The sample photos, the only files the fixture's fetcher may read (as a service with file roots). */
    static final Path PHOTOS = Path.of(System.getenv("STREAMSIGHT_SHARED_DIR"), "images/photos");

    static PipelineFixture load() {
        ModelLoader loader = new ModelLoader(ModelLocator.fromEnvironment(), LabelResolver.fromEnvironment(),
                ImageDecoders.standard(DecoderOptions.DEFAULTS), EngineOptions.cpu());
        return new PipelineFixture(loader.load("mobilenetv2-12-int8"), loader.load("yolox-nano"),
                new PipelineResources(new ImageFetcher(photosOnly()),
                        ImageDecoders.standard(DecoderOptions.DEFAULTS), 8, 3, DetectionOptions.DEFAULT));
    }

    /** Fetch options as a service reads events, with the sample photos' directory as the file root. */
    static FetchOptions photosOnly() {
        return FetchOptions.forEvents().withFiles(FileAccess.under(List.of(PHOTOS)));
    }

    @Override
    public void close() {
        resources.close();
        classifier.close();
        detector.close();
    }
}
