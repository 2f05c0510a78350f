package io.jumiorisk.errors;

/**
 * Base of the failures a caller can act on. The class's fully-qualified name is the Lambda {@code errorType} that
 * Step Functions sees, so subclasses are never renamed. Messages never carry personal data or secrets: the Lambda
 * runtime logs them and returns them to the caller.
 */
public abstract class ProductError extends RuntimeException {
    protected ProductError(String message) {
        super(message, null, false, false);
    }

    /** Whether the same request may succeed when tried again later. */
    public abstract boolean transientFailure();

    public abstract int httpStatus();

    /** Stable short code used in problem types and logs. */
    public abstract String code();
}
