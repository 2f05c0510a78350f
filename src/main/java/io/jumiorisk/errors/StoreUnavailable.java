package io.jumiorisk.errors;

/**
 * DynamoDB refused or did not answer past the SDK's own retries (throttled, down, too slow). Transient: nothing was
 * lost, and the same request, retried, resumes where this one stopped. One stable name for every such SDK failure, so
 * that neither a state machine nor the flow needs to know the SDK's exception classes.
 */
public final class StoreUnavailable extends ProductError {
    public StoreUnavailable() {
        super(ErrorContract.STORE_UNAVAILABLE,
                "The check store (DynamoDB) is unavailable right now; retry the same request", 1L);
    }
}
