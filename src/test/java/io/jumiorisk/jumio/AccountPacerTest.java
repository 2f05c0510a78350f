package io.jumiorisk.jumio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jumiorisk.Deadline;

/**
 * The pacing arithmetic on a clock of our own: the GCRA's burst and refill ({@link PaceRule}), and what the pacer makes
 * of a slot (wait, refuse with its Retry-After, or go unpaced). The DynamoDB side of the same arithmetic is
 * {@code AccountPacingTest}'s.
 */
class AccountPacerTest {
    private static final long SECOND = 1_000_000;
    private static final long T0 = 1_800_000_000L * SECOND;

    /** A TAT held in memory, advanced exactly as the table's item is. */
    static final class MemorySlots implements AccountSlots {
        Long tat;
        int calls;

        @Override
        public Reservation reserve(PaceRule rule, long now, long latest) {
            calls++;
            long slot = rule.slot(tat, now);
            if (slot > latest) {
                return new Reservation(false, slot);
            }
            tat = rule.nextTat(tat, now);
            return new Reservation(true, slot);
        }
    }

    final PaceRule jumioDefault = new PaceRule(1, 5);
    final MemorySlots slots = new MemorySlots();
    final long[] clock = {T0};
    final List<Long> waits = new ArrayList<>();
    final AccountPacer pacer = new AccountPacer(slots, jumioDefault, () -> clock[0], micros -> {
        waits.add(micros);
        clock[0] += micros;
    });

    Deadline invocation(long seconds, long reserveSeconds) {
        return new Deadline((clock[0] + seconds * SECOND) / 1_000, reserveSeconds * 1_000);
    }

    @Test
    void anIdleTenantTakesItsBurstAtOnceAndThenOneAnInterval() {
        List<Long> slotTimes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            slotTimes.add(slots.reserve(jumioDefault, T0, Long.MAX_VALUE).slotMicros() - T0);
        }
        assertThat(slotTimes).containsExactly(0L, 0L, 0L, 0L, 0L, SECOND, 2 * SECOND, 3 * SECOND);
    }

    @Test
    void aQuietSpellRefillsTheBurstButNoMore() {
        for (int i = 0; i < 5; i++) {
            slots.reserve(jumioDefault, T0, Long.MAX_VALUE);
        }
        // 2.5 s later two and a half requests' worth came back: two go now, the third waits for the half.
        long later = T0 + 2_500_000;
        assertThat(slots.reserve(jumioDefault, later, Long.MAX_VALUE).slotMicros()).isEqualTo(later);
        assertThat(slots.reserve(jumioDefault, later, Long.MAX_VALUE).slotMicros()).isEqualTo(later);
        assertThat(slots.reserve(jumioDefault, later, Long.MAX_VALUE).slotMicros()).isEqualTo(T0 + 3 * SECOND);
        // After an hour, the burst again, never more than it.
        long hour = T0 + 3_600 * SECOND;
        for (int i = 0; i < 5; i++) {
            assertThat(slots.reserve(jumioDefault, hour, Long.MAX_VALUE).slotMicros()).isEqualTo(hour);
        }
        assertThat(slots.reserve(jumioDefault, hour, Long.MAX_VALUE).slotMicros()).isEqualTo(hour + SECOND);
    }

    @Test
    void olderTenantsFivePerFiveSecondsIsARateOfOneWithABurstOfFive() {
        PaceRule older = new PaceRule(1, 5);
        assertThat(older.intervalMicros()).isEqualTo(SECOND);
        assertThat(older.toleranceMicros()).isEqualTo(4 * SECOND);
        assertThat(new PaceRule(0.9, 4).intervalMicros()).isEqualTo(1_111_111);
        assertThat(new PaceRule(3, 1).toleranceMicros()).isZero();
    }

    @Test
    void theCallerWaitsForItsSlot() {
        for (int i = 0; i < 7; i++) {
            pacer.awaitSlot("account create", invocation(25, 7));
            clock[0] = T0;
        }
        assertThat(waits).containsExactly(SECOND, 2 * SECOND);
    }

    @Test
    void aSlotPastTheInvocationIsRefusedWithItsWaitAndNothingIsReserved() {
        slots.tat = T0 + 30 * SECOND;
        // The slot: TAT less the burst's tolerance (4 s), so 26 s from now; the invocation can wait 25 - 7 - 3 s.
        assertThatThrownBy(() -> pacer.awaitSlot("account create", invocation(25, 7)))
                .isInstanceOfSatisfying(JumioCallFailure.GiveUp.class, e -> {
                    assertThat(e.retryAfterMillis()).isEqualTo(26_000);
                    assertThat(e.retryAfterSeconds()).isEqualTo(26);
                    assertThat(e.maybeProcessed()).isFalse();
                    assertThat(e.answer()).isEqualTo(JumioCallFailure.RATE_USED_UP);
                });
        assertThat(slots.tat).isEqualTo(T0 + 30 * SECOND);
        assertThat(waits).isEmpty();
    }

    @Test
    void aSlotThatLeavesTheStartItsTimeIsWaitedFor() {
        slots.tat = T0 + 19 * SECOND;
        // 15 s from now, exactly what a 25 s invocation with 7 s of reserve leaves before the start's own 3 s.
        pacer.awaitSlot("account create", invocation(25, 7));
        assertThat(waits).containsExactly(15 * SECOND);
    }

    @Test
    void aPaceThatCannotBeReachedLetsTheRequestGoUnpaced() {
        AccountPacer unreachable = new AccountPacer((rule, now, latest) -> {
            throw new IllegalStateException("throttled");
        }, jumioDefault, () -> clock[0], waits::add);
        unreachable.awaitSlot("account create", invocation(25, 7));
        assertThat(waits).isEmpty();
    }

    @Test
    void aRateOfZeroDoesNotPace() {
        AccountPacer off = new AccountPacer(slots, new PaceRule(0, 5), () -> clock[0], waits::add);
        for (int i = 0; i < 20; i++) {
            off.awaitSlot("account create", invocation(25, 7));
        }
        assertThat(slots.calls).isZero();
        assertThat(waits).isEmpty();
    }

    @Test
    void badSettingsNameTheirVariable() {
        assertThatThrownBy(() -> new PaceRule(-1, 5)).hasMessageContaining("JUMIO_ACCOUNT_RATE_PER_SECOND");
        assertThatThrownBy(() -> new PaceRule(Double.NaN, 5)).hasMessageContaining("JUMIO_ACCOUNT_RATE_PER_SECOND");
        assertThatThrownBy(() -> new PaceRule(1, 0)).hasMessageContaining("JUMIO_ACCOUNT_BURST");
        assertThatThrownBy(() -> new PaceRule(Double.POSITIVE_INFINITY, 5))
                .hasMessageContaining("JUMIO_ACCOUNT_RATE_PER_SECOND");
        // As the function builds it from its settings, at start.
        assertThatThrownBy(() -> new AccountPacer(slots, Configs.with(java.util.Map.of("accountBurst", 0))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("JUMIO_ACCOUNT_BURST");
    }
}
