package io.jumiorisk.store;

import java.time.Instant;

/**
 * One check as stored. Ids, statuses, timestamps, the decision summary and hashes only: the request's personal data
 * is never written, and the workflow token is held sealed and only until finalize.
 */
public record CheckRecord(
        String checkId,
        CheckStatus status,
        Step step,
        String requestHash,
        String workflowKey,
        String accountId,
        String workflowExecutionId,
        String preparedDataUrl,
        String workflowExecutionUrl,
        String sealedWorkflowToken,
        String leaseOwner,
        Long leaseUntil,
        Instant createdAt,
        Instant updatedAt,
        Instant finalizedAt,
        Instant completedAt,
        String failureReason,
        String callbackStatus,
        Instant callbackReceivedAt,
        boolean detailsPending,
        Decision decision,
        String taskToken,
        String taskState,
        Instant nextPollAt,
        int pollCount,
        String idempotencyItem,
        Erasure erasure) {

    /**
     * An erasure asked for ({@code erasedAt} null: Jumio not yet confirmed, a repeat completes it) or done. Once done,
     * the check is a tombstone that holds only its id and this record.
     */
    public record Erasure(String scope, Instant requestedAt, Instant erasedAt, String outcome) {
    }
}
