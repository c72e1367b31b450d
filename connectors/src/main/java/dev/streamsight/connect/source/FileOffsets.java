package dev.streamsight.connect.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Which file versions this task has already emitted. Each file is its own Connect source partition
 * ({@code {"uri": ...}}) and its offset is the version emitted ({@code size}, {@code mtime},
 * {@code sha256}), so after a restart the committed offsets say what not to emit again, and a file
 * rewritten in place (new size or time) is emitted anew. Offsets are read from the worker once per
 * file, in batches, the first time a scan meets the file; after that the answer is kept in memory
 * for as long as the file is present.
 *
 * <p>Not thread-safe: one per task, used from the task's thread.
 */
final class FileOffsets {

    static final String URI = "uri";
    static final String SIZE = "size";
    static final String MTIME = "mtime";
    static final String SHA256 = "sha256";
    private static final int LOOKUP_BATCH = 1_000;

    /** The version last emitted, or NONE for a file known not to have been emitted. */
    private record Version(long size, long modifiedMs) {
    }

    private static final Version NONE = new Version(-1, -1);

    private final OffsetStorageReader reader;
    private Map<String, Version> known = new HashMap<>();

    FileOffsets(OffsetStorageReader reader) {
        this.reader = reader;
    }

    static Map<String, String> partition(ImageFile file) {
        return Map.of(URI, file.uri().toString());
    }

    static Map<String, Object> offset(ImageFile file, String sha256) {
        return Map.of(SIZE, file.size(), MTIME, file.modifiedMs(), SHA256, sha256);
    }

    /**
     * The files of {@code scan} whose current version was not emitted, in scan order. Files no longer
     * present are forgotten (their offsets stay with the worker).
     */
    List<ImageFile> notEmitted(List<ImageFile> scan) {
        List<Map<String, String>> unknown = new ArrayList<>();
        for (ImageFile file : scan) {
            if (!known.containsKey(file.uri().toString())) {
                unknown.add(partition(file));
            }
        }
        for (int from = 0; from < unknown.size(); from += LOOKUP_BATCH) {
            load(unknown.subList(from, Math.min(unknown.size(), from + LOOKUP_BATCH)));
        }
        Map<String, Version> present = new HashMap<>();
        List<ImageFile> pending = new ArrayList<>();
        for (ImageFile file : scan) {
            String uri = file.uri().toString();
            Version version = known.getOrDefault(uri, NONE);
            present.put(uri, version);
            if (!file.sameVersion(version.size(), version.modifiedMs())) {
                pending.add(file);
            }
        }
        known = present;
        return pending;
    }

    /** Records that {@code file} was handed to the worker (its offset is committed later by the worker). */
    void emitted(ImageFile file) {
        known.put(file.uri().toString(), new Version(file.size(), file.modifiedMs()));
    }

    /** Number of files remembered (for tests). */
    int size() {
        return known.size();
    }

    Set<String> knownUris() {
        return known.keySet();
    }

    private void load(Collection<Map<String, String>> partitions) {
        Map<Map<String, String>, Map<String, Object>> offsets = reader == null ? Map.of() : reader.offsets(partitions);
        for (Map<String, String> partition : partitions) {
            Map<String, Object> offset = offsets == null ? null : offsets.get(partition);
            known.put(partition.get(URI), offset == null ? NONE
                    : new Version(number(offset.get(SIZE)), number(offset.get(MTIME))));
        }
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : -1;
    }
}
