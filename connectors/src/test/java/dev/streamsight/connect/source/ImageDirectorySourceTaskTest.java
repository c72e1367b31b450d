package dev.streamsight.connect.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDirectorySourceTaskTest {

    private static final Instant OLD = Instant.parse("2026-01-01T00:00:00Z");
    private static final Clock LATER = Clock.fixed(OLD.plusSeconds(3600), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void emitsMatchingFilesRecursivelyWithContentHashIds() throws Exception {
        Path a = write("a.jpg", "alpha");
        write("notes.txt", "skip me");
        Path c = write("sub/deeper/c.PNG", "charlie");

        List<SourceRecord> records = pollAll(task(Map.of()));
        assertEquals(Set.of(a.toUri().toString(), c.toUri().toString()), uris(records));
        SourceRecord first = records.stream().filter(r -> uri(r).equals(a.toUri().toString())).findFirst().orElseThrow();
        Struct value = (Struct) first.value();
        assertEquals(sha256("alpha"), value.getString("id"));
        assertEquals(sha256("alpha"), first.key());
        assertEquals("image/jpeg", value.getString("contentType"));
        assertEquals("5", value.<String, String>getMap("attributes").get("size"));
        assertEquals(OLD.toString(), value.<String, String>getMap("attributes").get("modified"));
        assertEquals(java.util.Date.from(OLD), value.get("sourceTimestamp"));
        assertNull(value.get("models"));
        assertEquals(Map.of("uri", a.toUri().toString()), first.sourcePartition());
        assertEquals(Map.of("size", 5L, "mtime", OLD.toEpochMilli(), "sha256", sha256("alpha")), first.sourceOffset());
        assertEquals("images", first.topic());
    }

    @Test
    void nonRecursiveAndRelativeGlobs() throws Exception {
        Path a = write("a.jpg", "alpha");
        Path b = write("cam1/b.jpg", "bravo");
        write("cam2/c.jpg", "charlie");
        assertEquals(Set.of(a.toUri().toString()), uris(pollAll(task(Map.of("recursive", "false")))));
        assertEquals(Set.of(b.toUri().toString()), uris(pollAll(task(Map.of("file.glob", "cam1/*.jpg")))));
    }

    @Test
    void filesYoungerThanTheMinimumAgeWaitUntilTheySettle() throws Exception {
        Path fresh = write("fresh.jpg", "still being written");
        Files.setLastModifiedTime(fresh, FileTime.from(OLD.plusSeconds(3590)));
        ImageDirectorySourceTask task = task(Map.of("min.file.age.ms", "60000"));
        assertTrue(pollAll(task).isEmpty());
        Files.setLastModifiedTime(fresh, FileTime.from(OLD));
        assertEquals(1, pollAll(task).size());
        assertTrue(pollAll(task).isEmpty(), "emitted once");
    }

    @Test
    void committedOffsetsAreNotEmittedAgainButRewrittenFilesAre() throws Exception {
        Path done = write("done.jpg", "already sent");
        Path rewritten = write("rewritten.jpg", "old content");
        Path fresh = write("new.jpg", "never sent");
        Map<Map<String, ?>, Map<String, Object>> stored = new HashMap<>();
        stored.put(Map.of("uri", done.toUri().toString()), Map.of("size", 12L, "mtime", OLD.toEpochMilli(), "sha256", "x"));
        stored.put(Map.of("uri", rewritten.toUri().toString()), Map.of("size", 3L, "mtime", OLD.toEpochMilli(), "sha256", "y"));
        ImageDirectorySourceTask task = new ImageDirectorySourceTask(LATER, ImageDirectorySourceTaskTest::open);
        task.initialize(context(stored));
        task.start(config(Map.of()));
        assertEquals(Set.of(rewritten.toUri().toString(), fresh.toUri().toString()), uris(pollAll(task)));
    }

    @Test
    void tasksSplitTheFilesDeterministicallyWithoutOverlap() throws Exception {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            all.add(write("d" + (i % 3) + "/img" + i + ".jpg", "content " + i).toUri().toString());
        }
        Set<String> seen = new HashSet<>();
        for (int index = 0; index < 3; index++) {
            Set<String> share = uris(pollAll(task(Map.of("task.index", Integer.toString(index), "task.count", "3"))));
            assertTrue(share.size() > 5, "each task gets a share: " + share.size());
            for (String uri : share) {
                assertTrue(seen.add(uri), "emitted by two tasks: " + uri);
            }
            assertEquals(share, uris(pollAll(task(Map.of("task.index", Integer.toString(index), "task.count", "3")))),
                    "the same split on every start");
        }
        assertEquals(all, seen);
    }

    @Test
    void connectorGivesEachTaskItsIndex() {
        ImageDirectorySourceConnector connector = new ImageDirectorySourceConnector();
        connector.start(Map.of("directories", dir.toString()));
        List<Map<String, String>> configs = connector.taskConfigs(3);
        assertEquals(List.of("0", "1", "2"), configs.stream().map(c -> c.get("task.index")).toList());
        assertTrue(configs.stream().allMatch(c -> c.get("task.count").equals("3")));
        assertThrows(ConfigException.class, () -> connector.start(Map.of("directories", "relative/dir")));
    }

    @Test
    void symbolicLinksOutOfTheDirectoryAreNotFollowed(@TempDir Path outside) throws Exception {
        Path secret = outside.resolve("secret.jpg");
        Files.writeString(secret, "outside");
        Files.setLastModifiedTime(secret, FileTime.from(OLD));
        Files.createSymbolicLink(dir.resolve("escape.jpg"), secret);
        Files.createDirectories(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("sub/outside-dir"), outside);
        Path inside = write("inside.jpg", "inside");
        Files.createSymbolicLink(dir.resolve("alias.jpg"), inside);

        List<SourceRecord> records = pollAll(task(Map.of()));
        assertEquals(List.of(inside.toRealPath().toUri().toString()), records.stream().map(ImageDirectorySourceTaskTest::uri).toList());
    }

    @Test
    void unreadableFilesAreSkippedAndReadOnceTheyCanBe() throws Exception {
        Path locked = write("locked.jpg", "locked");
        Path open = write("open.jpg", "open");
        AtomicBoolean denied = new AtomicBoolean(true);
        ImageDirectorySourceTask task = new ImageDirectorySourceTask(LATER, file -> {
            if (denied.get() && file.path().getFileName().toString().equals("locked.jpg")) {
                throw new AccessDeniedException(file.path().toString());
            }
            return open(file);
        });
        task.start(config(Map.of()));
        assertEquals(Set.of(open.toUri().toString()), uris(pollAll(task)));
        assertTrue(pollAll(task).isEmpty());
        denied.set(false);
        assertEquals(Set.of(locked.toUri().toString()), uris(pollAll(task)));
    }

    @Test
    void aFileThatChangesWhileHashedIsLeftForTheNextScan() throws Exception {
        Path growing = write("growing.jpg", "part");
        AtomicBoolean append = new AtomicBoolean(true);
        ImageDirectorySourceTask task = new ImageDirectorySourceTask(LATER, file -> {
            if (append.getAndSet(false)) {
                Files.writeString(file.path(), "part and more", java.nio.file.StandardOpenOption.APPEND);
                Files.setLastModifiedTime(file.path(), FileTime.from(OLD.plusSeconds(1)));
            }
            return open(file);
        });
        task.start(config(Map.of()));
        assertTrue(pollAll(task).isEmpty());
        List<SourceRecord> records = pollAll(task);
        assertEquals(1, records.size());
        assertEquals(sha256("partpart and more"), records.getFirst().key());
        assertEquals(Files.size(growing), records.getFirst().sourceOffset().get("size"));
    }

    @Test
    void largeFilesAreHashedAsStreams() throws Exception {
        Path big = dir.resolve("big.jpg");
        byte[] chunk = new byte[1 << 20];
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var out = Files.newOutputStream(big)) {
            for (int i = 0; i < 48; i++) {
                java.util.Arrays.fill(chunk, (byte) i);
                out.write(chunk);
                digest.update(chunk);
            }
        }
        Files.setLastModifiedTime(big, FileTime.from(OLD));
        try (InputStream in = Files.newInputStream(big)) {
            assertEquals(HexFormat.of().formatHex(digest.digest()), ContentHash.sha256(in));
        }
    }

    @Test
    void batchesAreLimitedAndTheRestFollowsWithoutANewScan() throws Exception {
        for (int i = 0; i < 7; i++) {
            write("img" + i + ".jpg", "content " + i);
        }
        ImageDirectorySourceTask task = task(Map.of("batch.max.files", "3"));
        assertEquals(3, task.poll().size());
        assertEquals(3, task.poll().size());
        assertEquals(1, task.poll().size());
    }

    @Test
    void modelsAreWrittenIntoEveryEvent() throws Exception {
        write("a.jpg", "alpha");
        SourceRecord record = pollAll(task(Map.of("models", "yolox-nano, mobilenetv2-12-int8"))).getFirst();
        assertEquals(List.of("yolox-nano", "mobilenetv2-12-int8"), ((Struct) record.value()).getArray("models"));
    }

    // --- helpers ---

    private ImageDirectorySourceTask task(Map<String, String> overrides) {
        ImageDirectorySourceTask task = new ImageDirectorySourceTask(LATER, ImageDirectorySourceTaskTest::open);
        task.initialize(context(Map.of()));
        task.start(config(overrides));
        return task;
    }

    private Map<String, String> config(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>(Map.of("directories", dir.toString(), "min.file.age.ms", "1000",
                "poll.interval.ms", "10"));
        props.putAll(overrides);
        return props;
    }

    /** Everything one scan yields (polls until the task has nothing more from that scan). */
    private static List<SourceRecord> pollAll(ImageDirectorySourceTask task) throws InterruptedException {
        List<SourceRecord> all = new ArrayList<>();
        List<SourceRecord> batch = task.poll();
        while (batch != null) {
            all.addAll(batch);
            batch = task.poll();
        }
        return all;
    }

    private Path write(String name, String content) throws IOException {
        Path path = dir.resolve(name);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        Files.setLastModifiedTime(path, FileTime.from(OLD));
        return path;
    }

    private static InputStream open(ImageFile file) throws IOException {
        return Files.newInputStream(file.path());
    }

    private static Set<String> uris(List<SourceRecord> records) {
        Set<String> uris = new HashSet<>();
        records.forEach(r -> uris.add(uri(r)));
        assertEquals(records.size(), uris.size(), "no file twice");
        return uris;
    }

    private static String uri(SourceRecord record) {
        return ((Struct) record.value()).getStruct("image").getStruct("ImageRef").getString("uri");
    }

    private static String sha256(String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes()));
    }

    private static SourceTaskContext context(Map<Map<String, ?>, Map<String, Object>> stored) {
        OffsetStorageReader reader = new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return stored.get(partition);
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                Map<Map<String, T>, Map<String, Object>> found = new HashMap<>();
                partitions.forEach(p -> found.put(p, stored.get(p)));
                return found;
            }
        };
        return new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return Map.of();
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return reader;
            }

            @Override
            public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
                return null;
            }
        };
    }
}
