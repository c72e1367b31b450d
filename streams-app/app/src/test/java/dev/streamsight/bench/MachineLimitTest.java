package dev.streamsight.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** limit = 1 / (1/E + 1/(P1*C)): both stages time-share all cores. */
class MachineLimitTest {
    @Test
    void combinesTheStagesPerImageCosts() {
        // Inference 4 ms of the machine per image, decoding 1 ms of one core = 0.5 ms of two: 4.5 ms.
        MachineLimit limit = new MachineLimit(250, 1000, 2);
        assertEquals(1000 / 4.5, limit.imagesPerSecond(), 1e-9);
        assertEquals(4.0 / 4.5, limit.inferenceShare(), 1e-9);
        assertEquals("limit = 1 / (1/E + 1/(P1*C)) = 1 / (1/250.0 + 1/(1000.0*2)) = 222.2 images/s",
                limit.formula());
    }

    @Test
    void equalStagesHalveTheRateAndMoreCoresOnlyHelpDecoding() {
        assertEquals(50, new MachineLimit(100, 100, 1).imagesPerSecond(), 1e-9);
        // However many cores decode, the limit stays below the engine's own rate.
        double previous = 0;
        for (int cores = 1; cores <= 64; cores *= 2) {
            double l = new MachineLimit(100, 100, cores).imagesPerSecond();
            assertEquals(true, l > previous && l < 100, "cores " + cores + ": " + l);
            previous = l;
        }
    }

    @Test
    void decodingOnAllCoresIsTheBetterOfTheScaledAndTheMeasuredFigure() {
        // One disturbed one-core round (P1 500 where 1000 is usual) does not lower the limit when all
        // cores were measured at 1900 images/s.
        MachineLimit disturbed = new MachineLimit(900, 500, 2, 1900);
        assertEquals(1900, disturbed.decodeImagesPerSecond(), 1e-9);
        assertEquals(1 / (1 / 900.0 + 1 / 1900.0), disturbed.imagesPerSecond(), 1e-9);
        assertEquals("limit = 1 / (1/E + 1/max(P1*C, PC)) = 1 / (1/900.0 + 1/max(500.0*2, 1900.0)) = 610.7 images/s",
                disturbed.formula());
        assertEquals(2000, new MachineLimit(900, 1000, 2, 1900).decodeImagesPerSecond(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> new MachineLimit(100, 100, 2, 0));
    }

    @Test
    void refusesFiguresThatAreNotRates() {
        assertThrows(IllegalArgumentException.class, () -> new MachineLimit(0, 100, 2));
        assertThrows(IllegalArgumentException.class, () -> new MachineLimit(100, Double.NaN, 2));
        assertThrows(IllegalArgumentException.class, () -> new MachineLimit(100, 100, 0));
    }
}
