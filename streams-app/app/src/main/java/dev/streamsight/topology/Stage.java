package dev.streamsight.topology;

import java.util.Locale;

/** Pipeline stages named in dead letters ({@code DeadLetter.stage}). */
public enum Stage {
    DESERIALIZE,
    VALIDATE,
    FETCH,
    DECODE,
    INFERENCE,
    PRODUCE;

    /** The lower-case name written into dead letters. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
