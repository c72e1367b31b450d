package dev.streamsight.connect.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of {@link ImageDirectorySourceConnector} and its tasks, parsed once into final fields
 * when the connector or a task starts; invalid values are a {@link ConfigException} naming the key.
 * Immutable and thread-safe. The {@code task.*} keys are set by the connector for each task.
 */
public final class ImageDirectorySourceConfig extends AbstractConfig {

    public static final String TOPIC = "topic";
    public static final String DIRECTORIES = "directories";
    public static final String FILE_GLOB = "file.glob";
    public static final String RECURSIVE = "recursive";
    public static final String MIN_FILE_AGE_MS = "min.file.age.ms";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String BATCH_MAX_FILES = "batch.max.files";
    public static final String MODELS = "models";
    static final String TASK_INDEX = "task.index";
    static final String TASK_COUNT = "task.count";

    /** Common image extensions, in both cases (globs are case-sensitive on Linux). */
    public static final String DEFAULT_GLOB =
            "*.{jpg,jpeg,png,webp,bmp,gif,JPG,JPEG,PNG,WEBP,BMP,GIF}";

    static final ConfigDef DEF = new ConfigDef()
            .define(DIRECTORIES, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString() {
                @Override
                public void ensureValid(String name, Object value) {
                    if (value == null || ((List<?>) value).isEmpty()) {
                        throw new ConfigException(name, value, "at least one directory is required");
                    }
                }
            }, Importance.HIGH, "Comma-separated directories to watch for image files (absolute paths).")
            .define(TOPIC, Type.STRING, "images", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Topic the ImageEvent records are written to.")
            .define(FILE_GLOB, Type.STRING, DEFAULT_GLOB, Importance.MEDIUM,
                    "java.nio glob a file must match: against the file name when the glob has no '/', otherwise"
                            + " against the path relative to its directory (e.g. 'cam*/**.jpg').")
            .define(RECURSIVE, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Also scan subdirectories. Symbolic links to directories are never followed.")
            .define(MIN_FILE_AGE_MS, Type.LONG, 5_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "A file is emitted only when its last modification is at least this old, so files still being"
                            + " written are skipped until they settle.")
            .define(POLL_INTERVAL_MS, Type.LONG, 1_000L, ConfigDef.Range.atLeast(10), Importance.LOW,
                    "Time between two scans of the directories.")
            .define(BATCH_MAX_FILES, Type.INT, 500, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Most files hashed and returned by one poll.")
            .define(MODELS, Type.LIST, "", Importance.LOW,
                    "Model ids written into every event (ImageEvent.models); empty: all models of the application.")
            .define(TASK_INDEX, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Set by the connector: this task's index.")
            .define(TASK_COUNT, Type.INT, 1, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Set by the connector: the number of tasks sharing the directories.");

    private final String topic;
    private final List<Path> directories;
    private final String glob;
    private final boolean recursive;
    private final Duration minFileAge;
    private final Duration pollInterval;
    private final int batchMaxFiles;
    private final List<String> models;
    private final TaskShare share;

    public ImageDirectorySourceConfig(Map<String, String> props) {
        super(DEF, props, false);
        this.topic = getString(TOPIC);
        this.directories = getList(DIRECTORIES).stream().map(String::trim).map(ImageDirectorySourceConfig::directory).toList();
        this.glob = getString(FILE_GLOB);
        this.recursive = getBoolean(RECURSIVE);
        this.minFileAge = Duration.ofMillis(getLong(MIN_FILE_AGE_MS));
        this.pollInterval = Duration.ofMillis(getLong(POLL_INTERVAL_MS));
        this.batchMaxFiles = getInt(BATCH_MAX_FILES);
        this.models = getList(MODELS).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        int count = getInt(TASK_COUNT);
        int index = getInt(TASK_INDEX);
        if (index >= count) {
            throw new ConfigException(TASK_INDEX, index, "must be below " + TASK_COUNT + " (" + count + ")");
        }
        this.share = new TaskShare(index, count);
        try {
            java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(FILE_GLOB, glob, e.getMessage());
        }
    }

    private static Path directory(String value) {
        Path path = Path.of(value);
        if (!path.isAbsolute()) {
            throw new ConfigException(DIRECTORIES, value, "directories must be absolute paths");
        }
        return path.normalize();
    }

    public String topic() {
        return topic;
    }

    public List<Path> directories() {
        return directories;
    }

    public String glob() {
        return glob;
    }

    public boolean recursive() {
        return recursive;
    }

    public Duration minFileAge() {
        return minFileAge;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public int batchMaxFiles() {
        return batchMaxFiles;
    }

    /** The configured model ids; empty for all. */
    public List<String> models() {
        return models;
    }

    TaskShare share() {
        return share;
    }
}
