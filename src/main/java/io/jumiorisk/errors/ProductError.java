package io.jumiorisk.errors;

import java.util.Map;
import java.util.OptionalLong;

/**
 * Base of the failures a caller can act on, each described by its {@link ErrorContract}. The class's fully-qualified
 * name is the Lambda {@code errorType} that Step Functions sees, so subclasses are never renamed. Messages never carry
 * personal data or secrets: the Lambda runtime logs them and returns them to the caller.
 */
public abstract class ProductError extends RuntimeException {
    private final ErrorContract contract;
    private final Long retryAfterSeconds;

    /**
     * @param retryAfterSeconds when a retry may succeed; for a transient error without one, a second, so that every
     *     retryable answer says when to come back
     */
    protected ProductError(ErrorContract contract, String message, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.contract = contract;
        this.retryAfterSeconds = contract.transientFailure() && retryAfterSeconds == null
                ? Long.valueOf(1)
                : retryAfterSeconds;
    }

    public ErrorContract contract() {
        return contract;
    }

    /** How long a caller should wait before retrying, in whole seconds; empty when it should not retry. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds == null ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }

    /** Problem members beyond RFC 9457's own: ids and field names only, never personal data. */
    public Map<String, Object> problemMembers() {
        return Map.of();
    }
}
