package dev.streamsight.topology;

import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.postprocess.DetectionOptions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * What every task of a pipeline shares: the image fetcher and its I/O executor (virtual threads,
 * with at most {@code fetchConcurrency} fetches in flight), the decoder, and the output settings.
 * Created once per application instance; {@link #close()} stops the executor after the Kafka
 * Streams instance has stopped. Thread-safe.
 */
public final class PipelineResources implements AutoCloseable {
    private final ImageFetcher fetcher;
    private final ImageDecoder decoder;
    private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore inFlight;
    private final int topK;
    private final DetectionOptions detectionOptions;

    public PipelineResources(ImageFetcher fetcher, ImageDecoder decoder, int fetchConcurrency, int topK,
            DetectionOptions detectionOptions) {
        if (topK < 1) {
            throw new IllegalArgumentException("top.k: must be >= 1, got " + topK);
        }
        this.fetcher = fetcher;
        this.decoder = decoder;
        this.inFlight = new Semaphore(fetchConcurrency);
        this.topK = topK;
        this.detectionOptions = detectionOptions;
    }

    Future<byte[]> fetchAsync(String uri) {
        return io.submit(() -> {
            inFlight.acquire();
            try {
                return fetcher.fetch(uri);
            } finally {
                inFlight.release();
            }
        });
    }

    ImageDecoder decoder() {
        return decoder;
    }

    int topK() {
        return topK;
    }

    DetectionOptions detectionOptions() {
        return detectionOptions;
    }

    @Override
    public void close() {
        io.shutdownNow();
    }
}
