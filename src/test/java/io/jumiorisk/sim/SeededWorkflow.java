package io.jumiorisk.sim;

/** Ids of a workflow execution created by {@link JumioSimulator#seedFinalizedWorkflow}. */
public record SeededWorkflow(String accountId, String workflowExecutionId) {
}
