package dev.streamsight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamsight.inference.EngineOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class EngineOptionsMixinTest {
    @Command(name = "t")
    static final class Holder {
        @Mixin
        EngineOptionsMixin engine;
    }

    private static EngineOptions parse(String... args) {
        Holder h = new Holder();
        new CommandLine(h).parseArgs(args);
        return h.engine.engineOptions();
    }

    @Test
    void batchSizeIsAutoByDefaultOrAFixedNumber() {
        EngineOptions auto = parse();
        assertTrue(auto.tuneBatch());
        assertEquals(EngineOptions.DEFAULT_MAX_BATCH, auto.maxBatchSize());
        EngineOptions fixed = parse("--batch-size", "8");
        assertFalse(fixed.tuneBatch());
        assertEquals(8, fixed.maxBatchSize());
        assertTrue(parse("--batch-size", "Auto").tuneBatch());
    }

    @Test
    void aBadBatchSizeSaysWhatIsAccepted() {
        for (String bad : new String[] {"0", "4097", "lots"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("--batch-size", bad));
            assertEquals("--batch-size must be auto or between 1 and 4096, got '" + bad + "'", e.getMessage());
        }
    }
}
