package dev.streamsight.connect.source;

import dev.streamsight.connect.PluginVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * A source connector that turns image files appearing under one or more directories into
 * Streamsight {@code ImageEvent} records (see {@link ImageDirectorySourceConfig} for the keys, and
 * {@link ImageDirectorySourceTask} for what a task does).
 *
 * <p>{@code tasks.max} tasks share all the directories: each file belongs to the one task its URI
 * hashes to ({@link TaskShare}), so no file is emitted by two tasks and the split needs no
 * coordination. Offsets are per file, so they survive a change of the task count.
 *
 * <p>Lifecycle: the worker calls {@link #start} (the configuration is validated there),
 * {@link #taskConfigs}, then {@link #stop}; all on the worker's connector thread. The connector
 * itself holds only the configuration.
 */
public class ImageDirectorySourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new ImageDirectorySourceConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ImageDirectorySourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> task = new HashMap<>(props);
            task.put(ImageDirectorySourceConfig.TASK_INDEX, Integer.toString(i));
            task.put(ImageDirectorySourceConfig.TASK_COUNT, Integer.toString(maxTasks));
            configs.add(Map.copyOf(task));
        }
        return configs;
    }

    @Override
    public void stop() {
        props = null;
    }

    @Override
    public ConfigDef config() {
        return ImageDirectorySourceConfig.DEF;
    }

    /**
     * Exactly-once source delivery works (offsets and records then commit in one transaction), since
     * records and offsets are plain per-file values.
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }
}
