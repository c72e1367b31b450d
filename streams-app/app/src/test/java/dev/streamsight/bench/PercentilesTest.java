package dev.streamsight.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Nearest-rank percentiles: always a measured value, p100 the maximum. */
class PercentilesTest {
    @Test
    void nearestRankOfOneToHundred() {
        double[] values = IntStream.rangeClosed(1, 100).mapToDouble(i -> 101 - i).toArray(); // unsorted
        Percentiles p = Percentiles.of(values);
        assertEquals(50, p.percentile(50));
        assertEquals(95, p.percentile(95));
        assertEquals(99, p.percentile(99));
        assertEquals(100, p.percentile(100));
        assertEquals(1, p.percentile(0.5));
        assertEquals(100, p.max());
    }

    @Test
    void smallSamplesRoundTheRankUp() {
        Percentiles p = Percentiles.of(10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180,
                190, 200);
        assertEquals(100, p.percentile(50)); // rank 10 of 20
        assertEquals(190, p.percentile(95)); // rank 19, not 20, despite 0.95 * 20 = 19.000000000000004
        assertEquals(200, p.percentile(99)); // rank ceil(19.8) = 20
        Percentiles three = Percentiles.of(3, 1, 2);
        assertEquals(2, three.percentile(50));
        assertEquals(3, three.percentile(95));
        assertEquals(1, Percentiles.of(7).count());
        assertEquals(7, Percentiles.of(7).percentile(1));
    }

    @Test
    void emptySampleIsNaNAndBadPercentilesAreRefused() {
        assertTrue(Double.isNaN(Percentiles.of().percentile(50)));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(1).percentile(0));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(1).percentile(100.5));
    }
}
