package io.jumiorisk.local;

import java.util.Objects;

/**
 * What one synchronous Lambda invocation gave back, as the Lambda {@code Invoke} API reports it: either the
 * function's response payload, or a function error (the error JSON {@code {errorMessage, errorType, stackTrace}}
 * and its type, which is what the {@code X-Amz-Function-Error} response and Step Functions' Retry/Catch see), or
 * nothing because the time ran out.
 *
 * @param status which of the three
 * @param requestId the invocation's request id, when known
 * @param payload the response payload (SUCCESS), the error JSON (ERROR), or {@code null} (TIMEOUT)
 * @param errorType the error type (ERROR only)
 */
public record InvocationResult(Status status, String requestId, String payload, String errorType) {

    public enum Status {
        SUCCESS,
        ERROR,
        TIMEOUT
    }

    public InvocationResult {
        Objects.requireNonNull(status, "status");
    }

    public static InvocationResult success(String payload) {
        return new InvocationResult(Status.SUCCESS, null, payload, null);
    }

    public static InvocationResult success(String requestId, String payload) {
        return new InvocationResult(Status.SUCCESS, requestId, payload, null);
    }

    public static InvocationResult error(String errorType, String errorJson) {
        return new InvocationResult(Status.ERROR, null, errorJson, errorType);
    }

    public static InvocationResult error(String requestId, String errorType, String errorJson) {
        return new InvocationResult(Status.ERROR, requestId, errorJson, errorType);
    }

    public static InvocationResult timeout() {
        return new InvocationResult(Status.TIMEOUT, null, null, null);
    }

    public static InvocationResult timeout(String requestId) {
        return new InvocationResult(Status.TIMEOUT, requestId, null, null);
    }

    public boolean isSuccess() {
        return status == Status.SUCCESS;
    }

    public boolean isError() {
        return status == Status.ERROR;
    }

    public boolean isTimeout() {
        return status == Status.TIMEOUT;
    }
}
