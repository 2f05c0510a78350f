package io.jumiorisk.errors;

/** Another invocation is starting this check right now. Transient: retry after a moment. */
public final class CheckInProgress extends ProductError {
    private final long retryAfterSeconds;

    public CheckInProgress(String checkId, long retryAfterSeconds) {
        super("Check " + checkId + " is being started by another request; retry in " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Come back when the lease held until {@code leaseUntil} (epoch ms; null when none) ends: in 1 to 30 s. */
    public static CheckInProgress untilLeaseEnds(String checkId, Long leaseUntil) {
        long millis = leaseUntil == null ? 0 : leaseUntil - System.currentTimeMillis();
        return new CheckInProgress(checkId, Math.max(1, Math.min(30, (millis + 999) / 1000)));
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public boolean transientFailure() {
        return true;
    }

    @Override
    public int httpStatus() {
        return 409;
    }

    @Override
    public String code() {
        return "check-in-progress";
    }
}
