package io.jumiorisk.check;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.jumiorisk.Deadline;
import io.jumiorisk.callback.CallbackToken;
import io.jumiorisk.errors.CheckInProgress;
import io.jumiorisk.errors.IdempotencyConflict;
import io.jumiorisk.errors.JumioRejected;
import io.jumiorisk.errors.JumioUnavailable;
import io.jumiorisk.jumio.AccountRequest;
import io.jumiorisk.jumio.JumioCallFailure;
import io.jumiorisk.jumio.JumioClient;
import io.jumiorisk.jumio.JumioConfig;
import io.jumiorisk.jumio.WorkflowStart;
import io.jumiorisk.sfn.TaskCompletion;
import io.jumiorisk.store.CheckRecord;
import io.jumiorisk.store.CheckStatus;
import io.jumiorisk.store.CheckStore;
import io.jumiorisk.store.Step;

/**
 * Starts a check: record it, create or update the Jumio account (which starts the workflow), upload the prepared data,
 * finalize. Each step is recorded before the next one runs, under a lease that lasts as long as the invocation can, so
 * a retry resumes where a failed or dead attempt stopped and no two invocations ever call Jumio for the same check.
 */
@ApplicationScoped
public class CheckStarter {
    private static final Logger LOG = Logger.getLogger(CheckStarter.class);

    private final CheckStore store;
    private final JumioClient jumio;
    private final Fingerprints fingerprints;
    private final CallbackToken callbackToken;
    private final JumioConfig config;
    private final TaskCompletion tasks;
    /** Workflows started at Jumio whose record DynamoDB refused, by check id; held in memory only. */
    private final java.util.Map<String, WorkflowStart> unrecorded = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_UNRECORDED = 1_000;

    public CheckStarter(CheckStore store, JumioClient jumio, Fingerprints fingerprints, CallbackToken callbackToken,
            JumioConfig config, TaskCompletion tasks) {
        this.store = store;
        this.jumio = jumio;
        this.fingerprints = fingerprints;
        this.callbackToken = callbackToken;
        this.config = config;
        this.tasks = tasks;
    }

    /**
     * @param idempotencyKey the caller's key; {@code customerInternalReference} when absent
     * @param taskToken a Step Functions task token to complete when the check does, or null
     * @param invocationId identifies this attempt as the holder of the lease
     */
    public CheckView start(CheckRequest request, String idempotencyKey, String taskToken, Deadline deadline,
            String invocationId) {
        String key = idempotencyKey != null ? idempotencyKey : request.customerInternalReference();
        String requestHash = fingerprints.request(request);
        CheckStore.Claim claim = store.createOrFind(UUID.randomUUID().toString(), fingerprints.idempotencyKey(key),
                requestHash, request.workflowKey(), taskToken, invocationId, deadline.epochMillis());
        CheckRecord check = claim.check();
        MDC.put("checkId", check.checkId());
        if (!claim.created()) {
            if (!requestHash.equals(claim.existingRequestHash())) {
                throw new IdempotencyConflict();
            }
            rejectIfFailed(check);
            if (taskToken != null && !taskToken.equals(check.taskToken())) {
                store.attachTaskToken(check.checkId(), taskToken);
                check = store.get(check.checkId()).orElseThrow();
                tasks.completeIfDone(check, deadline);
            }
            if (started(check)) {
                LOG.info("idempotent repeat: returning the existing check");
                return CheckView.of(check);
            }
            if (!store.acquireLease(check.checkId(), invocationId, deadline.epochMillis())) {
                // Either another invocation holds the lease, or the start ended since the read above.
                CheckRecord now = store.get(check.checkId()).orElseThrow();
                rejectIfFailed(now);
                if (started(now)) {
                    LOG.info("idempotent repeat: the start completed meanwhile");
                    return CheckView.of(now);
                }
                throw CheckInProgress.untilLeaseEnds(check.checkId(), now.leaseUntil());
            }
            check = store.get(check.checkId()).orElseThrow();
            LOG.infof("resuming check from step %s", check.step());
        } else {
            LOG.info("check recorded");
        }
        return CheckView.of(advance(check, request, deadline, invocationId));
    }

    private CheckRecord advance(CheckRecord check, CheckRequest request, Deadline deadline, String owner) {
        String id = check.checkId();
        String operation = "account";
        boolean uploaded = false;
        try {
            String uploadUrl = check.preparedDataUrl();
            String finalizeUrl = check.workflowExecutionUrl();
            String token = null;
            boolean resumed = false;
            if (check.step() == Step.RECORDED) {
                WorkflowStart start = unrecorded.remove(id);
                if (start != null) {
                    LOG.infof("recording the workflow started by an earlier attempt: %s", start.workflowExecutionId());
                } else {
                    start = jumio.startWorkflow(request.accountId(), accountRequest(request), deadline);
                }
                recordWorkflowStarted(id, owner, start);
                LOG.infof("workflow started: account %s, workflow execution %s", start.accountId(),
                        start.workflowExecutionId());
                uploadUrl = start.preparedDataUrl();
                finalizeUrl = start.workflowExecutionUrl();
                token = start.workflowToken();
            } else {
                operation = "resume";
                token = unseal(check);
                resumed = true;
            }
            boolean finalized = false;
            if (check.step().compareTo(Step.DATA_UPLOADED) < 0) {
                // The upload is not recorded on its own (one DynamoDB write less per check): the upload is safe to
                // repeat, and a failed finalize records it below, so the retry only finalizes.
                operation = "upload";
                try {
                    jumio.uploadPreparedData(uploadUrl, token, request.preparedData(), deadline);
                    LOG.info("prepared data uploaded");
                } catch (JumioCallFailure.Rejected e) {
                    // An attempt that died after finalizing (before recording it) leaves a workflow that refuses
                    // further uploads. Whether it was finalized is what finalize answers: if it succeeds, the start is
                    // complete; if not, the upload's refusal stands.
                    if (!resumed || !finalizes(finalizeUrl, token, deadline)) {
                        throw e;
                    }
                    LOG.info("the workflow had been finalized by an earlier attempt");
                    finalized = true;
                }
                uploaded = true;
            }
            if (!finalized) {
                operation = "finalize";
                jumio.finalizeWorkflow(finalizeUrl, token, deadline);
            }
            store.recordFinalized(id, owner);
            LOG.info("workflow finalized");
        } catch (JumioCallFailure.Rejected e) {
            String reason = "JUMIO_" + e.status() + "_" + operation.toUpperCase(java.util.Locale.ROOT);
            store.recordStartFailed(id, owner, reason);
            LOG.warnf("Jumio rejected the %s step with HTTP %d; check failed", operation, e.status());
            // A waiting Step Functions task fails with this error itself; no SendTaskFailure is needed.
            throw new JumioRejected("Jumio rejected the " + operation + " step with HTTP " + e.status()
                    + " (check " + id + " is FAILED)", e.status());
        } catch (JumioCallFailure e) {
            if (uploaded) {
                recordUploaded(id, owner);
            }
            store.releaseLease(id, owner);
            LOG.warnf("Jumio unavailable at the %s step: %s", operation, e.getMessage());
            throw new JumioUnavailable("Jumio is unavailable (" + operation + " step); retry with the same request",
                    e.retryAfterSeconds(), id);
        } catch (CheckStore.LeaseLost e) {
            throw new CheckInProgress(id, 1);
        } catch (RuntimeException e) {
            store.releaseLease(id, owner);
            throw e;
        }
        return store.get(id).orElseThrow();
    }

    /**
     * Jumio has started a workflow, which only this record ties to the check: if DynamoDB refuses it (throttled or
     * down past the SDK's retries), the workflow is kept in this container, so that the retry of the request records
     * it instead of starting a second one at Jumio.
     */
    private void recordWorkflowStarted(String id, String owner, WorkflowStart start) {
        try {
            store.recordWorkflowStarted(id, owner, start, fingerprints.seal(start.workflowToken()));
        } catch (CheckStore.LeaseLost e) {
            throw e;
        } catch (RuntimeException e) {
            if (unrecorded.size() < MAX_UNRECORDED) {
                unrecorded.put(id, start);
            }
            LOG.warnf("workflow %s started but not recorded; kept for the retry", start.workflowExecutionId());
            throw e;
        }
    }

    /** Finalize, to learn whether an earlier attempt had finalized: true when Jumio accepts it. */
    private boolean finalizes(String finalizeUrl, String token, Deadline deadline) {
        try {
            jumio.finalizeWorkflow(finalizeUrl, token, deadline);
            return true;
        } catch (JumioCallFailure.Rejected e) {
            return false;
        }
    }

    /** Best effort: the retry then repeats only finalize; without it, it repeats the upload too, which is safe. */
    private void recordUploaded(String id, String owner) {
        try {
            store.recordUploaded(id, owner);
        } catch (RuntimeException e) {
            LOG.infof("upload not recorded (%s); a retry repeats it", e.getClass().getSimpleName());
        }
    }

    private static boolean started(CheckRecord check) {
        return check.step() == Step.FINALIZED || check.status().terminal();
    }

    /**
     * The same answer as the first time: the repeat of a request Jumio refused is refused again, and a task token that
     * comes with it is failed by this very error.
     */
    private static void rejectIfFailed(CheckRecord check) {
        if (check.status() == CheckStatus.FAILED) {
            throw rejectedEarlier(check);
        }
    }

    private static JumioRejected rejectedEarlier(CheckRecord check) {
        String reason = check.failureReason() == null ? "JUMIO_0_START" : check.failureReason();
        int status;
        try {
            status = Integer.parseInt(reason.split("_")[1]);
        } catch (RuntimeException e) {
            status = 0;
        }
        return new JumioRejected("Check " + check.checkId() + " failed earlier (" + reason + "); send a new request",
                status);
    }

    private String unseal(CheckRecord check) {
        try {
            return fingerprints.unseal(check.sealedWorkflowToken());
        } catch (IllegalStateException | NullPointerException e) {
            // Without the workflow's own token nothing more can be sent to this workflow; Jumio expires it.
            throw new JumioCallFailure.Rejected("resume", 401, "workflow token unavailable");
        }
    }

    private AccountRequest accountRequest(CheckRequest request) {
        String callbackUrl = config.callbackUrl().filter(u -> !u.isBlank())
                .map(callbackToken::callbackUrl).orElse(null);
        return new AccountRequest(request.customerInternalReference(), request.userReference(), callbackUrl,
                AccountRequest.WorkflowDefinition.of(request.workflowKey()));
    }
}
