package io.jumiorisk.errors;

/**
 * The error contract as data: for each error a caller can act on, its HTTP status, its problem code, and whether the
 * same request may succeed when tried again. {@code infra/statemachine/check.asl.json} retries exactly the transient
 * ones and catches the others; a test holds the two together.
 */
public enum ErrorContract {
    INVALID_REQUEST(InvalidRequest.class, 400, "invalid-request", false),
    CHECK_NOT_FOUND(CheckNotFound.class, 404, "check-not-found", false),
    IDEMPOTENCY_CONFLICT(IdempotencyConflict.class, 409, "idempotency-conflict", false),
    CHECK_ERASED(CheckErased.class, 410, "check-erased", false),
    CHECK_IN_PROGRESS(CheckInProgress.class, 409, "check-in-progress", true),
    JUMIO_REJECTED(JumioRejected.class, 502, "jumio-rejected", false),
    JUMIO_UNAVAILABLE(JumioUnavailable.class, 503, "jumio-unavailable", true),
    STORE_UNAVAILABLE(StoreUnavailable.class, 503, "store-unavailable", true);

    private final Class<? extends ProductError> type;
    private final int httpStatus;
    private final String code;
    private final boolean transientFailure;

    ErrorContract(Class<? extends ProductError> type, int httpStatus, String code, boolean transientFailure) {
        this.type = type;
        this.httpStatus = httpStatus;
        this.code = code;
        this.transientFailure = transientFailure;
    }

    /** The class whose fully-qualified name is the Lambda {@code errorType} that Step Functions sees. */
    public Class<? extends ProductError> type() {
        return type;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Stable short code used in problem types and logs. */
    public String code() {
        return code;
    }

    /** Whether the same request may succeed when tried again later. */
    public boolean transientFailure() {
        return transientFailure;
    }
}
