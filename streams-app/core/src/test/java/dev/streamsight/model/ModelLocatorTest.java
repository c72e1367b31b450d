package dev.streamsight.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.streamsight.image.ChannelOrder;
import dev.streamsight.image.PreprocessSpec;
import dev.streamsight.model.internal.Files2;
import dev.streamsight.postprocess.DetectionDecoderSpec;
import dev.streamsight.postprocess.DetectionFormat;
import dev.streamsight.testing.Fixtures;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLocatorTest {
    private static final Map<String, String> FIXTURES = Map.of(
            "mobilenetv2-12-int8", "mobilenetv2-12-int8.onnx",
            "squeezenet1.0-fp16", "SqueezeNet_fp16.onnx",
            "yolox-nano", "yolox_nano.onnx",
            "yolov8n-int8", "yolov8n_int8.onnx",
            "nanodet-m-416", "nanodet_m_416.onnx");
    private static final Downloader NO_NETWORK = (uri, target) -> {
        throw new AssertionError("unexpected download of " + uri);
    };

    @TempDir
    Path tmp;
    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private Path modelDir() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("models"));
        for (String f : FIXTURES.values()) {
            Files.createSymbolicLink(dir.resolve(f), Fixtures.model(f));
        }
        return dir;
    }

    private ModelLocator locator(List<Path> path, boolean download, ModelCatalog catalog, Downloader d) {
        return new ModelLocator(path, tmp.resolve("cache"), download, catalog, d);
    }

    @Test
    void resolvesEveryFixtureByIdAndVerifiesReadmeChecksums() throws Exception {
        Path dir = modelDir();
        ModelLocator loc = locator(List.of(tmp.resolve("empty"), dir), true, ModelCatalog.builtIn(), NO_NETWORK);
        for (Map.Entry<String, String> e : FIXTURES.entrySet()) {
            ModelSource src = loc.locate(e.getKey());
            assertEquals(dir.resolve(e.getValue()), src.file());
            assertEquals(e.getKey(), src.descriptor().id());
            assertTrue(src.checksumMatches(), e.getKey() + " sha " + src.sha256());
            assertEquals(ModelCatalog.builtIn().find(e.getKey()).orElseThrow().sha256(), src.sha256());
            assertTrue(src.searched().getFirst().contains("empty"), src.searched().toString());
            assertTrue(src.searched().getLast().endsWith("(found)"));
        }
    }

    @Test
    void resolvesByPathWithCatalogMatchBySha() {
        ModelLocator loc = locator(List.of(), false, ModelCatalog.builtIn(), NO_NETWORK);
        Path p = Fixtures.model("yolox_nano.onnx");
        ModelSource src = loc.locate(p.toString());
        assertEquals(p, src.file());
        assertEquals("yolox-nano", src.descriptor().id());
        assertEquals("695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14", src.sha256());
    }

    @Test
    void pathWithoutDescriptorGivesNullAndSidecarOverrides() throws Exception {
        Path model = tmp.resolve("mine.onnx");
        Files.writeString(model, "not really onnx");
        ModelLocator loc = locator(List.of(), false, ModelCatalog.builtIn(), NO_NETWORK);
        ModelSource bare = loc.locate(model.toString());
        assertNull(bare.descriptor());
        assertFalse(bare.checksumMatches());
        assertTrue(bare.searched().stream().anyMatch(s -> s.contains("mine.json (absent)")));

        Files.writeString(tmp.resolve("mine.onnx.json"), """
                {"task":"classification","input":{"size":[160,160]},
                 "preprocess":{"channels":"bgr","scale":1},"labels":"imagenet"}""");
        ModelSource withSidecar = loc.locate(model.toString());
        assertEquals("mine", withSidecar.descriptor().id());
        assertEquals("mine.onnx", withSidecar.descriptor().file());
        assertEquals(ChannelOrder.BGR, withSidecar.descriptor().preprocess().channels());
        assertTrue(withSidecar.descriptor().origin().startsWith("sidecar:"));
    }

    @Test
    void sidecarOverridesCatalogForAKnownFile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("m"));
        Files.createSymbolicLink(dir.resolve("yolox_nano.onnx"), Fixtures.model("yolox_nano.onnx"));
        Files.writeString(dir.resolve("yolox_nano.json"), """
                {"id":"my-yolox","task":"detection","input":{"size":640},
                 "preprocess":{"resize":"letterbox","align":"top_left","channels":"bgr","scale":1},
                 "detection":{"format":"yolox"},"labels":"coco80"}""");
        ModelSource src = locator(List.of(), false, ModelCatalog.builtIn(), NO_NETWORK)
                .locate(dir.resolve("yolox_nano.onnx").toString());
        assertEquals("my-yolox", src.descriptor().id());
        assertEquals(640, src.descriptor().preprocess().width());
    }

    @Test
    void explicitDescriptorFileWins() throws Exception {
        Path desc = tmp.resolve("d.json");
        Files.writeString(desc, """
                {"id":"explicit","task":"classification","file":"SqueezeNet_fp16.onnx","input":{"size":224},
                 "output":{"scores":"probabilities"}}""");
        ModelSource src = locator(List.of(modelDir()), false, ModelCatalog.builtIn(), NO_NETWORK)
                .locate("whatever", desc);
        assertEquals("explicit", src.descriptor().id());
        assertTrue(src.file().endsWith("SqueezeNet_fp16.onnx"));
    }

    @Test
    void gzArchitectureIsDecompressedOnceIntoTheCache() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("arch"));
        Path gz = Fixtures.archModel("mobilenet_v2.onnx.gz");
        Files.createSymbolicLink(dir.resolve("mobilenet_v2.onnx.gz"), gz);
        ModelLocator loc = locator(List.of(dir), false, ModelCatalog.builtIn(), NO_NETWORK);

        ModelSource first = loc.locate("mobilenet-v2");
        String sha = Files2.sha256(gz);
        assertEquals(sha, first.sha256());
        assertTrue(first.checksumMatches());
        assertEquals(tmp.resolve("cache/unpacked/mobilenet_v2-" + sha.substring(0, 16) + ".onnx"),
                first.file());
        assertEquals(14_000_000, Files.size(first.file()), 100_000);
        byte[] head = new byte[2];
        try (var in = Files.newInputStream(first.file())) {
            assertEquals(2, in.read(head));
        }
        assertFalse(head[0] == (byte) 0x1f && head[1] == (byte) 0x8b, "still gzipped");
        assertEquals(232, first.descriptor().preprocess().resizeShortSide());

        FileTime marker = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(first.file(), marker);
        ModelSource second = loc.locate("mobilenet_v2");
        assertEquals(first.file(), second.file());
        assertEquals(marker, Files.getLastModifiedTime(second.file()), "decompressed again");
        try (var s = Files.list(first.file().getParent())) {
            assertEquals(1, s.count(), "no temp files left");
        }
        ModelSource byPath = loc.locate(dir.resolve("mobilenet_v2.onnx.gz").toString());
        assertEquals(first.file(), byPath.file());
        assertEquals("mobilenet-v2", byPath.descriptor().id());
    }

    @Test
    void notFoundListsEveryPlaceLooked() {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        ModelLocator loc = locator(List.of(a, b), true, ModelCatalog.builtIn(), NO_NETWORK);
        ModelException e = assertThrows(ModelException.class, () -> loc.locate("yolov8s"));
        String m = e.getMessage();
        for (Path dir : List.of(a, b, tmp.resolve("cache/models"))) {
            assertTrue(m.contains(dir.resolve("yolov8s.onnx").toAbsolutePath().toString()), m);
            assertTrue(m.contains(dir.resolve("yolov8s.onnx.gz").toAbsolutePath().toString()), m);
        }
        assertTrue(m.contains("download: no URL in catalog"), m);

        ModelLocator offline = locator(List.of(a), false, ModelCatalog.builtIn(), NO_NETWORK);
        ModelException off = assertThrows(ModelException.class, () -> offline.locate("resnet50-v1-7"));
        assertTrue(off.getMessage().contains("download: disabled"), off.getMessage());
        assertTrue(off.getMessage().contains(a.resolve("resnet50-v1-7.onnx").toAbsolutePath().toString()));

        ModelException unknown = assertThrows(ModelException.class, () -> offline.locate("frobnicator"));
        assertTrue(unknown.getMessage().contains("not in the catalog"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("frobnicator.onnx"), unknown.getMessage());

        ModelException missingPath = assertThrows(ModelException.class,
                () -> offline.locate(tmp.resolve("nope.onnx").toString()));
        assertTrue(missingPath.getMessage().contains("nope.onnx (absent)"), missingPath.getMessage());
    }

    private String serve(byte[] body) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/files/model.onnx", ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", "/files/model.onnx");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static ModelCatalog catalogWith(String url, String sha) {
        return ModelCatalog.of(List.of(new ModelDescriptor("tiny", "1", Task.DETECTION, "tiny.onnx", url, sha,
                null, PreprocessSpec.imagenet(224, 256), null, DetectionDecoderSpec.of(DetectionFormat.YOLOV8),
                "coco80", "test", "catalog")));
    }

    @Test
    void downloadsThroughHttpAndVerifiesSha() throws Exception {
        byte[] body = "pretend this is an onnx graph".getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        String base = serve(body);
        Downloader http = Downloader.http(Duration.ofSeconds(5), Duration.ofSeconds(10));
        ModelLocator loc = locator(List.of(tmp.resolve("none")), true, catalogWith(base + "/moved", sha), http);
        ModelSource src = loc.locate("tiny");
        assertEquals(tmp.resolve("cache/models/tiny.onnx"), src.file());
        assertEquals(sha, src.sha256());
        assertTrue(src.checksumMatches());
        assertTrue(src.searched().getLast().startsWith("download " + base), src.searched().toString());

        AtomicInteger calls = new AtomicInteger();
        Downloader counting = (uri, target) -> {
            calls.incrementAndGet();
            http.download(uri, target);
        };
        ModelSource again = locator(List.of(), true, catalogWith(base + "/moved", sha), counting).locate("tiny");
        assertEquals(src.file(), again.file());
        assertEquals(0, calls.get(), "found in the cache, not downloaded again");
    }

    @Test
    void shaMismatchDeletesTheDownload() throws Exception {
        byte[] body = "tampered".getBytes(StandardCharsets.UTF_8);
        String base = serve(body);
        String wrong = "0".repeat(64);
        ModelLocator loc = locator(List.of(), true, catalogWith(base + "/files/model.onnx", wrong),
                Downloader.http(Duration.ofSeconds(5), Duration.ofSeconds(10)));
        ModelException e = assertThrows(ModelException.class, () -> loc.locate("tiny"));
        String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        assertTrue(e.getMessage().contains("expected " + wrong), e.getMessage());
        assertTrue(e.getMessage().contains("actual " + actual), e.getMessage());
        try (var s = Files.list(tmp.resolve("cache/models"))) {
            assertEquals(0, s.count(), "nothing left behind");
        }
    }

    @Test
    void httpErrorIsReportedWithThePlacesLooked() throws Exception {
        String base = serve(new byte[0]);
        ModelLocator loc = locator(List.of(tmp.resolve("d")), true, catalogWith(base + "/missing.onnx", null),
                Downloader.http(Duration.ofSeconds(5), Duration.ofSeconds(10)));
        ModelException e = assertThrows(ModelException.class, () -> loc.locate("tiny"));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains(tmp.resolve("d/tiny.onnx").toString()), e.getMessage());
    }

    @Test
    void offlineNeverDownloads() {
        ModelLocator loc = locator(List.of(), false, catalogWith("http://127.0.0.1:9/x.onnx", null), NO_NETWORK);
        ModelException e = assertThrows(ModelException.class, () -> loc.locate("tiny"));
        assertTrue(e.getMessage().contains("download: disabled"), e.getMessage());
    }

    @Test
    void aModelFileWhoseSha256IsNotTheDescriptorsIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bad-models"));
        byte[] real = Files.readAllBytes(Fixtures.model("mobilenetv2-12-int8.onnx"));
        // A truncated copy under the catalog's file name: the catalog's digest does not match.
        Files.write(dir.resolve("mobilenetv2-12-int8.onnx"), java.util.Arrays.copyOf(real, real.length / 2));
        ModelLocator loc = locator(List.of(dir), false, ModelCatalog.builtIn(), NO_NETWORK);
        ModelException e = assertThrows(ModelException.class, () -> loc.locate("mobilenetv2-12-int8"));
        assertTrue(e.getMessage().startsWith("model 'mobilenetv2-12-int8': file ")
                && e.getMessage().contains("expects 83530ad8") && e.getMessage().contains("truncated, corrupt"),
                e.getMessage());
        // A sidecar descriptor with a digest is checked too, by id and by path.
        Files.copy(Fixtures.model("mobilenetv2-12-int8.onnx"), dir.resolve("mine.onnx"));
        Files.writeString(dir.resolve("mine.json"), """
                {"id":"mine","task":"classification","file":"mine.onnx","sha256":"%s",
                 "input":{"size":[224,224]},"output":{"scores":"logits"},"labels":"imagenet"}
                """.formatted("0".repeat(64)));
        e = assertThrows(ModelException.class, () -> loc.locate("mine"));
        assertTrue(e.getMessage().startsWith("model 'mine': file ") && e.getMessage().contains("sidecar"),
                e.getMessage());
        e = assertThrows(ModelException.class, () -> loc.locate(dir.resolve("mine.onnx").toString()));
        assertTrue(e.getMessage().contains("expects " + "0".repeat(64)), e.getMessage());
    }

    @Test
    void aDescriptorWithoutItsModelFileSaysSo() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("descriptor-only"));
        Files.writeString(dir.resolve("lonely.json"), """
                {"id":"lonely","task":"classification","file":"lonely.onnx",
                 "input":{"size":[224,224]},"output":{"scores":"logits"},"labels":"imagenet"}
                """);
        ModelLocator loc = locator(List.of(dir), false, ModelCatalog.builtIn(), NO_NETWORK);
        ModelException e = assertThrows(ModelException.class, () -> loc.locate("lonely"));
        assertTrue(e.getMessage().startsWith("model 'lonely' (descriptor " + dir.resolve("lonely.json")
                + " found, its model file lonely.onnx missing) not found."), e.getMessage());
    }

    @Test
    void environmentIsRead() {
        ModelLocator loc = ModelLocator.fromEnvironment(Map.of(
                "STREAMSIGHT_MODEL_PATH", "/x/models::/y", "STREAMSIGHT_CACHE_DIR", "/c",
                "STREAMSIGHT_OFFLINE", "true"));
        assertEquals(List.of(Path.of("/x/models"), Path.of("/y")), loc.modelPath());
        assertEquals(Path.of("/c"), loc.cacheDir());
        assertFalse(loc.allowDownload());
        ModelLocator dflt = ModelLocator.fromEnvironment(Map.of());
        assertTrue(dflt.allowDownload());
        assertNotNull(dflt.cacheDir());
        assertTrue(dflt.cacheDir().endsWith(Path.of(".cache", "streamsight")));
    }
}
