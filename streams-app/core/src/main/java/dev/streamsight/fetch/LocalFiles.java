package dev.streamsight.fetch;

import dev.streamsight.ReasonCode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads plain paths and {@code file://} URIs within a {@link FileAccess} and a byte limit. Under
 * roots, a path must lie under one of them as written (so {@code ..} cannot leave them, and files
 * outside are refused before anything is looked up) and once symbolic links are resolved (so a link
 * cannot lead out); directories, FIFOs and devices are refused. Refusals are FETCH_REFUSED, a missing
 * file NOT_FOUND, other I/O errors FETCH_FAILED. Stateless.
 */
final class LocalFiles {
    private LocalFiles() {
    }

    static byte[] read(Path path, FileAccess access, long maxBytes) {
        String shown = UriText.forMessage(path.toString());
        Path abs = path.toAbsolutePath().normalize();
        if (access.refusesAll()) {
            throw new FetchException(ReasonCode.FETCH_REFUSED, "reading local files is off, so " + shown
                    + " is refused; set fetch.file.roots to the directories images may be read from");
        }
        if (!access.anywhere()) {
            abs = withinRoots(abs, access.roots(), shown);
        }
        try {
            if (Files.isDirectory(abs)) {
                throw new FetchException(ReasonCode.FETCH_REFUSED, shown + " is a directory, not an image file");
            }
            if (Files.exists(abs) && !Files.isRegularFile(abs)) {
                // A FIFO or device would block the reading thread or never end.
                throw new FetchException(ReasonCode.FETCH_REFUSED, shown + " is not a regular file");
            }
            long size = Files.size(abs);
            if (size > maxBytes) {
                throw CappedReader.tooLarge(shown, maxBytes, size);
            }
            try (InputStream in = Files.newInputStream(abs)) {
                return CappedReader.read(in, maxBytes, shown, Long.MAX_VALUE);
            }
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new FetchException(ReasonCode.NOT_FOUND, "no such file: " + shown, e);
        } catch (AccessDeniedException e) {
            throw new FetchException(ReasonCode.FETCH_FAILED, "permission denied: " + shown, e);
        } catch (IOException e) {
            throw cannotRead(shown, e);
        }
    }

    /**
     * The real path of {@code abs} when it lies under the real path of a root. Resolving first (every
     * symbolic link and {@code ..}) is what keeps a link or a {@code ..} from leading out; a path written
     * through another name of a root (a symlinked directory, the root's real path) is accepted. A
     * missing file is judged as written: outside the roots it is refused, inside {@code NOT_FOUND}.
     */
    private static Path withinRoots(Path abs, List<Path> roots, String shown) {
        List<Path> real = roots.stream().map(LocalFiles::realRoot).toList();
        Path resolved;
        try {
            resolved = abs.toRealPath();
        } catch (NoSuchFileException e) {
            if (roots.stream().noneMatch(abs::startsWith) && real.stream().noneMatch(abs::startsWith)) {
                throw outside(shown, roots);
            }
            throw new FetchException(ReasonCode.NOT_FOUND, "no such file: " + shown, e);
        } catch (IOException e) {
            throw cannotRead(shown, e);
        }
        if (real.stream().noneMatch(resolved::startsWith)) {
            throw outside(shown, roots);
        }
        return resolved; // read what was checked, so a symlink swapped in afterwards cannot escape the roots
    }

    /** A root compared with a file's real path must be real too (it may be or contain a symlink). */
    private static Path realRoot(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root;
        }
    }

    private static FetchException outside(String shown, List<Path> roots) {
        return new FetchException(ReasonCode.FETCH_REFUSED, shown + " is outside the allowed file roots " + roots);
    }

    private static FetchException cannotRead(String shown, IOException e) {
        return new FetchException(ReasonCode.FETCH_FAILED, "cannot read " + shown + ": "
                + UriText.forMessage(e.getMessage()), e);
    }
}
