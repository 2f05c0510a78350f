package io.jumiorisk.errors;

/**
 * DynamoDB refused or did not answer past the SDK's own retries (throttled, down, too slow). Transient: nothing was
 * lost, and the same request, retried, resumes where this one stopped. One stable name for every such SDK failure, so
 * that a state machine can retry it without knowing the SDK's exception classes.
 */
public final class StoreUnavailable extends ProductError {
    public StoreUnavailable() {
        super("The check store (DynamoDB) is unavailable right now; retry the same request");
    }

    @Override
    public boolean transientFailure() {
        return true;
    }

    @Override
    public int httpStatus() {
        return 503;
    }

    @Override
    public String code() {
        return "store-unavailable";
    }
}
