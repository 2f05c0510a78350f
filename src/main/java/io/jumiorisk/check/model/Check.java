package io.jumiorisk.check.model;

import java.time.Instant;
import java.util.List;

/**
 * One check as the flow knows it: ids, statuses, timestamps, the decision summary and keyed hashes. The request's
 * personal data is never part of it, and the workflow token only sealed and only until finalize.
 *
 * @param workflow the Jumio workflow the check started; null until Jumio started one
 * @param resume what a retry needs to finish a start that stopped half-way; null once finalized
 * @param lease the start that is running now; null when none is
 * @param failure why the start failed for good; null unless the status is {@code FAILED}
 * @param callback the first callback Jumio delivered; null until one came
 * @param detailsPending Jumio reported the workflow processed, and its decision is still to be fetched
 * @param task the Step Functions task waiting on the check; null when none waits
 * @param referenceHash the keyed hash of the caller's {@code customerInternalReference}
 * @param idempotencyItem the key of the item that maps the caller's idempotency key to this check
 * @param erasure an erasure asked for or done; null when none was asked for
 * @param attempts account requests that Jumio answered ambiguously: each may have left a workflow at Jumio
 * @param orphansDeleted how many workflows that such attempts left at Jumio have been found and deleted
 * @param confirmPending a callback came that only Jumio's status API can confirm, and it could not be asked yet
 */
public record Check(
        String checkId,
        CheckStatus status,
        Step step,
        String requestHash,
        String referenceHash,
        String workflowKey,
        Workflow workflow,
        Resume resume,
        Lease lease,
        Timeline times,
        FailureReason failure,
        CallbackReceipt callback,
        boolean detailsPending,
        Decision decision,
        Task task,
        Polling polling,
        String idempotencyItem,
        Erasure erasure,
        List<StartAttempt> attempts,
        int orphansDeleted,
        boolean confirmPending) {

    public Check {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    public String accountId() {
        return workflow == null ? null : workflow.accountId();
    }

    public String workflowExecutionId() {
        return workflow == null ? null : workflow.workflowExecutionId();
    }

    /**
     * Ambiguous account requests whose workflow, if they left one, has not been found and deleted yet. Jumio reveals
     * such a workflow only by its expiry callback; one that was never created never reveals itself, so this number
     * says "may exist", not "exists".
     */
    public int unresolvedAttempts() {
        return Math.max(0, attempts.size() - orphansDeleted);
    }

    /** The workflow execution at Jumio. */
    public record Workflow(String accountId, String workflowExecutionId) {
    }

    /** The URLs Jumio handed out for the upload and finalize, and the workflow's own token, sealed. */
    public record Resume(String preparedDataUrl, String finalizeUrl, String sealedWorkflowToken) {
        @Override
        public String toString() {
            return "Resume[sealed]";
        }
    }

    /** The start that holds the check until {@code untilMillis} (epoch milliseconds). */
    public record Lease(String owner, long untilMillis) {
    }

    public record Timeline(Instant createdAt, Instant updatedAt, Instant finalizedAt, Instant completedAt) {
    }

    public record CallbackReceipt(String status, Instant receivedAt) {
    }

    /**
     * A Step Functions task token, sealed (it is a bearer credential for that task: with it, anyone could complete the
     * task with a forged result), and where its completion stands.
     */
    public record Task(String sealedToken, TaskState state) {
        @Override
        public String toString() {
            return "Task[state=" + state + "]";
        }
    }

    /** How often Jumio was asked about the check without a callback, and when it may be asked next. */
    public record Polling(int count, Instant nextAt) {
        public static final Polling NONE = new Polling(0, null);
    }

    /** An account request that Jumio answered ambiguously: when, and what came back ({@code HTTP_502} ...). */
    public record StartAttempt(Instant at, String answer) {
    }

    /**
     * An erasure asked for ({@code erasedAt} null: Jumio not yet confirmed, a repeat completes it) or done. Once done,
     * the check is a tombstone that holds only its id and this record.
     */
    public record Erasure(ErasureScope scope, Instant requestedAt, Instant erasedAt, ErasureOutcome outcome) {
    }
}
