package dev.streamsight.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsTest {
    private static final Downloader NO_NETWORK = (uri, target) -> {
        throw new AssertionError("unexpected download of " + uri);
    };

    @TempDir
    Path tmp;

    @Test
    void imagenetFromTheLabelPath() {
        LabelResolver r = new LabelResolver(List.of(tmp, Fixtures.shared().resolve("labels")),
                tmp.resolve("cache"), false, NO_NETWORK);
        List<String> names = r.resolve("imagenet", null);
        assertEquals(1000, names.size());
        assertEquals("tench", names.get(0));
        assertEquals("toilet tissue", names.get(999));
    }

    @Test
    void coco80ConstantEqualsTheSharedFile() {
        assertEquals(Labels.read(Fixtures.label("coco80.txt")), Labels.COCO80_NAMES);
        assertEquals(80, Labels.COCO80_NAMES.size());
        LabelResolver r = new LabelResolver(List.of(), tmp, false, NO_NETWORK);
        assertEquals(Labels.COCO80_NAMES, r.resolve("coco80", Map.of()));
    }

    @Test
    void csvWinMlFormSplitsOnTheFirstComma() {
        List<String> names = Labels.read(Fixtures.label("imagenet_labels_winml.csv"));
        assertEquals(1000, names.size());
        assertEquals("tench, Tinca tinca", names.get(0));
        assertTrue(names.get(2).startsWith("great white shark, white shark"), names.get(2));
    }

    @Test
    void csvWithGapsIsRejected() throws Exception {
        Path f = tmp.resolve("l.csv");
        Files.writeString(f, "0,a\n2,c\n");
        ModelException e = assertThrows(ModelException.class, () -> Labels.read(f));
        assertTrue(e.getMessage().contains("missing 1"), e.getMessage());
    }

    @Test
    void textFileByRelativeNameOnTheLabelPath() throws Exception {
        Files.writeString(tmp.resolve("mine.txt"), "cat\r\ndog\n\n");
        LabelResolver r = new LabelResolver(List.of(tmp), tmp.resolve("cache"), false, NO_NETWORK);
        assertEquals(List.of("cat", "dog"), r.resolve("mine.txt", null));
        assertEquals(List.of("cat", "dog"), r.resolve(tmp.resolve("mine.txt").toString(), null));
    }

    @Test
    void metadataNames() {
        LabelResolver r = new LabelResolver(List.of(), tmp, false, NO_NETWORK);
        assertEquals(List.of("person", "bicycle"), r.resolve("metadata", Map.of("names", "{0: 'person', 1: 'bicycle'}")));
        ModelException e = assertThrows(ModelException.class, () -> r.resolve("metadata", Map.of()));
        assertTrue(e.getMessage().contains("names"), e.getMessage());
    }

    @Test
    void notFoundNamesEveryPlace() {
        Path a = tmp.resolve("a");
        LabelResolver r = new LabelResolver(List.of(a), tmp.resolve("cache"), false, NO_NETWORK);
        ModelException e = assertThrows(ModelException.class, () -> r.resolve("imagenet", null));
        assertTrue(e.getMessage().contains(a.resolve("imagenet_classes.txt").toString()), e.getMessage());
        assertTrue(e.getMessage().contains(tmp.resolve("cache/labels/imagenet_classes.txt").toString()));
        assertTrue(e.getMessage().contains("download: disabled"), e.getMessage());
        ModelException f = assertThrows(ModelException.class, () -> r.resolve("nope.txt", null));
        assertTrue(f.getMessage().contains(a.resolve("nope.txt").toString()), f.getMessage());
    }

    @Test
    void imagenetDownloadIsVerifiedAndCached() {
        Downloader fromShared = (uri, target) -> {
            assertEquals(Labels.IMAGENET_URL, uri.toString());
            Files.copy(Fixtures.label("imagenet_classes.txt"), target, StandardCopyOption.REPLACE_EXISTING);
        };
        LabelResolver r = new LabelResolver(List.of(), tmp.resolve("cache"), true, fromShared);
        assertEquals(1000, r.resolve("imagenet", null).size());
        assertTrue(Files.isRegularFile(tmp.resolve("cache/labels/imagenet_classes.txt")));
        LabelResolver cached = new LabelResolver(List.of(), tmp.resolve("cache"), false, NO_NETWORK);
        assertEquals("toilet tissue", cached.resolve("imagenet", null).get(999));

        Downloader tampered = (uri, target) -> Files.writeString(target, "tench\n");
        LabelResolver bad = new LabelResolver(List.of(), tmp.resolve("cache2"), true, tampered);
        ModelException e = assertThrows(ModelException.class, () -> bad.resolve("imagenet", null));
        assertTrue(e.getMessage().contains("sha256 mismatch"), e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("cache2/labels/imagenet_classes.txt")));
    }

    @Test
    void environmentAddsModelPathAndLabelsSibling() {
        LabelResolver r = LabelResolver.fromEnvironment(Map.of(
                "STREAMSIGHT_LABEL_PATH", "/l", "STREAMSIGHT_MODEL_PATH", "/s/models", "STREAMSIGHT_OFFLINE", "1"));
        assertEquals(List.of(Path.of("/l"), Path.of("/s/models"), Path.of("/s/labels")), r.labelPath());
    }
}
