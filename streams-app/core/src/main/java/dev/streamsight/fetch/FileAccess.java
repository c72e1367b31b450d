package dev.streamsight.fetch;

import java.nio.file.Path;
import java.util.List;

/**
 * Which local files (plain paths and {@code file://} URIs) a fetch may read: {@link #ANYWHERE} (the
 * CLI's, where the user names the files), {@link #NONE} (a service's default, where events written
 * by others name them), or the files under some directories ({@link #under}), symbolic links
 * resolved. Immutable.
 *
 * @param roots directories the files must lie under, absolute and normalized; empty unless
 *     {@code anywhere} is false and some are named
 * @param anywhere whether any file this process can read may be read
 */
public record FileAccess(List<Path> roots, boolean anywhere) {
    /** Any readable file. */
    public static final FileAccess ANYWHERE = new FileAccess(List.of(), true);
    /** No file at all: every path and {@code file://} URI is refused. */
    public static final FileAccess NONE = new FileAccess(List.of(), false);

    public FileAccess {
        roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        if (anywhere && !roots.isEmpty()) {
            throw new IllegalArgumentException("file roots " + roots + " given with access to any file");
        }
    }

    /** The files under {@code roots}; {@link #NONE} when there are none. */
    public static FileAccess under(List<Path> roots) {
        return new FileAccess(roots, false);
    }

    /** Whether every file is refused. */
    public boolean refusesAll() {
        return !anywhere && roots.isEmpty();
    }

    @Override
    public String toString() {
        return anywhere ? "any file" : roots.isEmpty() ? "no files" : "files under " + roots;
    }
}
