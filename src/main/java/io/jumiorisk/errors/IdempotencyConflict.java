package io.jumiorisk.errors;

/** The idempotency key was used before with a different request body. Final. */
public final class IdempotencyConflict extends ProductError {
    public IdempotencyConflict() {
        super(ErrorContract.IDEMPOTENCY_CONFLICT, "This idempotency key was already used with a different request body",
                null);
    }
}
