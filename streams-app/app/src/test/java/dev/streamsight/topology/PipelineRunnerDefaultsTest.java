package dev.streamsight.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class PipelineRunnerDefaultsTest {
    @Test
    void oneStreamThreadPerCoreAtMostOnePerPartitionUnlessSet() {
        assertEquals(2, threads(new HashMap<>(), 2, 6));
        assertEquals(3, threads(new HashMap<>(), 8, 3));
        assertEquals(1, threads(new HashMap<>(), 4, 0));
        assertEquals(1, threads(new HashMap<>(Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1)), 8, 6),
                "the user's choice stands");
    }

    @Test
    void failoverTimeoutsAreShortUnlessSet() {
        Map<String, Object> props = new HashMap<>();
        PipelineRunner.failoverDefaults(props);
        assertEquals(10_000, props.get("main.consumer.session.timeout.ms"));
        assertEquals(10_000, props.get("producer.transaction.timeout.ms"));
        Map<String, Object> chosen = new HashMap<>(Map.of("session.timeout.ms", 30_000,
                "producer.transaction.timeout.ms", 20_000));
        PipelineRunner.failoverDefaults(chosen);
        assertEquals(Map.of("session.timeout.ms", 30_000, "producer.transaction.timeout.ms", 20_000), chosen);
    }

    @Test
    void aStreamThreadPollsNoLongerThanAPunctuationIntervalUnlessSet() {
        PipelineSettings settings = PipelineSettings.defaults("images", java.util.List.of("m"))
                .withBatch(16, java.time.Duration.ofMillis(100));
        Map<String, Object> props = new HashMap<>();
        PipelineRunner.pollDefault(props, settings);
        assertEquals(10L, props.get(StreamsConfig.POLL_MS_CONFIG));
        Map<String, Object> chosen = new HashMap<>(Map.of(StreamsConfig.POLL_MS_CONFIG, 250));
        PipelineRunner.pollDefault(chosen, settings);
        assertEquals(250, chosen.get(StreamsConfig.POLL_MS_CONFIG), "the user's choice stands");
    }

    private static Object threads(Map<String, Object> props, int cores, int partitions) {
        PipelineRunner.threadDefault(props, cores, partitions);
        return props.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG);
    }

    @Test
    void thePendingStoreGetsSmallRocksDbBuffersUnlessTheUserConfiguresRocksDb() {
        Map<String, Object> props = new HashMap<>();
        PipelineRunner.storeDefaults(props);
        assertEquals(PendingStoreRocksDbConfig.class.getName(),
                props.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
        Map<String, Object> own = new HashMap<>(Map.of("rocksdb.config.setter", "com.example.Mine"));
        PipelineRunner.storeDefaults(own);
        assertEquals("com.example.Mine", own.get("rocksdb.config.setter"));
        // It runs in a real store: the options it sets are the ones RocksDB gets.
        try (org.rocksdb.Options options = new org.rocksdb.Options()) {
            PendingStoreRocksDbConfig setter = new PendingStoreRocksDbConfig();
            options.setTableFormatConfig(new org.rocksdb.BlockBasedTableConfig());
            setter.setConfig("pending-images", options, Map.of());
            assertEquals(PendingStoreRocksDbConfig.WRITE_BUFFER_BYTES, options.writeBufferSize());
            assertEquals(2, options.maxWriteBufferNumber());
            setter.close("pending-images", options);
        }
    }
}
