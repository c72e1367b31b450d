package dev.streamsight.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where a broker keeps its files: {@code server.properties}, the data directory ({@code log.dirs})
 * and, for a child JVM, its console output. A temporary directory is deleted by {@link #delete()};
 * a directory the caller chose is kept.
 */
record BrokerLayout(Path root, boolean temporary) {

    static BrokerLayout create(Path chosen) {
        try {
            if (chosen != null) {
                return new BrokerLayout(Files.createDirectories(chosen.toAbsolutePath()), false);
            }
            return new BrokerLayout(Files.createTempDirectory("streamsight-kafka-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the broker directory", e);
        }
    }

    Path serverProperties() {
        return root.resolve("server.properties");
    }

    Path dataDir() {
        return root.resolve("data");
    }

    Path consoleLog() {
        return root.resolve("broker.log");
    }

    /** Deletes the directory if it is temporary; best effort, returns whether it is gone. */
    boolean delete() {
        if (!temporary) {
            return false;
        }
        try {
            deleteRecursively(root);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // vanished while walking (a segment being deleted)
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteIfExists(Path p) throws IOException {
        try {
            Files.deleteIfExists(p);
        } catch (NoSuchFileException ignored) {
            // already gone
        }
    }
}
