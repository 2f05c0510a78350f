package io.jumiorisk.check;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.model.Check;
import io.jumiorisk.check.model.CheckStatus;
import io.jumiorisk.check.model.FailureReason;
import io.jumiorisk.check.model.StartStage;
import io.jumiorisk.check.model.Step;
import io.jumiorisk.errors.CheckInProgress;
import io.jumiorisk.errors.IdempotencyConflict;
import io.jumiorisk.errors.JumioRejected;
import io.jumiorisk.errors.JumioUnavailable;
import io.jumiorisk.jumio.AccountRequest;
import io.jumiorisk.jumio.JumioCallFailure;
import io.jumiorisk.jumio.JumioWorkflows;
import io.jumiorisk.jumio.WorkflowStart;
import io.jumiorisk.keys.TokenSeal;
import io.jumiorisk.store.CheckStore;

/**
 * Starts a check: record it, create or update the Jumio account (which starts the workflow), upload the prepared data,
 * finalize. Each step is recorded before the next one runs, under a lease that lasts as long as the invocation can, so
 * a retry resumes where a failed or dead attempt stopped and no two invocations ever call Jumio for the same check.
 */
@ApplicationScoped
public class CheckStarter {
    private static final Logger LOG = Logger.getLogger(CheckStarter.class);
    private static final int MAX_UNRECORDED = 1_000;

    private final CheckStore store;
    private final JumioWorkflows jumio;
    private final RequestHashes hashes;
    private final TokenSeal seal;
    private final CallbackAddress callbackAddress;
    private final TaskNotifier tasks;
    /** Workflows started at Jumio whose record DynamoDB refused, by check id; held in memory only. */
    private final Map<String, WorkflowStart> unrecorded = new ConcurrentHashMap<>();

    public CheckStarter(CheckStore store, JumioWorkflows jumio, RequestHashes hashes, TokenSeal seal,
            CallbackAddress callbackAddress, TaskNotifier tasks) {
        this.store = store;
        this.jumio = jumio;
        this.hashes = hashes;
        this.seal = seal;
        this.callbackAddress = callbackAddress;
        this.tasks = tasks;
    }

    /**
     * @param idempotencyKey the caller's key; {@code customerInternalReference} when absent
     * @param taskToken a Step Functions task token to complete when the check does, or null
     * @param leaseOwner identifies this attempt as the holder of the lease
     */
    public CheckView start(CheckRequest request, String idempotencyKey, String taskToken, Deadline deadline,
            String leaseOwner) {
        String key = idempotencyKey != null ? idempotencyKey : request.customerInternalReference();
        String requestHash = hashes.request(request);
        Check.Lease lease = new Check.Lease(leaseOwner, deadline.epochMillis());
        CheckStore.Claim claim = store.createOrFind(UUID.randomUUID().toString(), hashes.idempotencyKey(key),
                requestHash, request.workflowKey(), taskToken, lease);
        Check check = claim.check();
        MDC.put("checkId", check.checkId());
        if (claim.created()) {
            LOG.info("check recorded");
            return CheckView.of(advance(check, request, deadline, leaseOwner));
        }
        if (!requestHash.equals(claim.existingRequestHash())) {
            throw new IdempotencyConflict();
        }
        rejectIfFailed(check);
        if (taskToken != null && (check.task() == null || !taskToken.equals(check.task().token()))) {
            CheckStore.Transition attached = store.attachTaskToken(check.checkId(), taskToken);
            check = attached.check() == null ? check : attached.check();
            tasks.completeIfDone(check, deadline);
        }
        if (started(check)) {
            LOG.info("idempotent repeat: returning the existing check");
            return CheckView.of(check);
        }
        CheckStore.Transition taken = store.acquireLease(check.checkId(), lease);
        if (!taken.applied()) {
            // Either another invocation holds the lease, or the start ended since the read above.
            Check now = taken.check() == null ? check : taken.check();
            rejectIfFailed(now);
            if (started(now)) {
                LOG.info("idempotent repeat: the start completed meanwhile");
                return CheckView.of(now);
            }
            throw CheckInProgress.untilLeaseEnds(check.checkId(),
                    now.lease() == null ? null : now.lease().untilMillis());
        }
        LOG.infof("resuming check from step %s", taken.check().step());
        return CheckView.of(advance(taken.check(), request, deadline, leaseOwner));
    }

    private Check advance(Check check, CheckRequest request, Deadline deadline, String owner) {
        String id = check.checkId();
        StartStage stage = StartStage.ACCOUNT;
        boolean uploaded = false;
        try {
            String accountId;
            String workflowId;
            String uploadUrl;
            String finalizeUrl;
            String token;
            boolean resumed = check.step() != Step.RECORDED;
            if (!resumed) {
                WorkflowStart start = unrecorded.remove(id);
                if (start != null) {
                    LOG.infof("recording the workflow started by an earlier attempt: %s", start.workflowExecutionId());
                } else {
                    start = jumio.startWorkflow(request.accountId(), accountRequest(request), deadline);
                }
                recordWorkflowStarted(id, owner, start);
                LOG.infof("workflow started: account %s, workflow execution %s", start.accountId(),
                        start.workflowExecutionId());
                accountId = start.accountId();
                workflowId = start.workflowExecutionId();
                uploadUrl = start.preparedDataUrl();
                finalizeUrl = start.workflowExecutionUrl();
                token = start.workflowToken();
            } else {
                stage = StartStage.RESUME;
                accountId = check.accountId();
                workflowId = check.workflowExecutionId();
                uploadUrl = check.resume() == null ? null : check.resume().preparedDataUrl();
                finalizeUrl = check.resume() == null ? null : check.resume().finalizeUrl();
                token = unseal(check);
            }
            boolean finalized = false;
            if (check.step().compareTo(Step.DATA_UPLOADED) < 0) {
                // The upload is not recorded on its own (one DynamoDB write less per check): the upload is safe to
                // repeat, and a failed finalize records it below, so the retry only finalizes.
                stage = StartStage.UPLOAD;
                try {
                    jumio.uploadPreparedData(accountId, workflowId, uploadUrl, token, request.preparedData(),
                            deadline);
                    LOG.info("prepared data uploaded");
                } catch (JumioCallFailure.Rejected e) {
                    // An attempt that died after finalizing (before recording it) leaves a workflow that refuses
                    // further uploads. Whether it was finalized is what finalize answers: if it succeeds, the start is
                    // complete; if not, the upload's refusal stands.
                    if (!resumed || !finalizes(accountId, workflowId, finalizeUrl, token, deadline)) {
                        throw e;
                    }
                    LOG.info("the workflow had been finalized by an earlier attempt");
                    finalized = true;
                }
                uploaded = true;
            }
            if (!finalized) {
                stage = StartStage.FINALIZE;
                jumio.finalizeWorkflow(accountId, workflowId, finalizeUrl, token, deadline);
            }
            Check done = store.recordFinalized(id, owner);
            LOG.info("workflow finalized");
            return done;
        } catch (JumioCallFailure.Rejected e) {
            FailureReason reason = FailureReason.refused(e.status(), stage);
            store.recordStartFailed(id, owner, reason);
            String step = stage.name().toLowerCase(Locale.ROOT);
            LOG.warnf("Jumio rejected the %s step with HTTP %d; check failed", step, e.status());
            // A waiting Step Functions task fails with this error itself; no SendTaskFailure is needed.
            throw new JumioRejected("Jumio rejected the " + step + " step with HTTP " + e.status()
                    + " (check " + id + " is FAILED)");
        } catch (JumioCallFailure e) {
            if (uploaded) {
                recordUploaded(id, owner);
            }
            store.releaseLease(id, owner);
            String step = stage.name().toLowerCase(Locale.ROOT);
            LOG.warnf("Jumio unavailable at the %s step: %s", step, e.getMessage());
            throw new JumioUnavailable("Jumio is unavailable (" + step + " step); retry with the same request",
                    e.retryAfterSeconds(), id);
        } catch (CheckStore.LeaseLost e) {
            throw new CheckInProgress(id, 1);
        } catch (RuntimeException e) {
            store.releaseLease(id, owner);
            throw e;
        }
    }

    /**
     * Jumio has started a workflow, which only this record ties to the check: if DynamoDB refuses it (throttled or
     * down past the SDK's retries), the workflow is kept in this container, so that the retry of the request records
     * it instead of starting a second one at Jumio.
     */
    private void recordWorkflowStarted(String id, String owner, WorkflowStart start) {
        try {
            store.recordWorkflowStarted(id, owner, new Check.Workflow(start.accountId(), start.workflowExecutionId()),
                    new Check.Resume(start.preparedDataUrl(), start.workflowExecutionUrl(),
                            seal.seal(start.workflowToken())));
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
    private boolean finalizes(String accountId, String workflowId, String finalizeUrl, String token,
            Deadline deadline) {
        try {
            jumio.finalizeWorkflow(accountId, workflowId, finalizeUrl, token, deadline);
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

    private static boolean started(Check check) {
        return check.step() == Step.FINALIZED || check.status().terminal();
    }

    /**
     * The same answer as the first time: the repeat of a request Jumio refused is refused again, and a task token that
     * comes with it is failed by this very error.
     */
    private static void rejectIfFailed(Check check) {
        if (check.status() == CheckStatus.FAILED) {
            String reason = (check.failure() == null ? FailureReason.refused(0, null) : check.failure()).code();
            throw new JumioRejected("Check " + check.checkId() + " failed earlier (" + reason
                    + "); send a new request");
        }
    }

    private String unseal(Check check) {
        try {
            if (check.resume() != null && check.resume().sealedWorkflowToken() != null) {
                return seal.unseal(check.resume().sealedWorkflowToken());
            }
        } catch (IllegalStateException e) {
            // Sealed under a key that has been rotated since: handled below like a missing token.
        }
        // Without the workflow's own token nothing more can be sent to this workflow; Jumio expires it.
        throw new JumioCallFailure.Rejected("resume", 401, "workflow token unavailable");
    }

    private AccountRequest accountRequest(CheckRequest request) {
        return new AccountRequest(request.customerInternalReference(), request.userReference(),
                callbackAddress.callbackUrl(), AccountRequest.WorkflowDefinition.of(request.workflowKey()));
    }
}
