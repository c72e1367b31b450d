package dev.streamsight.inference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.image.DecoderOptions;
import dev.streamsight.image.ImageDecoders;
import dev.streamsight.testing.Fixtures;
import dev.streamsight.testing.NativeJpeg;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast JPEG path (libjpeg-turbo, reduced DCT scale where the photo allows) gives the same top-1
 * as the pure-Java decoder on at least 49 of the 50 ImageNet sample photos, through the whole model
 * path; photos larger than twice the resize target are decoded at reduced scale, so both the scaled
 * and the full-size cases are covered.
 */
class FastJpegAgreementTest {
    @TempDir
    Path cache;

    @Test
    void fastAndFallbackAgreeOnTopOne() {
        NativeJpeg.assumeAvailable();
        List<ImageInput> photos = Fixtures.list(Fixtures.imagenetSampleDir()).stream()
                .map(p -> ImageInput.encoded(Fixtures.bytes(p))).toList();
        // Two large photos too, which the fast path decodes at 5/8 scale.
        List<ImageInput> large = List.of(ImageInput.encoded(Fixtures.bytes(Fixtures.photo("winml_cat.jpg"))),
                ImageInput.encoded(Fixtures.bytes(Fixtures.photo("pytorch_hub_dog_samoyed.jpg"))));
        ModelLoader fast = new ModelLoader(TestModels.locator(cache), TestModels.labels(cache),
                ImageDecoders.standard(DecoderOptions.DEFAULTS), EngineOptions.cpu());
        ModelLoader slow = new ModelLoader(TestModels.locator(cache), TestModels.labels(cache),
                ImageDecoders.fallback(DecoderOptions.DEFAULTS), EngineOptions.cpu());
        try (LoadedModel a = fast.load("mobilenetv2-12-int8"); LoadedModel b = slow.load("mobilenetv2-12-int8")) {
            int agree = agreements(a, b, photos);
            assertTrue(agree >= 49, "top-1 agreement " + agree + "/50");
            assertTrue(agreements(a, b, large) == 2, "reduced-scale decodes keep the top-1");
        }
    }

    private static int agreements(LoadedModel a, LoadedModel b, List<ImageInput> images) {
        var x = a.classify(images, 1);
        var y = b.classify(images, 1);
        int agree = 0;
        for (int i = 0; i < images.size(); i++) {
            if (x.get(i).value().top().get(0).index() == y.get(i).value().top().get(0).index()) {
                agree++;
            }
        }
        return agree;
    }
}
