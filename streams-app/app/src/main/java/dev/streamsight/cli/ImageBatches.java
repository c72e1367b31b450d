package dev.streamsight.cli;

import dev.streamsight.StreamsightException;
import dev.streamsight.fetch.ImageFetcher;
import dev.streamsight.inference.ImageInput;
import dev.streamsight.inference.Prediction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs image references through a model in groups: each group is fetched concurrently (virtual
 * threads, since fetching is I/O) and handed to the model as one call (which batches it). Up to
 * one group per core runs at once, each on its own worker thread, so that a model whose engine
 * uses one core per call (ONNX Runtime's default thread count on small machines, and the batch of
 * one that {@code batch.max.engine=auto} picks for int8 models on CPU) still keeps every core busy,
 * as the pipeline's stream threads do. Every reference is reported in input order, on the calling
 * thread. Memory stays bounded: at most workers + 1 groups are in flight. The worker and fetch
 * threads live for one {@link #process} call.
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

    /** Fewest images a group takes, so that a worker's fixed costs (its fetches, its hand-off) are shared. */
    static final int MIN_GROUP = 16;

    /**
     * Images per group for a model of {@code batchCapacity}: two batches, and at least {@value #MIN_GROUP}.
     * With a worker per core each worker decodes and infers its group's batches in turn (see {@code
     * LoadedModel}); with fewer workers than cores the model decodes a group's next batch on another
     * core while it runs the current one.
     */
    static int groupSize(int batchCapacity) {
        return Math.max(MIN_GROUP, 2 * Math.max(1, batchCapacity));
    }

    /** One group's outcome: per reference, a prediction or a fetch error. */
    private record Group<T>(List<String> names, List<Prediction<T>> predictions, StreamsightException[] errors) {
    }

    /** One worker per core. */
    static <T> boolean process(List<String> images, ImageFetcher fetcher, int groupSize,
            Function<List<ImageInput>, List<Prediction<T>>> model, Sink<T> sink) {
        return process(images, fetcher, groupSize, Runtime.getRuntime().availableProcessors(), model, sink);
    }

    /** @return true when every image was processed */
    static <T> boolean process(List<String> images, ImageFetcher fetcher, int groupSize, int workers,
            Function<List<ImageInput>, List<Prediction<T>>> model, Sink<T> sink) {
        boolean allOk = true;
        Deque<Future<Group<T>>> inFlight = new ArrayDeque<>();
        try (ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
             ExecutorService pool = Executors.newFixedThreadPool(workers)) {
            for (int start = 0; start < images.size(); start += groupSize) {
                List<String> group = images.subList(start, Math.min(images.size(), start + groupSize));
                inFlight.add(pool.submit(() -> run(group, fetcher, io, model)));
                if (inFlight.size() > workers) {
                    allOk &= report(inFlight.poll(), sink);
                }
            }
            while (!inFlight.isEmpty()) {
                allOk &= report(inFlight.poll(), sink);
            }
        }
        return allOk;
    }

    private static <T> Group<T> run(List<String> group, ImageFetcher fetcher, ExecutorService io,
            Function<List<ImageInput>, List<Prediction<T>>> model) throws InterruptedException {
        List<Future<byte[]>> fetched = new ArrayList<>(group.size());
        for (String image : group) {
            fetched.add(io.submit(() -> fetcher.fetch(image)));
        }
        List<ImageInput> inputs = new ArrayList<>();
        StreamsightException[] errors = new StreamsightException[group.size()];
        for (int i = 0; i < group.size(); i++) {
            try {
                inputs.add(ImageInput.encoded(fetched.get(i).get()));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof StreamsightException se) {
                    errors[i] = se;
                } else {
                    throw new IllegalStateException("fetching " + group.get(i) + " failed", e.getCause());
                }
            }
        }
        return new Group<>(List.copyOf(group), model.apply(inputs), errors);
    }

    /** Reports a group's references in order; whether all of them succeeded. */
    private static <T> boolean report(Future<Group<T>> future, Sink<T> sink) {
        Group<T> g;
        try {
            g = future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        boolean ok = true;
        int next = 0;
        for (int i = 0; i < g.names().size(); i++) {
            if (g.errors()[i] != null) {
                sink.error(g.names().get(i), g.errors()[i]);
                ok = false;
                continue;
            }
            Prediction<T> p = g.predictions().get(next++);
            if (p.ok()) {
                sink.result(g.names().get(i), p);
            } else {
                sink.error(g.names().get(i), p.error());
                ok = false;
            }
        }
        return ok;
    }
}
