package dev.streamsight.topology;

import dev.streamsight.config.ConfigException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The Kafka Streams state directory of one application instance on this host.
 *
 * <p>Kafka Streams locks its {@code state.dir} for the whole process, so two instances of one
 * application on one host need two directories. Unless the user sets {@code state.dir}, each
 * instance claims the first free slot {@code <state.root>/<application id>/<n>} by holding an
 * exclusive lock on a file in it for as long as it runs. The operating system releases the lock when
 * the process ends, however it ends, so a restarted instance claims a free slot again: on a host that
 * runs a fixed number of instances, the one its predecessor left, with that predecessor's state
 * (its pending images and, under exactly-once, its process id and so its transactional ids).
 *
 * <p>{@link #checkFree} tells, before Kafka Streams tries, whether an explicit {@code state.dir} is
 * already in use, so the user gets a message instead of Kafka Streams' stack trace.
 *
 * <p>Lifecycle: claimed at start, {@link #close() closed} after Kafka Streams has stopped. Not
 * thread-safe; owned by the starting thread's runner.
 */
public final class InstanceStateDir implements AutoCloseable {
    /** Slots tried before giving up: more instances of one application than this on one host is a mistake. */
    static final int MAX_SLOTS = 64;
    private static final String SLOT_LOCK = ".streamsight-instance.lock";
    /** Kafka Streams' own lock file in {@code <state.dir>/<application id>}. */
    private static final String STREAMS_LOCK = ".lock";

    private final Path path;
    private final int slot;
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceStateDir(Path path, int slot, FileChannel channel, FileLock lock) {
        this.path = path;
        this.slot = slot;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Claims the first free slot of {@code applicationId} under {@code root}.
     *
     * @throws ConfigException when the root cannot be created or written, or every slot is taken
     */
    public static InstanceStateDir claim(Path root, String applicationId) {
        Path app = root.resolve(applicationId.replaceAll("[^A-Za-z0-9._-]", "_"));
        for (int n = 0; n < MAX_SLOTS; n++) {
            Path dir = app.resolve(Integer.toString(n));
            FileChannel channel = null;
            try {
                Files.createDirectories(dir);
                channel = FileChannel.open(dir.resolve(SLOT_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = tryLock(channel);
                if (lock != null) {
                    return new InstanceStateDir(dir, n, channel, lock);
                }
                channel.close();
            } catch (IOException e) {
                closeQuietly(channel);
                throw new ConfigException("state.root", "cannot use " + dir + " for the state of application "
                        + applicationId + ": " + e.getMessage() + " (set state.root to a writable directory)", e);
            }
        }
        throw new ConfigException("state.root", MAX_SLOTS + " instances of application " + applicationId
                + " already run on this host with their state under " + app);
    }

    /**
     * Fails when another running process (or this one) holds Kafka Streams' lock of {@code stateDir}
     * for {@code applicationId}.
     *
     * @throws ConfigException naming {@code state.dir} and what to do
     */
    public static void checkFree(Path stateDir, String applicationId) {
        Path lockFile = stateDir.resolve(applicationId).resolve(STREAMS_LOCK);
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(channel);
            if (lock != null) {
                lock.release();
                return;
            }
        } catch (IOException e) {
            return; // Kafka Streams will say what is wrong with the directory
        }
        throw new ConfigException("state.dir", stateDir + " is in use by another running instance of application "
                + applicationId + ": every instance on a host needs its own state directory. Leave state.dir unset"
                + " (each instance then claims a free directory under state.root), or give each instance its own");
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM: another instance in the same process
        }
    }

    /** The directory to pass to Kafka Streams as {@code state.dir}. */
    public Path path() {
        return path;
    }

    /** The slot number: 0 for the first instance on this host. */
    public int slot() {
        return slot;
    }

    /** Releases the slot for the next instance. Idempotent. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // the process ends soon, and with it the lock
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}
