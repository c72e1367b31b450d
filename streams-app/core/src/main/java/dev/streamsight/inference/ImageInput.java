package dev.streamsight.inference;

import dev.streamsight.image.RgbImage;
import java.util.Objects;

/** One image handed to a model: encoded bytes (decoded by the model's pipeline) or pixels. */
public sealed interface ImageInput {

    /** Encoded image file bytes (JPEG, PNG, ...); decoded at the scale the model needs. */
    record Encoded(byte[] bytes) implements ImageInput {
        public Encoded {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** Already decoded pixels. */
    record Decoded(RgbImage image) implements ImageInput {
        public Decoded {
            Objects.requireNonNull(image, "image");
        }
    }

    static ImageInput encoded(byte[] bytes) {
        return new Encoded(bytes);
    }

    static ImageInput decoded(RgbImage image) {
        return new Decoded(image);
    }
}
