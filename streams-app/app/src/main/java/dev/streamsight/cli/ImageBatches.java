package dev.streamsight.cli;

import dev.streamsight.StreamsightException;
import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.inference.ImageInput;
import dev.streamsight.inference.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs image references through a model in groups: fetches a group concurrently (virtual threads,
 * since fetching is I/O), hands the fetched images to the model as one call (which batches them),
 * and reports every reference in input order. Memory stays bounded by the group size.
 */
final class ImageBatches {
    /** Receives the outcome of one image reference. */
    interface Sink<T> {
        void result(String image, Prediction<T> prediction);

        void error(String image, StreamsightException error);
    }

    /** A sink that prints results its own way and errors as the CLI contract says (JSON or text). */
    abstract static class PrintingSink<T> implements Sink<T> {
        final java.io.PrintWriter out;
        final JsonLines lines;
        final boolean json;

        PrintingSink(java.io.PrintWriter out, boolean json) {
            this.out = out;
            this.lines = new JsonLines(out);
            this.json = json;
        }

        @Override
        public void error(String image, StreamsightException e) {
            if (json) {
                lines.write(JsonLines.error(image, e));
            } else {
                out.println(image + ": ERROR " + e.code() + ": " + e.getMessage());
            }
        }
    }

    private ImageBatches() {
    }

    /** @return true when every image was processed */
    static <T> boolean process(List<String> images, ImageFetcher fetcher, int groupSize,
            Function<List<ImageInput>, List<Prediction<T>>> model, Sink<T> sink) {
        boolean allOk = true;
        try (ExecutorService io = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int start = 0; start < images.size(); start += groupSize) {
                List<String> group = images.subList(start, Math.min(images.size(), start + groupSize));
                List<Future<byte[]>> fetched = new ArrayList<>(group.size());
                for (String image : group) {
                    fetched.add(io.submit(() -> fetcher.fetch(image)));
                }
                List<String> names = new ArrayList<>();
                List<ImageInput> inputs = new ArrayList<>();
                StreamsightException[] fetchErrors = new StreamsightException[group.size()];
                for (int i = 0; i < group.size(); i++) {
                    try {
                        inputs.add(ImageInput.encoded(fetched.get(i).get()));
                        names.add(group.get(i));
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (e.getCause() instanceof StreamsightException se) {
                            fetchErrors[i] = se;
                        } else {
                            throw new IllegalStateException("fetching " + group.get(i) + " failed", e.getCause());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", e);
                    }
                }
                List<Prediction<T>> predictions = model.apply(inputs);
                int next = 0;
                for (int i = 0; i < group.size(); i++) {
                    if (fetchErrors[i] != null) {
                        sink.error(group.get(i), fetchErrors[i]);
                        allOk = false;
                        continue;
                    }
                    Prediction<T> p = predictions.get(next);
                    String name = names.get(next++);
                    if (p.ok()) {
                        sink.result(name, p);
                    } else {
                        sink.error(name, p.error());
                        allOk = false;
                    }
                }
            }
        }
        return allOk;
    }
}
