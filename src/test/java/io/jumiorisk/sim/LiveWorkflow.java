package io.jumiorisk.sim;

import java.time.Instant;

/**
 * A workflow execution that the simulator holds and that has not been deleted, whatever its status.
 * {@code finalized} tells whether a finalize (PUT) has been accepted for it.
 */
public record LiveWorkflow(String workflowExecutionId, String accountId, String status, boolean finalized,
        Instant createdAt, String customerInternalReference) {
}
