package dev.streamsight.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * File helpers for the model stage: streamed SHA-256 with a process-wide cache keyed by
 * (real path, size, mtime), gzip unpacking and atomic placement. Thread-safe.
 */
public final class Files2 {
    private static final int BUFFER = 1 << 16;
    private static final Map<Key, String> SHA_CACHE = new ConcurrentHashMap<>();
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private record Key(Path path, long size, long mtime) {
    }

    private Files2() {
    }

    /** Lower-case hex SHA-256 of a file, streamed; repeated calls on an unchanged file are free. */
    public static String sha256(Path file) throws IOException {
        Path real = file.toRealPath();
        BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
        Key key = new Key(real, a.size(), a.lastModifiedTime().toMillis());
        String cached = SHA_CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        MessageDigest md = sha256Digest();
        try (InputStream in = Files.newInputStream(real)) {
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
        }
        String hex = HexFormat.of().formatHex(md.digest());
        SHA_CACHE.put(key, hex);
        return hex;
    }

    /** How many digests are cached (for tests). */
    public static int cachedDigests() {
        return SHA_CACHE.size();
    }

    /**
     * Decompresses {@code gz} to {@code target} unless {@code target} already exists: streamed into a
     * temporary file beside it, then moved into place atomically, so concurrent callers and crashes
     * never leave a partial file under the final name.
     *
     * @return true when this call decompressed, false when the target was already there
     */
    public static boolean gunzip(Path gz, Path target) throws IOException {
        synchronized (lockFor(target)) {
            if (Files.isRegularFile(target)) {
                return false;
            }
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            try {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), BUFFER);
                        OutputStream out = Files.newOutputStream(tmp)) {
                    in.transferTo(out);
                }
                moveAtomically(tmp, target);
                return true;
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Moves {@code source} onto {@code target}, atomically where the file system allows. */
    public static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A monitor shared by every caller working on the same target file in this process. */
    public static Object lockFor(Path target) {
        return LOCKS.computeIfAbsent(target.toAbsolutePath().normalize(), p -> new Object());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
