package dev.streamsight.connect.source;

import dev.streamsight.connect.PluginVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task of {@link ImageDirectorySourceConnector}: every {@code poll.interval.ms} it scans the
 * directories, keeps the files it owns ({@link TaskShare}), that are at least {@code min.file.age.ms}
 * old and whose current version it has not emitted ({@link FileOffsets}), hashes up to
 * {@code batch.max.files} of them (streamed, never whole in memory) and returns one ImageEvent record
 * each. A file that changes while it is hashed is left for the next scan; one that cannot be read is
 * logged and skipped.
 *
 * <p>Lifecycle and threading, as Connect drives every source task: {@link #start}, then
 * {@link #poll} in a loop on the task's thread, then {@link #stop} from another thread, which wakes a
 * waiting poll. Offsets are committed by the worker after the records are written, so a file is
 * emitted again only when the worker stops without committing (at-least-once, as every source
 * connector outside exactly-once mode).
 */
public class ImageDirectorySourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(ImageDirectorySourceTask.class);

    private final Clock clock;
    private final FileOpener opener;
    private ImageDirectorySourceConfig config;
    private DirectoryScanner scanner;
    private FileOffsets offsets;
    private ImageEventRecords records;
    private WarnOnce unreadable;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private long nextScanMs;
    /** Files found by the last scan and not yet emitted: a poll that hit the batch limit continues here. */
    private List<ImageFile> backlog = List.of();

    /** Opens a file for hashing; replaced in tests to simulate unreadable files. */
    interface FileOpener {
        InputStream open(ImageFile file) throws IOException;
    }

    public ImageDirectorySourceTask() {
        this(Clock.systemUTC(), file -> Files.newInputStream(file.path(), LinkOption.NOFOLLOW_LINKS));
    }

    ImageDirectorySourceTask(Clock clock, FileOpener opener) {
        this.clock = clock;
        this.opener = opener;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new ImageDirectorySourceConfig(props);
        scanner = new DirectoryScanner(config.directories(), config.glob(), config.recursive());
        offsets = new FileOffsets(context == null ? null : context.offsetStorageReader());
        records = new ImageEventRecords(config.topic(), config.models());
        unreadable = new WarnOnce(LOG);
        LOG.info("Image directory task {} of {} watching {} (glob {}, recursive {}, min age {} ms) into topic {}",
                config.share().index(), config.share().count(), config.directories(), config.glob(),
                config.recursive(), config.minFileAge().toMillis(), config.topic());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (backlog.isEmpty()) {
            long wait = nextScanMs - clock.millis();
            if (wait > 0 && stopped.await(wait, TimeUnit.MILLISECONDS)) {
                return null;
            }
            if (stopped.getCount() == 0) {
                return null;
            }
            nextScanMs = clock.millis() + config.pollInterval().toMillis();
            backlog = pending();
        }
        List<SourceRecord> batch = new ArrayList<>();
        int used = 0;
        while (used < backlog.size() && batch.size() < config.batchMaxFiles() && stopped.getCount() > 0) {
            ImageFile file = backlog.get(used++);
            SourceRecord record = read(file);
            if (record != null) {
                batch.add(record);
                offsets.emitted(file);
            }
        }
        backlog = List.copyOf(backlog.subList(used, backlog.size()));
        return batch.isEmpty() ? null : batch;
    }

    @Override
    public void stop() {
        stopped.countDown();
    }

    /** The owned, settled files of a fresh scan whose current version was not emitted. */
    List<ImageFile> pending() {
        long settledBefore = clock.millis() - config.minFileAge().toMillis();
        List<ImageFile> owned = scanner.scan().stream()
                .filter(f -> config.share().owns(f.uri().toString()))
                .toList();
        List<ImageFile> pending = offsets.notEmitted(owned).stream()
                .filter(f -> f.modifiedMs() <= settledBefore)
                .toList();
        unreadable.endRound();
        return pending;
    }

    /** The record for {@code file}, or null when it cannot be read or changed while being hashed. */
    private SourceRecord read(ImageFile file) {
        String sha256;
        try (InputStream in = opener.open(file)) {
            sha256 = ContentHash.sha256(in);
            BasicFileAttributes after = Files.readAttributes(file.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!after.isRegularFile() || !file.sameVersion(after.size(), after.lastModifiedTime().toMillis())) {
                LOG.debug("{} changed while it was hashed; it is read again on a later scan", file.path());
                return null;
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            unreadable.warn(file.uri().toString(), "Skipping unreadable file {}: {}", file.path(), e.toString());
            return null;
        }
        return records.record(file, sha256);
    }
}
