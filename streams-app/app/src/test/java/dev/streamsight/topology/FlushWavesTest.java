package dev.streamsight.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FlushWavesTest {
    private final FlushWaves waves = new FlushWaves(Duration.ofMillis(10));

    @Test
    void aDueTaskOpensAWaveThatTheThreadsOtherPendingTasksJoinOnce() {
        long wave = waves.flushWave(true, true, 0, 1000);
        assertNotEquals(0, wave);
        // Another task of the thread, punctuated in the same pass or the next: not due, but pending.
        assertEquals(wave, waves.flushWave(false, true, 0, 1000));
        assertEquals(wave, waves.flushWave(false, true, 0, 1010));
        // A task with nothing pending has nothing to flush; one that flushed in the wave does not again.
        assertEquals(0, waves.flushWave(false, false, 0, 1000));
        assertEquals(0, waves.flushWave(false, true, wave, 1005));
    }

    @Test
    void aWaveClosesAfterItsWindowAndTheNextDueTaskOpensANewOne() {
        long first = waves.flushWave(true, true, 0, 1000);
        assertEquals(0, waves.flushWave(false, true, 0, 1011));
        long second = waves.flushWave(true, true, first, 1100);
        assertNotEquals(0, second);
        assertNotEquals(first, second);
        assertEquals(second, waves.flushWave(false, true, first, 1100));
    }

    @Test
    void aDueTaskFlushesEvenIfItAlreadyFlushedInTheOpenWave() {
        // Due again within the window (a full batch, or a restored one): it is not held back.
        long wave = waves.flushWave(true, true, 0, 1000);
        assertEquals(wave, waves.flushWave(true, true, wave, 1002));
    }

    @Test
    void noTaskFlushesWithoutADueTaskOnItsThread() {
        assertEquals(0, waves.flushWave(false, true, 0, 1000));
    }

    @Test
    void eachStreamThreadHasItsOwnWaves() throws Exception {
        assertNotEquals(0, waves.flushWave(true, true, 0, 1000));
        long onAnotherThread = CompletableFuture.supplyAsync(() -> waves.flushWave(false, true, 0, 1000)).get();
        assertEquals(0, onAnotherThread);
    }
}
