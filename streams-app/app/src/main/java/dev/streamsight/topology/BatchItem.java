package dev.streamsight.topology;

import dev.streamsight.StreamsightException;
import dev.streamsight.avro.ImageEvent;
import dev.streamsight.avro.InlineImage;
import dev.streamsight.avro.PendingImage;
import dev.streamsight.fetch.UriText;
import dev.streamsight.image.RgbImage;
import java.nio.ByteBuffer;

/**
 * One image on its way through a batch: fetched bytes, then decoded pixels, with the memory they
 * hold reserved in the {@link DecodeBudget}; or the reason it failed, for its dead letter. Used by
 * one stream thread (the decode writes {@link #image} and {@link #decodeError} from a pool thread,
 * joined before they are read).
 */
final class BatchItem {
    final PendingImage pending;
    byte[] bytes;
    RgbImage image;
    double fetchMs;
    double decodeMs;
    Throwable decodeError;
    DecodeBudget.Reservation memory;
    private String failureCode;
    private String failureMessage;
    private Stage failureStage;

    BatchItem(PendingImage pending) {
        this.pending = pending;
    }

    ImageEvent event() {
        return pending.getEvent();
    }

    /** The bytes of an inline image, null for a reference. */
    ByteBuffer inlineBytes() {
        return event().getImage() instanceof InlineImage inline ? inline.getBytes().duplicate() : null;
    }

    boolean failed() {
        return failureCode != null;
    }

    /** Marks the image failed (its dead letter says why) and gives back its memory. */
    void fail(String code, String message, Stage stage) {
        failureCode = code;
        failureMessage = message;
        failureStage = stage;
        bytes = null;
        image = null;
        releaseMemory();
    }

    /** A failure with a reason code, or one that none describes ({@code INTERNAL_ERROR}). */
    void fail(Throwable e, Stage stage) {
        if (e instanceof StreamsightException se) {
            fail(se.code().name(), se.getMessage(), stage);
        } else {
            fail(dev.streamsight.ReasonCode.INTERNAL_ERROR.name(), internalErrorMessage(e, stage), stage);
        }
    }

    /** What a dead letter of a defect met on this image says: what and where. */
    static String internalErrorMessage(Throwable e, Stage stage) {
        return "unexpected " + e.getClass().getName() + " while " + stage.id()
                + (e.getMessage() == null ? "" : ": " + UriText.forMessage(e.getMessage()));
    }

    String failureCode() {
        return failureCode;
    }

    String failureMessage() {
        return failureMessage;
    }

    Stage failureStage() {
        return failureStage;
    }

    /** Forgets the fetched bytes and gives back their memory (the image is fetched again later). */
    void dropFetched() {
        bytes = null;
        fetchMs = 0;
        releaseMemory();
    }

    /** Gives back the memory held for this image and lets its pixels go. */
    void done() {
        image = null;
        bytes = null;
        releaseMemory();
    }

    private void releaseMemory() {
        if (memory != null) {
            memory.release();
            memory = null;
        }
    }
}
