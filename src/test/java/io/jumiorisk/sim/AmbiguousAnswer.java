package io.jumiorisk.sim;

import java.time.Instant;

/**
 * An ambiguous answer that the simulator gave to an account request it had processed: the workflow
 * {@code workflowExecutionId} exists, with {@code customerInternalReference}, but the client got {@code answer}.
 * {@code drawn}: chosen by {@link SimulatorConfig#ambiguousAccountFraction(double)}, not queued with
 * {@link JumioSimulator#afterProcessingNext}.
 */
public record AmbiguousAnswer(Endpoint endpoint, AfterProcessing answer, boolean drawn, String workflowExecutionId,
        String accountId, String customerInternalReference, Instant at) {
}
