package dev.streamsight.topology;

import dev.streamsight.avro.PendingImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Plain Avro binary for the pending store and its changelog. The store is internal to the
 * application, so it needs no registry: its schema ({@code PendingImage.avsc}) evolves under the
 * same BACKWARD rules as the topic schemas, and a changed schema is written as a new record name.
 * Thread-safe.
 */
public final class PendingImageSerde implements Serde<PendingImage> {
    private static final SpecificDatumWriter<PendingImage> WRITER = new SpecificDatumWriter<>(PendingImage.class);

    @Override
    public Serializer<PendingImage> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            try {
                WRITER.write(value, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new SerializationException("cannot write a pending image", e);
            }
            return out.toByteArray();
        };
    }

    @Override
    public Deserializer<PendingImage> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
            try {
                return new SpecificDatumReader<>(PendingImage.class).read(null, decoder);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot read a pending image from the store", e);
            }
        };
    }
}
