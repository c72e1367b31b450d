package dev.streamsight.cli;

import dev.streamsight.config.ConfigException;
import dev.streamsight.config.StreamsightConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Connection and configuration options shared by {@code run}, {@code produce}, {@code tail} and
 * {@code demo}: the configuration file, the Kafka and registry addresses and any pass-through
 * property. Precedence (lowest first): file, {@code STREAMSIGHT_*} environment, {@code -p}, flags.
 */
final class ConnectionOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Java properties file with Streamsight and Kafka keys (see README, Streaming).")
    Path configFile;

    @Option(names = {"--bootstrap-server", "--bootstrap-servers"}, paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (env STREAMSIGHT_BOOTSTRAP_SERVERS, key bootstrap.servers).")
    String bootstrapServers;

    @Option(names = "--schema-registry", paramLabel = "URL[,URL...]",
            description = "Schema registry URL (env STREAMSIGHT_SCHEMA_REGISTRY_URL, key schema.registry.url).")
    String schemaRegistry;

    @Option(names = {"-p", "--property"}, paramLabel = "KEY=VALUE",
            description = "Any Streamsight, Kafka Streams, client or serde property; repeatable.")
    Map<String, String> properties = new LinkedHashMap<>();

    /** The sources so far; a command adds its own flags and builds. */
    StreamsightConfig.Builder builder() {
        StreamsightConfig.Builder b = StreamsightConfig.builder();
        return fill(b);
    }

    StreamsightConfig.Builder fill(StreamsightConfig.Builder b) {
        if (configFile != null) {
            b.file(configFile);
        }
        b.environment(System.getenv());
        b.properties(properties);
        b.flag(StreamsightConfig.BOOTSTRAP_SERVERS, bootstrapServers, "--bootstrap-server");
        b.flag(StreamsightConfig.SCHEMA_REGISTRY_URL, schemaRegistry, "--schema-registry");
        return b;
    }

    /** Client properties with bootstrap servers and schema registry, which must be configured. */
    static Map<String, Object> requireClientProperties(StreamsightConfig config) {
        if (config.bootstrapServers().isEmpty()) {
            throw new ConfigException(StreamsightConfig.BOOTSTRAP_SERVERS, "no Kafka cluster configured: pass"
                    + " --bootstrap-server, set STREAMSIGHT_BOOTSTRAP_SERVERS, or set bootstrap.servers in --config");
        }
        if (config.schemaRegistryUrl().isEmpty()) {
            throw new ConfigException(StreamsightConfig.SCHEMA_REGISTRY_URL, "no schema registry configured: pass"
                    + " --schema-registry, set STREAMSIGHT_SCHEMA_REGISTRY_URL, or set schema.registry.url in --config");
        }
        return config.clientProperties();
    }
}
