package dev.streamsight.topology;

import java.time.Duration;

/**
 * Lines up the max-wait flushes of the tasks that share a stream thread, so that their results leave
 * in one commit right after their batches ran.
 *
 * <p>Without it, each task flushes when its own oldest image has waited {@code batch.max.wait}: a
 * thread's tasks flush at different times, and each result then waits for the thread's next commit
 * (under exactly-once, a {@code read_committed} consumer sees nothing before it), up to {@code
 * commit.interval.ms} more. With it, the first task whose batch is due opens a <em>wave</em> on its
 * thread; every task of that thread with pending images flushes in it at its next punctuation while
 * the wave is open (one punctuation interval), and asks for a commit. The thread commits after the
 * punctuation pass, so a result waits for at most {@code batch.max.wait} plus a punctuation interval
 * before its batch runs, and not at all for the commit interval. A task flushes at most once per wave.
 *
 * <p>Lifecycle and threading: one instance per topology, shared by its tasks; the state of each
 * stream thread's wave is that thread's own ({@link ThreadLocal}), so no locking is needed.
 */
final class FlushWaves {
    private final long windowMs;
    private final ThreadLocal<Wave> waves = ThreadLocal.withInitial(Wave::new);

    /** @param window how long a wave stays open for the thread's other tasks: one punctuation interval */
    FlushWaves(Duration window) {
        this.windowMs = window.toMillis();
    }

    /**
     * Called at a task's punctuation on its stream thread: the wave the task should flush in now, or 0
     * for none. A task whose batch is {@code due} opens a wave unless one is open; a task with pending
     * images joins an open wave it has not flushed in yet.
     *
     * @param due whether the task's own batch is due ({@link BatchPolicy#shouldFlush})
     * @param pending whether the task has pending images
     * @param lastWave the wave the task last flushed in (0 for none)
     * @param nowMs the punctuation's wall-clock time
     */
    long flushWave(boolean due, boolean pending, long lastWave, long nowMs) {
        if (!pending) {
            return 0;
        }
        Wave w = waves.get();
        boolean open = w.id != 0 && nowMs - w.openedAtMs <= windowMs;
        if (due && !open) {
            w.id++;
            w.openedAtMs = nowMs;
            return w.id;
        }
        return due || open && lastWave != w.id ? w.id : 0;
    }

    /** One stream thread's current wave. */
    private static final class Wave {
        long id;
        long openedAtMs;
    }
}
