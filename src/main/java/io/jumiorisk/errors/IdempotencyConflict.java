package io.jumiorisk.errors;

/** The idempotency key was used before with a different request body. Final. */
public final class IdempotencyConflict extends ProductError {
    public IdempotencyConflict() {
        super("This idempotency key was already used with a different request body");
    }

    @Override
    public boolean transientFailure() {
        return false;
    }

    @Override
    public int httpStatus() {
        return 409;
    }

    @Override
    public String code() {
        return "idempotency-conflict";
    }
}
