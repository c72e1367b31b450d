package dev.streamsight.topology;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;

/**
 * Sizes RocksDB for the pending-images store, the only store of the topology, by what it holds: at
 * most a batch of small records per task (a URI, or an inline image up to {@code fetch.max.bytes}),
 * each written once and deleted at the next flush. Kafka Streams' defaults are sized for large
 * tables (16 MiB memtables, three of them, and a 50 MiB block cache per store): with one store per
 * input partition they let the resident set of an instance creep up by tens of MiB as the memtables
 * fill with records that are already deleted. Here each store gets 1 MiB memtables (two at most) and
 * a 1 MiB block cache, so that they flush, and compact their deletions away, early.
 *
 * <p>Installed as {@code rocksdb.config.setter} unless the user names one. Kafka Streams creates one
 * instance per store and calls {@link #setConfig} and later {@link #close} from the store's stream
 * thread; each instance owns the cache it creates.
 */
public final class PendingStoreRocksDbConfig implements RocksDBConfigSetter {
    static final long WRITE_BUFFER_BYTES = 1L << 20;
    static final long BLOCK_CACHE_BYTES = 1L << 20;

    private Cache cache;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setWriteBufferSize(WRITE_BUFFER_BYTES);
        options.setMaxWriteBufferNumber(2);
        cache = new LRUCache(BLOCK_CACHE_BYTES);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }
}
