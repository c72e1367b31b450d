package dev.streamsight.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reservations, resizing, the rule that only an empty lease waits, and first-come first-served waiting. */
class DecodeBudgetTest {
    private static final long MIB = 1 << 20;

    @Test
    void reservationsGrowShrinkAndComeBack() {
        DecodeBudget budget = new DecodeBudget(10 * MIB);
        try (DecodeBudget.Lease lease = budget.lease()) {
            DecodeBudget.Reservation a = lease.tryReserve(4 * MIB);
            DecodeBudget.Reservation b = lease.tryReserve(5 * MIB);
            assertNotNull(a);
            assertNotNull(b);
            assertNull(lease.tryReserve(2 * MIB), "9 of 10 MiB are held");
            assertFalse(a.tryResize(6 * MIB));
            assertTrue(a.tryResize(5 * MIB));
            assertTrue(b.tryResize(1));
            assertEquals(5 * MIB + 1024, budget.reservedBytes(), "counted in whole KiB");
            b.release();
            b.release();
            assertEquals(5 * MIB, lease.heldBytes());
        }
        assertEquals(0, budget.reservedBytes(), "closing the lease gives back what it still held");
    }

    @Test
    void aLeaseThatHoldsMemoryMayNotWait() throws Exception {
        DecodeBudget budget = new DecodeBudget(10 * MIB);
        try (DecodeBudget.Lease lease = budget.lease()) {
            lease.tryReserve(MIB);
            assertThrows(IllegalStateException.class, () -> lease.reserve(MIB));
        }
        try (DecodeBudget.Lease lease = budget.lease()) {
            assertThrows(IllegalStateException.class, () -> lease.reserve(11 * MIB), "more than the whole budget");
            assertEquals(10 * MIB, lease.reserve(10 * MIB).bytes());
        }
    }

    @Test
    @Timeout(10)
    void aWaitingReservationIsServedBeforeLaterOnes() throws Exception {
        DecodeBudget budget = new DecodeBudget(10 * MIB);
        DecodeBudget.Lease holder = budget.lease();
        DecodeBudget.Reservation held = holder.tryReserve(8 * MIB);
        CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
            try (DecodeBudget.Lease lease = budget.lease()) {
                return lease.reserve(6 * MIB).bytes();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertFalse(waiter.isDone());
        try (DecodeBudget.Lease late = budget.lease()) {
            assertNull(late.tryReserve(MIB), "2 MiB are free, but a larger reservation waits first");
        }
        held.release();
        assertEquals(6 * MIB, waiter.get(5, TimeUnit.SECONDS));
        holder.close();
        assertEquals(0, budget.reservedBytes());
    }
}
