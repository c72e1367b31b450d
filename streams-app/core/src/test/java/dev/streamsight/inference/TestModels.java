package dev.streamsight.inference;

import dev.streamsight.image.DecodeHint;
import dev.streamsight.image.ImageDecoder;
import dev.streamsight.image.RgbImage;
import dev.streamsight.model.LabelResolver;
import dev.streamsight.model.ModelCatalog;
import dev.streamsight.model.ModelLocator;
import dev.streamsight.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Loaders over the shared fixtures, with a minimal javax.imageio decoder for engine tests. */
final class TestModels {
    private TestModels() {
    }

    static ModelLocator locator(Path cache) {
        Path shared = Fixtures.shared();
        return new ModelLocator(List.of(shared.resolve("models"), shared.resolve("models/arch")), cache,
                false, ModelCatalog.builtIn(), (uri, target) -> {
                    throw new IOException("downloads are disabled in tests");
                });
    }

    static LabelResolver labels(Path cache) {
        return new LabelResolver(List.of(Fixtures.shared().resolve("labels")), cache, false,
                (uri, target) -> {
                    throw new IOException("downloads are disabled in tests");
                });
    }

    static ModelLoader loader(Path cache, EngineOptions options) {
        return new ModelLoader(locator(cache), labels(cache), TestModels::decode, options);
    }

    static ImageDecoder decoder() {
        return TestModels::decode;
    }

    private static RgbImage decode(byte[] encoded, DecodeHint hint) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(encoded));
            return rgb(img);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RgbImage photo(String name) {
        try {
            return rgb(ImageIO.read(Fixtures.photo(name).toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RgbImage rgb(BufferedImage img) {
        byte[] px = new byte[img.getWidth() * img.getHeight() * 3];
        int o = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int v = img.getRGB(x, y);
                px[o++] = (byte) (v >> 16);
                px[o++] = (byte) (v >> 8);
                px[o++] = (byte) v;
            }
        }
        return RgbImage.of(img.getWidth(), img.getHeight(), px);
    }
}
