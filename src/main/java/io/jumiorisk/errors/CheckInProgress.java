package io.jumiorisk.errors;

/** Another invocation is starting this check right now. Transient: retry after a moment. */
public final class CheckInProgress extends ProductError {

    public CheckInProgress(String checkId, long retryAfterSeconds) {
        super(ErrorContract.CHECK_IN_PROGRESS, "Check " + checkId + " is being started by another request; retry in "
                + retryAfterSeconds + " s", retryAfterSeconds);
    }

    /** Come back when the lease held until {@code leaseUntil} (epoch ms; null when none) ends: in 1 to 30 s. */
    public static CheckInProgress untilLeaseEnds(String checkId, Long leaseUntil) {
        long millis = leaseUntil == null ? 0 : leaseUntil - System.currentTimeMillis();
        return new CheckInProgress(checkId, Math.max(1, Math.min(30, (millis + 999) / 1000)));
    }
}
