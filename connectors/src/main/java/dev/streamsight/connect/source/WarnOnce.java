package dev.streamsight.connect.source;

import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Logs a problem with a path once while it lasts: a path that stays unreadable is reported on the
 * first scan only, and again if it recovers and fails later. Not thread-safe (one per task thread).
 */
final class WarnOnce {

    private final Logger log;
    private Set<String> reported = new HashSet<>();
    private Set<String> seenThisRound = new HashSet<>();

    WarnOnce(Logger log) {
        this.log = log;
    }

    void warn(String key, String message, Object... args) {
        seenThisRound.add(key);
        if (!reported.contains(key)) {
            log.warn(message, args);
        }
    }

    /** Ends a scan: problems not met again are forgotten. */
    void endRound() {
        reported = seenThisRound;
        seenThisRound = new HashSet<>();
    }
}
