package io.jumiorisk.callback;

import java.util.Set;

/** The parts of Jumio's callback we act on. Carries no personal data (Jumio sends none). */
public record CallbackNotice(String accountId, String workflowExecutionId, String status) {
    /** The statuses a callback can carry; all three end the workflow. */
    public static final Set<String> STATUSES = Set.of("PROCESSED", "SESSION_EXPIRED", "TOKEN_EXPIRED");
}
