package dev.streamsight.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.config.ConfigException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instances of one application on one host each claim their own state directory, and a restart finds its slot. */
class InstanceStateDirTest {
    @TempDir
    Path root;

    @Test
    void instancesClaimDistinctSlotsAndARestartTakesTheFreedOne() {
        try (InstanceStateDir a = InstanceStateDir.claim(root, "app"); InstanceStateDir b = InstanceStateDir.claim(root, "app")) {
            assertEquals(0, a.slot());
            assertEquals(1, b.slot());
            assertEquals(root.resolve("app").resolve("0"), a.path());
            InstanceStateDir c = InstanceStateDir.claim(root, "app");
            assertEquals(2, c.slot());
            c.close(); // the third instance ends
            try (InstanceStateDir d = InstanceStateDir.claim(root, "app")) {
                assertEquals(2, d.slot(), "a restart takes the slot, and the state, its predecessor left");
            }
            try (InstanceStateDir other = InstanceStateDir.claim(root, "other app/x")) {
                assertEquals(0, other.slot(), "another application has its own slots");
                assertEquals(root.resolve("other_app_x").resolve("0"), other.path());
            }
        }
    }

    @Test
    void anExplicitStateDirThatAnotherInstanceHoldsIsAConfigurationError() throws Exception {
        Path dir = Files.createDirectories(root.resolve("shared").resolve("app"));
        InstanceStateDir.checkFree(root.resolve("shared"), "app"); // no lock file yet
        try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = ch.lock()) { // what a running Kafka Streams instance holds
            ConfigException e = assertThrows(ConfigException.class, () -> InstanceStateDir.checkFree(root.resolve("shared"), "app"));
            assertEquals("state.dir", e.key());
            assertTrue(e.getMessage().contains("Leave state.dir unset"), e.getMessage());
        }
        InstanceStateDir.checkFree(root.resolve("shared"), "app"); // released: free again
    }

    @Test
    void anUnwritableRootNamesTheKey() throws Exception {
        Path file = Files.writeString(root.resolve("not-a-directory"), "x");
        ConfigException e = assertThrows(ConfigException.class, () -> InstanceStateDir.claim(file, "app"));
        assertEquals("state.root", e.key());
    }
}
