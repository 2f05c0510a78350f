package io.jumiorisk.jumio;

/**
 * Jumio's limit on account requests, as the generic cell rate algorithm (GCRA, "virtual scheduling"): the whole state
 * is one instant, the theoretical arrival time (TAT) of the next request if requests came exactly at the rate. A
 * request at {@code now} may go at {@code max(now, TAT - tolerance)} and moves the TAT one interval on. The tolerance
 * is {@code (burst - 1)} intervals, so that an idle tenant may send {@code burst} requests at once and then one per
 * interval: the same as the token bucket Jumio (and our simulator) applies, holding {@code burst} tokens. Times are in
 * microseconds since the epoch, so that rates that do not divide a second evenly (0.9/s) keep their precision.
 *
 * @param ratePerSecond {@code JUMIO_ACCOUNT_RATE_PER_SECOND}: account requests per second; 0 turns pacing off
 * @param burst {@code JUMIO_ACCOUNT_BURST}: how many may go at once after a pause
 */
public record PaceRule(double ratePerSecond, int burst) {
    static final String RATE_VARIABLE = "JUMIO_ACCOUNT_RATE_PER_SECOND";
    static final String BURST_VARIABLE = "JUMIO_ACCOUNT_BURST";
    private static final double MICROS_PER_SECOND = 1_000_000;
    /** Far above any tenant's limit; a larger value is a typo, and its interval would round to nothing. */
    private static final double MAX_RATE = 1_000;
    /** A burst this large is no pacing at all, and its tolerance could overflow the arithmetic. */
    private static final int MAX_BURST = 10_000;

    public PaceRule {
        if (Double.isNaN(ratePerSecond) || ratePerSecond < 0 || ratePerSecond > MAX_RATE) {
            throw new IllegalStateException(RATE_VARIABLE + " must be a number from 0 (no pacing) to " + (int) MAX_RATE
                    + ": the account requests per second that the Jumio tenant allows");
        }
        if (burst < 1 || burst > MAX_BURST) {
            throw new IllegalStateException(BURST_VARIABLE + " must be a whole number from 1 to " + MAX_BURST
                    + ": how many account requests the Jumio tenant allows at once");
        }
    }

    public boolean paced() {
        return ratePerSecond > 0;
    }

    /** Time between two requests at the steady rate. */
    public long intervalMicros() {
        return Math.max(1, Math.round(MICROS_PER_SECOND / ratePerSecond));
    }

    /** How far ahead of the TAT a request may go: what makes the burst. */
    public long toleranceMicros() {
        return (burst - 1) * intervalMicros();
    }

    /** When a request asked for at {@code now} may go; {@code tat} null when no request was ever paced. */
    public long slot(Long tat, long now) {
        return tat == null ? now : Math.max(now, tat - toleranceMicros());
    }

    /** The TAT once a request asked for at {@code now} has taken its slot. */
    public long nextTat(Long tat, long now) {
        return (tat == null ? now : Math.max(tat, now)) + intervalMicros();
    }
}
