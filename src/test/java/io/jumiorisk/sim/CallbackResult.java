package io.jumiorisk.sim;

import java.time.Instant;

/**
 * One callback delivery attempt. Either {@code httpStatus} is set (the receiver answered) or {@code error} holds
 * the exception text (connection refused, timeout, or a delivery suppressed by {@code failNext(CALLBACK, ...)}).
 */
public record CallbackResult(String url, Integer httpStatus, String error, String workflowExecutionId,
        String status, int attempt, Instant sentAt) {

    /** True when the receiver answered 2xx. */
    public boolean delivered() {
        return httpStatus != null && httpStatus >= 200 && httpStatus < 300;
    }
}
