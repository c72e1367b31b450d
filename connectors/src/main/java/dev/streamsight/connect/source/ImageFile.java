package dev.streamsight.connect.source;

import java.net.URI;
import java.nio.file.Path;

/**
 * A candidate file found by a scan.
 *
 * @param path the real path (inside a configured directory) to read
 * @param uri {@code file://} URI of {@code path}: the event's image URI and the file's offset key
 * @param size size in bytes when scanned
 * @param modifiedMs last modification time when scanned (UTC milliseconds)
 */
record ImageFile(Path path, URI uri, long size, long modifiedMs) {

    /** Whether {@code other} (a later look at the same file) has the same size and modification time. */
    boolean sameVersion(long otherSize, long otherModifiedMs) {
        return size == otherSize && modifiedMs == otherModifiedMs;
    }
}
