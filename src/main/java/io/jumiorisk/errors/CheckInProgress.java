package io.jumiorisk.errors;

/** Another invocation is starting this check right now. Transient: retry after a moment. */
public final class CheckInProgress extends ProductError {
    private final long retryAfterSeconds;

    public CheckInProgress(String checkId, long retryAfterSeconds) {
        super("Check " + checkId + " is being started by another request; retry in " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
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
