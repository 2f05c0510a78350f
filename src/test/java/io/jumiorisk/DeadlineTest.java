package io.jumiorisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.Context;

class DeadlineTest {
    private static final Duration FALLBACK = Duration.ofSeconds(25);
    private static final long FIFTEEN_MINUTES = Duration.ofMinutes(15).toMillis();

    /** A Lambda context that reports {@code remaining} ms left, and nothing else. */
    private static Context remaining(long remaining) {
        return (Context) Proxy.newProxyInstance(DeadlineTest.class.getClassLoader(), new Class<?>[]{Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRemainingTimeInMillis" -> (int) remaining;
                    case "toString" -> "context with " + remaining + " ms left";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Asserts that {@code deadline} lies {@code millis} after some instant between {@code before} and now. */
    private static void assertAbout(Deadline deadline, long before, long millis) {
        assertThat(deadline.epochMillis()).isBetween(before + millis, System.currentTimeMillis() + millis);
    }

    @Test
    void inIsThatLongFromNow() {
        long before = System.currentTimeMillis();
        assertAbout(Deadline.in(Duration.ofSeconds(3)), before, 3_000);
    }

    @Test
    void withoutAContextTheFallbackApplies() {
        long before = System.currentTimeMillis();
        assertAbout(Deadline.of(null, FALLBACK, Duration.ZERO), before, FALLBACK.toMillis());
    }

    @Test
    void theRuntimesRemainingTimeIsTheDeadline() {
        long before = System.currentTimeMillis();
        assertAbout(Deadline.of(remaining(3_000), FALLBACK, Duration.ZERO), before, 3_000);
        assertAbout(Deadline.of(remaining(1), FALLBACK, Duration.ZERO), before, 1);
        assertAbout(Deadline.of(remaining(FIFTEEN_MINUTES), FALLBACK, Duration.ZERO), before, FIFTEEN_MINUTES);
    }

    @Test
    void noTimeOrMoreThanLambdaAllowsMeansTheRuntimeSentNoDeadline() {
        long before = System.currentTimeMillis();
        for (long reported : new long[]{0, -1, -30_000, FIFTEEN_MINUTES + 1, Integer.MAX_VALUE}) {
            assertAbout(Deadline.of(remaining(reported), FALLBACK, Duration.ZERO), before, FALLBACK.toMillis());
        }
    }

    @Test
    void withinTakesWhicheverComesFirst() {
        Deadline deadline = Deadline.in(Duration.ofSeconds(10));

        long before = System.currentTimeMillis();
        assertAbout(deadline.within(Duration.ofSeconds(2)), before, 2_000);
        assertThat(deadline.within(Duration.ofSeconds(60))).isEqualTo(deadline);
        assertThat(deadline.within(Duration.ofSeconds(10)).epochMillis()).isLessThanOrEqualTo(deadline.epochMillis());
        Deadline past = new Deadline(System.currentTimeMillis() - 1_000, 0);
        assertThat(past.within(Duration.ofSeconds(5))).isEqualTo(past);
    }

    @Test
    void remainingMillisCountsDownAndGoesNegativeWhenPast() {
        long before = System.currentTimeMillis();
        Deadline deadline = new Deadline(before + 5_000, 0);
        assertThat(deadline.remainingMillis()).isBetween(5_000 - (System.currentTimeMillis() - before), 5_000L);
        assertThat(new Deadline(System.currentTimeMillis() - 2_000, 0).remainingMillis()).isLessThanOrEqualTo(-2_000);
    }

    @Test
    void aCallsBudgetIsTheTimeLeftLessTheReserveCappedAndNeverNegative() {
        long reserve = 1_500;
        Duration cap = Duration.ofSeconds(8);

        // Plenty of time: the cap.
        assertThat(new Deadline(System.currentTimeMillis() + 20_000, reserve).callBudget(cap)).isEqualTo(cap);
        // Less than the cap is left after the reserve: what is left.
        long before = System.currentTimeMillis();
        Duration budget = new Deadline(before + 5_000, reserve).callBudget(cap);
        long elapsed = System.currentTimeMillis() - before;
        assertThat(budget.toMillis()).isBetween(3_500 - elapsed, 3_500L);
        // Not even the reserve is left, or the deadline has passed: nothing, not less.
        assertThat(new Deadline(System.currentTimeMillis() + 1_000, reserve).callBudget(cap)).isEqualTo(Duration.ZERO);
        assertThat(new Deadline(System.currentTimeMillis() - 60_000, reserve).callBudget(cap))
                .isEqualTo(Duration.ZERO);
        assertThat(new Deadline(System.currentTimeMillis() + 20_000, reserve).callBudget(Duration.ZERO))
                .isEqualTo(Duration.ZERO);
        assertThat(Deadline.in(Duration.ofSeconds(20)).callBudget(Duration.ofSeconds(30)).toMillis())
                .isBetween(19_000L, 20_000L);
    }

    @Test
    void withinLimitsTheCallsAndKeepsTheReserveAfterThem() {
        long now = System.currentTimeMillis();
        Deadline deadline = new Deadline(now + 20_000, 7_000);

        Deadline callback = deadline.within(Duration.ofSeconds(5));
        assertThat(callback.callMillisLeft()).isBetween(4_000L, 5_000L);
        assertThat(callback.reserveMillis()).isEqualTo(7_000);
        assertThat(callback.epochMillis()).isLessThanOrEqualTo(deadline.epochMillis());
        // Never later than the invocation itself allows.
        assertThat(deadline.within(Duration.ofSeconds(60))).isEqualTo(deadline);
    }
}
