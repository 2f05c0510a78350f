package io.jumiorisk.errors;

/**
 * The idempotency key started a check that was erased on request: while its tombstone lives, the key answers this
 * instead of starting anew, so that no replay (a client's retry, a state machine's re-drive) sends the erased person's
 * data to Jumio again. Final.
 */
public final class CheckErased extends ProductError {
    public CheckErased(String checkId) {
        super(ErrorContract.CHECK_ERASED, "Check " + checkId + " was erased on request; its idempotency key cannot"
                + " start another check while the record of the erasure is kept", null);
    }
}
