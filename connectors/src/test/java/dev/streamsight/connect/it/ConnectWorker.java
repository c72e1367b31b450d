package dev.streamsight.connect.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A standalone Connect worker in this JVM, started as {@code connect-standalone.sh} starts one
 * (REST on 127.0.0.1, plugins from the class path), with its offsets in a file that outlives it, so
 * a second worker on the same file resumes where the first stopped.
 */
final class ConnectWorker implements AutoCloseable {

    private final Connect<StandaloneHerder> connect;

    private ConnectWorker(Connect<StandaloneHerder> connect) {
        this.connect = connect;
    }

    static ConnectWorker start(String bootstrapServers, Path offsetsFile, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("offset.storage.file.filename", offsetsFile.toString());
        props.put("offset.flush.interval.ms", "1000");
        props.put("listeners", "http://127.0.0.1:0");
        props.put("rest.advertised.host.name", "127.0.0.1");
        // Every plugin here (ours, Debezium, Kafka's) has ServiceLoader manifests.
        props.put("plugin.discovery", "service_load");
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.putAll(overrides);
        return new ConnectWorker(new ConnectStandalone().startConnect(props));
    }

    /** Creates (or replaces) a connector and waits until it and {@code tasks} tasks run. */
    void createConnector(String name, Map<String, String> config, int tasks) throws Exception {
        FutureCallback<org.apache.kafka.connect.runtime.Herder.Created<org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo>> created =
                new FutureCallback<>();
        Map<String, String> withName = new HashMap<>(config);
        withName.put("name", name);
        connect.herder().putConnectorConfig(name, withName, true, created);
        created.get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            ConnectorStateInfo status = connect.herder().connectorStatus(name);
            List<ConnectorStateInfo.TaskState> states = status.tasks();
            if (states.stream().anyMatch(t -> "FAILED".equals(t.state()))) {
                throw new AssertionError("task failed: " + states.stream().map(t -> t.trace()).toList());
            }
            if ("RUNNING".equals(status.connector().state()) && states.size() == tasks
                    && states.stream().allMatch(t -> "RUNNING".equals(t.state()))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("connector " + name + " not running: " + status);
            }
            Thread.sleep(100);
        }
    }

    /** The task states of {@code name}, e.g. to see that a sink task has not failed. */
    List<String> taskStates(String name) {
        return connect.herder().connectorStatus(name).tasks().stream()
                .map(t -> t.state() + (t.trace() == null ? "" : ": " + t.trace())).toList();
    }

    /** Stops the worker as SIGTERM does: tasks stop and commit their offsets. */
    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
