package dev.streamsight.bench;

import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.serde.AvroSerde;
import dev.streamsight.serde.AvroSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The harness of {@code bench pipeline} and {@code bench baseline}: an application under test reads
 * {@code ImageEvent}s ({@code file://} URIs, cycling through the images) from a fresh input topic and
 * writes one result per event; the harness reads the results with a {@code read_committed} consumer.
 *
 * <p>Two loads. A <b>backlog</b> ({@code rate} 0): every event is published first, then the
 * application starts; throughput is the results over the time from the first result to the last
 * (the start-up is left out), and latency is dominated by queueing. A <b>rate</b> R: the application
 * starts and reaches RUNNING first, then the events are published at R per second; latency is then
 * what an event sees at that load. Latency is a result's arrival at the harness minus its event's
 * timestamp (its send time), so under exactly-once it includes the wait for the transaction's commit.
 *
 * <p>The process's peak RSS ({@link ProcessMemory}) is reset when the application starts and read
 * before it stops: the application's, plus the harness's consumer (and producer, at a rate), plus the
 * broker and registry when they run in this process.
 */
public final class StreamBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(StreamBenchmark.class);

    /** The application under test, once started. */
    public interface Running extends AutoCloseable {
        boolean awaitRunning(Duration timeout) throws InterruptedException;

        /** The stream threads the application runs now; 0 when it is not running. */
        int streamThreads();

        @Override
        void close();
    }

    /** Starts the application under test (its topics exist by then). */
    @FunctionalInterface
    public interface Starter {
        Running start();
    }

    /**
     * @param events events to publish
     * @param partitions partitions of the input and output topics
     * @param rate events per second; 0 for a backlog
     * @param timeout longest wait for all the results after the start
     * @param warmup at a rate: the events published this long after the first one are left out of the
     *     steady-state latency ({@link Outcome#steadyLatencyMs()})
     */
    public record Load(int events, int partitions, double rate, Duration timeout, Duration warmup) {
        public Load {
            if (events < 1 || partitions < 1 || rate < 0 || warmup.isNegative()) {
                throw new IllegalArgumentException("need events >= 1, partitions >= 1, rate >= 0 and warmup >= 0");
            }
        }

        public Load(int events, int partitions, double rate, Duration timeout) {
            this(events, partitions, rate, timeout, Duration.ZERO);
        }

        public boolean backlog() {
            return rate == 0;
        }
    }

    /**
     * What one run measured.
     *
     * @param results events with a result (dead letters not included)
     * @param imagesPerSecond results over the time from the first to the last result
     * @param latencyMs per result: arrival minus the event's timestamp
     * @param batchSizes how many results reported each engine batch size ({@code Timings.batchSize})
     * @param peakRssBytes peak resident set of this process during the run (-1: unknown)
     * @param rssSinceStart the peak could not be reset: it is the process's since its start
     * @param steadyLatencyMs at a rate, the latency of the events published after the warm-up; else all
     * @param rssCurve the resident set as the results came in, about 20 samples
     * @param steadyImagesPerSecond the results after the first quarter over their time span: the
     *     throughput once the JIT has compiled the hot paths (a backlog of a few thousand events is
     *     over in seconds, much of them spent compiling)
     * @param stageMeans the results' own timings, averaged: where an event's time went inside the application
     * @param steadyBeyondWaitMs of the same events as {@code steadyLatencyMs}, each one's latency less its
     *     wait in the pending store ({@code Timings.queueWaitMs}): what the pipeline adds to its batch wait
     *     (getting the event to the application, running the batch, committing, the result consumer's fetch)
     * @param streamThreads the stream threads the application ran at the end of the run
     */
    public record Outcome(int published, int results, int deadLetters, double imagesPerSecond,
            Percentiles latencyMs, SortedMap<Integer, Integer> batchSizes, long peakRssBytes,
            boolean rssSinceStart, double runSeconds, Percentiles steadyLatencyMs, List<RssSample> rssCurve,
            double steadyImagesPerSecond, StageMeans stageMeans, Percentiles steadyBeyondWaitMs, int streamThreads) {

        public boolean complete() {
            return results + deadLetters >= published;
        }

        /** Mean images per engine call, over results. */
        public double meanBatchSize() {
            long n = 0;
            long sum = 0;
            for (var e : batchSizes.entrySet()) {
                n += e.getValue();
                sum += (long) e.getKey() * e.getValue();
            }
            return n == 0 ? Double.NaN : (double) sum / n;
        }
    }

    /**
     * Means over the results of their {@code Timings}, in milliseconds: the wait in the pending store,
     * the fetch, decode and preprocessing, and the engine call's wall time divided by its batch size.
     */
    public record StageMeans(double queueWaitMs, double fetchMs, double decodeMs, double inferencePerImageMs) {

        /** Accumulates results' timings; not thread-safe. */
        static final class Sums {
            private long n;
            private double queueWait;
            private double fetch;
            private double decode;
            private double inferencePerImage;

            void add(GenericRecord timings) {
                if (timings.get("queueWaitMs") instanceof Double q && timings.get("fetchMs") instanceof Double f
                        && timings.get("decodeMs") instanceof Double d && timings.get("inferenceMs") instanceof Double i
                        && timings.get("batchSize") instanceof Integer b && b > 0) {
                    n++;
                    queueWait += q;
                    fetch += f;
                    decode += d;
                    inferencePerImage += i / b;
                }
            }

            StageMeans means() {
                return n == 0 ? new StageMeans(Double.NaN, Double.NaN, Double.NaN, Double.NaN)
                        : new StageMeans(queueWait / n, fetch / n, decode / n, inferencePerImage / n);
            }
        }
    }

    /**
     * The process's resident set when {@code results} results had come in.
     *
     * @param seconds since the harness started waiting for results
     */
    public record RssSample(int results, double seconds, double rssMb) {
    }

    private final Map<String, Object> clientProperties;
    private final List<String> imageUris;

    /**
     * @param clientProperties bootstrap servers, schema registry and any client keys
     * @param imageUris the images the events point at, in turn
     */
    public StreamBenchmark(Map<String, Object> clientProperties, List<String> imageUris) {
        if (imageUris.isEmpty()) {
            throw new IllegalArgumentException("no images");
        }
        this.clientProperties = Map.copyOf(clientProperties);
        this.imageUris = List.copyOf(imageUris);
    }

    /** Creates the topics with {@code partitions} partitions (the broker's replication factor). */
    public void createTopics(int partitions, List<String> topics) {
        try (Admin admin = Admin.create(clientProperties)) {
            List<NewTopic> news = topics.stream()
                    .map(t -> new NewTopic(t, Optional.of(partitions), Optional.<Short>empty())).toList();
            admin.createTopics(news).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics " + topics + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Runs one load: publishes to {@code inputTopic}, starts the application, waits for a result or a
     * dead letter per event on {@code resultTopic} and {@code deadLetterTopic} (which must exist),
     * stops the application.
     */
    public Outcome run(String inputTopic, String resultTopic, String deadLetterTopic, String idPrefix, Load load,
            Starter starter) throws InterruptedException {
        int n = load.events();
        long[] sentMillis = new long[n];
        Map<String, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.put(idPrefix + i, i);
        }
        try (KafkaConsumer<String, Object> consumer = consumer(List.of(resultTopic, deadLetterTopic));
             Publisher publisher = new Publisher(inputTopic, idPrefix, sentMillis, load.rate())) {
            Running app;
            boolean[] peakReset = new boolean[1];
            if (load.backlog()) {
                publisher.runToEnd(n);
                LOG.info("published {} events to {} (a backlog), starting the application", n, inputTopic);
                app = start(starter, peakReset);
            } else {
                app = start(starter, peakReset);
                if (!app.awaitRunning(load.timeout())) {
                    app.close();
                    throw new IllegalStateException("the application did not reach RUNNING within " + load.timeout());
                }
                LOG.info("application running; publishing {} events to {} at {}/s", n, inputTopic, load.rate());
                publisher.startInBackground(n);
            }
            long t0 = System.nanoTime();
            try {
                return collect(consumer, resultTopic, index, sentMillis, n, load, t0, !peakReset[0], app);
            } finally {
                publisher.stop();
                app.close();
            }
        }
    }

    private static Running start(Starter starter, boolean[] peakReset) {
        System.gc(); // give back what earlier phases left, so the reset peak starts from this run's base
        peakReset[0] = ProcessMemory.resetPeak();
        return starter.start();
    }

    private Outcome collect(KafkaConsumer<String, Object> consumer, String resultTopic, Map<String, Integer> index,
            long[] sentMillis, int n, Load load, long t0, boolean rssSinceStart, Running app) {
        boolean[] done = new boolean[n];
        double[] latency = new double[n];
        double[] steady = new double[n];
        double[] steadyBeyondWait = new double[n];
        int steadyCount = 0;
        int beyondWaitCount = 0;
        // Publishing at a rate starts just before this (t0).
        long warmupEnd = load.backlog() ? Long.MIN_VALUE : System.currentTimeMillis() + load.warmup().toMillis();
        List<RssSample> rss = new ArrayList<>();
        int rssEvery = Math.max(1, n / 20);
        int results = 0;
        int deadLetters = 0;
        long first = 0;
        long last = 0;
        long[] arrivals = new long[n];
        SortedMap<Integer, Integer> batchSizes = new TreeMap<>();
        StageMeans.Sums stages = new StageMeans.Sums();
        long deadline = t0 + load.timeout().toNanos();
        while (results + deadLetters < n && System.nanoTime() < deadline) {
            var records = consumer.poll(Duration.ofMillis(50));
            long arrivalNanos = System.nanoTime();
            long arrivalMillis = System.currentTimeMillis();
            for (ConsumerRecord<String, Object> r : records) {
                Integer i = r.key() == null ? null : index.get(r.key());
                if (i == null || done[i] || !(r.value() instanceof GenericRecord value)) {
                    continue;
                }
                done[i] = true;
                if (!r.topic().equals(resultTopic)) {
                    deadLetters++;
                    LOG.warn("dead letter for event {}: {} {}", r.key(), value.get("reasonCode"), value.get("message"));
                    continue;
                }
                arrivals[results] = arrivalNanos;
                long eventLatency = arrivalMillis - sentMillis[i];
                latency[results++] = eventLatency;
                GenericRecord timings = value.get("timings") instanceof GenericRecord t ? t : null;
                if (sentMillis[i] >= warmupEnd) {
                    steady[steadyCount++] = eventLatency;
                    if (timings != null && timings.get("queueWaitMs") instanceof Double wait) {
                        steadyBeyondWait[beyondWaitCount++] = eventLatency - wait;
                    }
                }
                if (results % rssEvery == 0) {
                    long resident = ProcessMemory.residentBytes().orElse(-1);
                    if (resident >= 0) {
                        rss.add(new RssSample(results, (arrivalNanos - t0) / 1e9, resident / (1024.0 * 1024.0)));
                    }
                }
                if (first == 0) {
                    first = arrivalNanos;
                }
                last = arrivalNanos;
                if (timings != null) {
                    if (timings.get("batchSize") instanceof Integer size) {
                        batchSizes.merge(size, 1, Integer::sum);
                    }
                    stages.add(timings);
                }
            }
        }
        int quarter = results / 4;
        double steadySpan = results > 8 ? (last - arrivals[quarter]) / 1e9 : 0;
        double steadyRate = steadySpan > 0 ? (results - 1 - quarter) / steadySpan : Double.NaN;
        double span = (last - first) / 1e9;
        double rate = results > 1 && span > 0 ? results / span : Double.NaN;
        long peak = ProcessMemory.peakBytes().orElse(-1);
        return new Outcome(n, results, deadLetters, rate, Percentiles.of(Arrays.copyOf(latency, results)),
                batchSizes, peak, rssSinceStart, (System.nanoTime() - t0) / 1e9,
                Percentiles.of(Arrays.copyOf(steady, steadyCount)), List.copyOf(rss), steadyRate, stages.means(),
                Percentiles.of(Arrays.copyOf(steadyBeyondWait, beyondWaitCount)), app.streamThreads());
    }

    private KafkaConsumer<String, Object> consumer(List<String> topics) {
        Map<String, Object> props = new LinkedHashMap<>(clientProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        AvroSerde<Object> serde = AvroSerdes.generic(clientProperties, false);
        KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                serde.deserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                consumer.close();
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions); // fresh topics: everything on them is this run's
        partitions.forEach(consumer::position);
        return consumer;
    }

    /** Publishes the events: all at once, or at a rate from a thread of its own. */
    private final class Publisher implements AutoCloseable {
        private final String topic;
        private final String idPrefix;
        private final long[] sentMillis;
        private final double rate;
        private final AvroSerde<ImageEvent> serde;
        private final KafkaProducer<String, ImageEvent> producer;
        private volatile boolean stopped;
        private Thread thread;

        Publisher(String topic, String idPrefix, long[] sentMillis, double rate) {
            this.topic = topic;
            this.idPrefix = idPrefix;
            this.sentMillis = sentMillis;
            this.rate = rate;
            Map<String, Object> props = new LinkedHashMap<>(clientProperties);
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            // At a rate each event goes at once; a backlog is sent in batches.
            props.put(ProducerConfig.LINGER_MS_CONFIG, rate > 0 ? 0 : 20);
            this.serde = AvroSerdes.specific(ImageEvent.class, clientProperties, false);
            this.producer = new KafkaProducer<>(props, new StringSerializer(), serde.serializer());
        }

        void runToEnd(int n) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n && !stopped; i++) {
                if (rate > 0) {
                    long due = t0 + (long) (i * 1e9 / rate);
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0 && !stopped) {
                        LockSupport.parkNanos(wait);
                    }
                }
                String uri = imageUris.get(i % imageUris.size());
                ImageEvent event = ImageEvent.newBuilder().setId(idPrefix + i).setImage(new ImageRef(uri))
                        .setContentType(null).setModels(null).setSourceTimestamp(null).build();
                long now = System.currentTimeMillis();
                sentMillis[i] = now;
                producer.send(new ProducerRecord<>(topic, null, now, idPrefix + i, event), (md, e) -> {
                    if (e != null) {
                        LOG.warn("event {} not sent: {}", md, e.toString());
                    }
                });
            }
            producer.flush();
        }

        void startInBackground(int n) {
            thread = Thread.ofPlatform().name("bench-publisher").daemon().start(() -> runToEnd(n));
        }

        void stop() throws InterruptedException {
            stopped = true;
            if (thread != null) {
                thread.join(10_000);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
            producer.close(Duration.ofSeconds(10));
            serde.close();
        }
    }
}
