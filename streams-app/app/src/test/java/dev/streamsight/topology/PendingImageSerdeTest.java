package dev.streamsight.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.ImageRef;
import dev.streamsight.avro.Lineage;
import dev.streamsight.avro.PendingHeader;
import dev.streamsight.avro.PendingImage;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class PendingImageSerdeTest {
    private final PendingImageSerde serde = new PendingImageSerde();

    @Test
    void roundTripsWithTheSingleObjectHeader() {
        PendingImage p = new PendingImage(ImageEvent.newBuilder().setId("e1")
                .setImage(new ImageRef("file:///tmp/a.jpg")).build(), new Lineage("images", 2, 42L), 1234L, 5678L,
                List.of(new PendingHeader("trace", ByteBuffer.wrap(new byte[] {7})), new PendingHeader("empty", null)));
        byte[] bytes = serde.serializer().serialize("changelog", p);
        // Avro single-object encoding: marker C3 01, then the schema's 8-byte fingerprint.
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        assertEquals(p, serde.deserializer().deserialize("changelog", bytes));
    }

    @Test
    void unknownBytesAreASerializationError() {
        assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("changelog", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
    }
}
