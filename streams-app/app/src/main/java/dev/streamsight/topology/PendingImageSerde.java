package dev.streamsight.topology;

import dev.streamsight.avro.PendingImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro single-object encoding (a 10-byte header with the writer schema's fingerprint, then Avro
 * binary) for the pending store and its changelog. The store is internal, so no registry is
 * involved; instead every released version of {@code PendingImage} ships in the jar
 * ({@code dev/streamsight/avro/released/PendingImage-v<N>.avsc}) and the decoder knows them all, so
 * a changelog written by an older release is restored with schema resolution after an upgrade.
 * Thread-safe.
 */
public final class PendingImageSerde implements Serde<PendingImage> {
    /** Released schema versions; add the next one here when {@code PendingImage.avsc} changes. */
    private static final int RELEASED_VERSIONS = 1;

    private static final BinaryMessageDecoder<PendingImage> DECODER = decoder();

    private static BinaryMessageDecoder<PendingImage> decoder() {
        BinaryMessageDecoder<PendingImage> d = new BinaryMessageDecoder<>(SpecificData.get(),
                PendingImage.getClassSchema());
        for (int v = 1; v <= RELEASED_VERSIONS; v++) {
            String resource = "/dev/streamsight/avro/released/PendingImage-v" + v + ".avsc";
            try (InputStream in = PendingImage.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing released schema " + resource);
                }
                d.addSchema(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return d;
    }

    @Override
    public Serializer<PendingImage> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                ByteBuffer b = PendingImage.getEncoder().encode(value);
                byte[] out = new byte[b.remaining()];
                b.get(out);
                return out;
            } catch (IOException e) {
                throw new SerializationException("cannot write a pending image", e);
            }
        };
    }

    @Override
    public Deserializer<PendingImage> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return DECODER.decode(bytes);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot read a pending image from the store", e);
            }
        };
    }
}
