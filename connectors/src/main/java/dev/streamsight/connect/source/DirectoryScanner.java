package dev.streamsight.connect.source;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the image files under the configured directories: regular files that match the glob, at any
 * depth when recursive. Symbolic links to directories are not followed; a symbolic link to a file is
 * taken only when its target lies inside the same configured directory (by real path), and then as
 * its target. Directories and files that cannot be read are logged once and skipped. The result is
 * sorted by modification time, then URI, so files are emitted roughly in arrival order.
 *
 * <p>Not thread-safe: one per task, used from the task's thread.
 */
final class DirectoryScanner {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryScanner.class);

    private final List<Path> roots;
    private final PathMatcher matcher;
    private final boolean matchRelativePath;
    private final boolean recursive;
    private final WarnOnce warnings = new WarnOnce(LOG);

    DirectoryScanner(List<Path> roots, String glob, boolean recursive) {
        this.roots = List.copyOf(roots);
        this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        this.matchRelativePath = glob.contains("/");
        this.recursive = recursive;
    }

    /** The matching files now present, each once (by URI). */
    List<ImageFile> scan() {
        Map<String, ImageFile> found = new LinkedHashMap<>();
        for (Path root : roots) {
            Path realRoot;
            try {
                realRoot = root.toRealPath();
            } catch (IOException e) {
                warnings.warn("root:" + root, "Directory {} cannot be scanned: {}", root, describe(e));
                continue;
            }
            if (!Files.isDirectory(realRoot)) {
                warnings.warn("root:" + root, "{} is not a directory; nothing is read from it", root);
                continue;
            }
            try {
                Files.walkFileTree(realRoot, EnumSet.noneOf(java.nio.file.FileVisitOption.class),
                        recursive ? Integer.MAX_VALUE : 1, new Visitor(realRoot, found));
            } catch (IOException e) {
                warnings.warn("root:" + root, "Directory {} cannot be scanned: {}", root, describe(e));
            }
        }
        warnings.endRound();
        List<ImageFile> files = new ArrayList<>(found.values());
        files.sort(Comparator.comparingLong(ImageFile::modifiedMs).thenComparing(f -> f.uri().toString()));
        return files;
    }

    private final class Visitor implements FileVisitor<Path> {
        private final Path realRoot;
        private final Map<String, ImageFile> found;

        Visitor(Path realRoot, Map<String, ImageFile> found) {
            this.realRoot = realRoot;
            this.found = found;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            Path relative = realRoot.relativize(file);
            if (!matcher.matches(matchRelativePath ? relative : file.getFileName())) {
                return FileVisitResult.CONTINUE;
            }
            try {
                if (attrs.isRegularFile()) {
                    add(file, attrs);
                } else if (attrs.isSymbolicLink()) {
                    Path target = file.toRealPath();
                    if (!target.startsWith(realRoot)) {
                        warnings.warn("link:" + file, "Skipping {}: it links to {}, outside {}", file, target, realRoot);
                    } else {
                        BasicFileAttributes targetAttrs = Files.readAttributes(target, BasicFileAttributes.class,
                                LinkOption.NOFOLLOW_LINKS);
                        if (targetAttrs.isRegularFile()) {
                            add(target, targetAttrs);
                        }
                    }
                }
            } catch (NoSuchFileException e) {
                // Deleted (or a dangling link) between listing and reading: nothing to emit.
            } catch (IOException e) {
                warnings.warn("file:" + file, "Skipping {}: {}", file, describe(e));
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            if (!(e instanceof NoSuchFileException)) {
                warnings.warn("file:" + file, "Skipping {}: {}", file, describe(e));
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            if (e != null) {
                warnings.warn("dir:" + dir, "Directory {} was not fully listed: {}", dir, describe(e));
            }
            return FileVisitResult.CONTINUE;
        }

        private void add(Path path, BasicFileAttributes attrs) {
            ImageFile image = new ImageFile(path, path.toUri(), attrs.size(), attrs.lastModifiedTime().toMillis());
            found.putIfAbsent(image.uri().toString(), image);
        }
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
