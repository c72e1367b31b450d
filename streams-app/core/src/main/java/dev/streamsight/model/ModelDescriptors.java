package dev.streamsight.model;

import dev.streamsight.image.ChannelOrder;
import dev.streamsight.image.Interpolation;
import dev.streamsight.image.LetterboxAlign;
import dev.streamsight.image.PreprocessSpec;
import dev.streamsight.image.ResizeMode;
import dev.streamsight.image.TensorLayout;
import dev.streamsight.model.internal.DescriptorCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes model descriptors in the JSON format described in
 * {@code streams-app/core/MODEL-DESCRIPTORS.md}, and builds fallback descriptors. Stateless and
 * thread-safe.
 *
 * <p>Reading is strict: an unknown key or a bad value is a {@link ModelException} whose message names
 * the file, the key and why. {@link #write} emits every field, so {@code read(write(d))} equals
 * {@code d}.
 */
public final class ModelDescriptors {
    /** Origin of descriptors built by {@link #imagenetDefault}. */
    public static final String ORIGIN_DEFAULT = "default";

    private ModelDescriptors() {
    }

    /**
     * Reads a descriptor file. A file that omits {@code id} gets the file name without
     * {@code .json}/{@code .onnx}; {@code origin} defaults to {@code "file:<path>"}.
     */
    public static ModelDescriptor read(Path file) {
        String name = file.getFileName().toString();
        String stem = name.replaceFirst("(?i)\\.json$", "").replaceFirst("(?i)\\.onnx(\\.gz)?$", "");
        return read(file, stem, null, "file:" + file);
    }

    /** Reads a descriptor from a stream; {@code source} names it in error messages and the origin. */
    public static ModelDescriptor read(InputStream in, String source) {
        return DescriptorCodec.fromJson(DescriptorCodec.parse(in, source), source, null, null, source);
    }

    /** Reads a descriptor from a stream without a name for messages. */
    public static ModelDescriptor read(InputStream in) {
        return read(in, "<stream>");
    }

    /** Parses descriptor JSON text. */
    public static ModelDescriptor parse(String json, String source) {
        return read(new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                source);
    }

    static ModelDescriptor read(Path file, String defaultId, String defaultFile, String origin) {
        try (InputStream in = Files.newInputStream(file)) {
            return DescriptorCodec.fromJson(DescriptorCodec.parse(in, file.toString()), file.toString(),
                    defaultId, defaultFile, origin);
        } catch (NoSuchFileException e) {
            throw new ModelException(file + ": descriptor file not found", e);
        } catch (IOException e) {
            throw new ModelException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The descriptor as pretty-printed JSON (every field present). */
    public static String write(ModelDescriptor descriptor) {
        return DescriptorCodec.write(DescriptorCodec.toJson(descriptor));
    }

    /**
     * Standard torchvision ImageNet evaluation preprocessing for a {@code width x height} input:
     * resize the shorter side to {@code round(max(width, height) / 0.875)} (256 for 224, 342 for 299),
     * bilinear, centre crop, RGB, /255, ImageNet mean/std, NCHW; labels {@code imagenet}.
     *
     * <p>The score kind is {@link ScoreKind#LOGITS}: a plain classifier may already end in a softmax,
     * which the engine detects from the output (non-negative, summing to 1) and then leaves alone.
     */
    public static ModelDescriptor imagenetDefault(String id, int width, int height) {
        int shortSide = Math.round(Math.max(width, height) / 0.875f);
        PreprocessSpec spec = new PreprocessSpec(width, height, ResizeMode.CENTER_CROP, shortSide,
                LetterboxAlign.CENTER, 0f, Interpolation.BILINEAR, ChannelOrder.RGB, 1f / 255f,
                new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f},
                TensorLayout.NCHW);
        return new ModelDescriptor(id, null, Task.CLASSIFICATION, null, null, null, null, spec,
                ScoreKind.LOGITS, null, "imagenet",
                "ImageNet classifier with default torchvision preprocessing", ORIGIN_DEFAULT);
    }
}
