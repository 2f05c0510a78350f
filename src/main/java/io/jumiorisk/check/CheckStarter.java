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
import io.jumiorisk.errors.CheckErased;
import io.jumiorisk.errors.CheckInProgress;
import io.jumiorisk.errors.IdempotencyConflict;
import io.jumiorisk.errors.JumioRejected;
import io.jumiorisk.errors.JumioUnavailable;
import io.jumiorisk.jumio.JumioCallFailure;
import io.jumiorisk.jumio.JumioRetrieval;
import io.jumiorisk.jumio.JumioWorkflows;
import io.jumiorisk.jumio.UntrustedUrl;
import io.jumiorisk.jumio.WorkflowStart;
import io.jumiorisk.keys.TokenSeal;
import io.jumiorisk.ops.Metrics;
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
    private final AccountStart accounts;
    private final JumioWorkflows jumio;
    private final JumioRetrieval retrieval;
    private final RequestHashes hashes;
    private final TokenSeal seal;
    private final CheckFinisher finisher;
    private final Metrics metrics;
    /** Workflows started at Jumio whose record DynamoDB refused, by check id; held in memory only. */
    private final Map<String, WorkflowStart> unrecorded = new ConcurrentHashMap<>();

    public CheckStarter(CheckStore store, AccountStart accounts, JumioWorkflows jumio, JumioRetrieval retrieval,
            RequestHashes hashes, TokenSeal seal, CheckFinisher finisher, Metrics metrics) {
        this.store = store;
        this.accounts = accounts;
        this.jumio = jumio;
        this.retrieval = retrieval;
        this.hashes = hashes;
        this.seal = seal;
        this.finisher = finisher;
        this.metrics = metrics;
    }

    /**
     * @param idempotencyKey the caller's key; when absent, {@code chosenCheckId}, else
     *     {@code customerInternalReference}
     * @param taskToken a Step Functions task token to complete when the check does, or null
     * @param leaseOwner identifies this attempt as the holder of the lease
     * @param chosenCheckId the id a state machine chose for the check, so that its later states work by it; or null
     */
    public CheckView start(CheckRequest request, String idempotencyKey, String taskToken, Deadline deadline,
            String leaseOwner, String chosenCheckId) {
        String key = idempotencyKey != null
                ? idempotencyKey
                : chosenCheckId != null ? chosenCheckId : request.customerInternalReference();
        String requestHash = hashes.request(request);
        Check.Lease lease = new Check.Lease(leaseOwner, deadline.epochMillis());
        CheckStore.Claim claim = store.createOrFind(
                chosenCheckId != null ? chosenCheckId : UUID.randomUUID().toString(), hashes.idempotencyKey(key),
                requestHash, hashes.idempotencyKey(request.customerInternalReference()), request.workflowKey(),
                taskToken == null ? null : seal.seal(taskToken), lease);
        Check check = claim.check();
        MDC.put("checkId", check.checkId());
        if (check.status() == CheckStatus.ERASED) {
            // The key's check was erased on request: no replay may send the person's data to Jumio again.
            throw new CheckErased(check.checkId());
        }
        if (claim.created()) {
            LOG.info("check recorded");
            metrics.checkStarted();
            return CheckView.of(advance(check, request, deadline, leaseOwner));
        }
        if (!requestHash.equals(claim.existingRequestHash())) {
            throw new IdempotencyConflict();
        }
        rejectIfFailed(check);
        if (taskToken != null && (check.task() == null || !taskToken.equals(unsealedTask(check)))) {
            CheckStore.Transition attached = store.attachTaskToken(check.checkId(), seal.seal(taskToken));
            check = attached.check() == null ? check : attached.check();
            finisher.completeWaitingTask(check, deadline);
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
        Check.Workflow workflow = check.workflow();
        try {
            Check.Resume resume;
            String token;
            boolean resumed = check.step() != Step.RECORDED;
            if (!resumed) {
                WorkflowStart start = unrecorded.remove(id);
                if (start != null) {
                    LOG.infof("recording the workflow started by an earlier attempt: %s", start.workflowExecutionId());
                } else {
                    start = accounts.create(check, request, deadline, owner);
                }
                workflow = new Check.Workflow(start.accountId(), start.workflowExecutionId());
                resume = new Check.Resume(start.preparedDataUrl(), start.workflowExecutionUrl(), null);
                token = start.workflowToken();
                recordWorkflowStarted(id, owner, start);
                LOG.infof("workflow started: account %s, workflow execution %s", start.accountId(),
                        start.workflowExecutionId());
            } else {
                stage = StartStage.RESUME;
                workflow = check.workflow();
                resume = check.resume();
                token = unseal(check);
            }
            if (check.step().compareTo(Step.DATA_UPLOADED) < 0) {
                // The upload is not recorded on its own (one DynamoDB write less per check): the upload is safe to
                // repeat, and a failed finalize records it below, so the retry only finalizes.
                stage = StartStage.UPLOAD;
                jumio.uploadPreparedData(workflow.accountId(), workflow.workflowExecutionId(),
                        resume.preparedDataUrl(), token, request.preparedData(), deadline);
                LOG.info("prepared data uploaded");
                uploaded = true;
            }
            stage = StartStage.FINALIZE;
            jumio.finalizeWorkflow(workflow.accountId(), workflow.workflowExecutionId(), resume.finalizeUrl(), token,
                    deadline);
            return finalized(id, owner);
        } catch (JumioCallFailure.Rejected e) {
            if (stage != StartStage.ACCOUNT) {
                // The upload or finalize may repeat one that Jumio has already taken (an attempt that died, or a
                // retried call whose answer was lost), and what Jumio answers then is not documented: a workflow that
                // Jumio is processing must not become a failure for it. Its status decides.
                return afterRefusal(id, workflow, owner, e, stage, deadline);
            }
            throw failed(id, owner, FailureReason.refused(e.status(), stage),
                    "Jumio rejected the " + name(stage) + " step with HTTP " + e.status());
        } catch (UntrustedUrl e) {
            LOG.warnf("%s; nothing sent, check failed", e.getMessage());
            throw failed(id, owner, FailureReason.untrustedUrl(stage), e.getMessage());
        } catch (AccountStart.AttemptsExhausted e) {
            throw failed(id, owner, FailureReason.ambiguousAnswers(), e.getMessage());
        } catch (JumioCallFailure e) {
            if (uploaded) {
                recordUploaded(id, owner);
            }
            store.releaseLease(id, owner);
            LOG.warnf("Jumio unavailable at the %s step: %s", name(stage), e.getMessage());
            throw new JumioUnavailable(JumioCallFailure.RATE_USED_UP.equals(e.answer())
                    ? "Jumio's rate for starting checks is used up for now; retry with the same request after"
                            + " Retry-After"
                    : "Jumio is unavailable (" + name(stage) + " step); retry with the same request",
                    e.retryAfterSeconds(), id);
        } catch (CheckStore.LeaseLost e) {
            throw new CheckInProgress(id, 1);
        } catch (RuntimeException e) {
            store.releaseLease(id, owner);
            throw e;
        }
    }

    private Check finalized(String id, String owner) {
        Check done = store.recordFinalized(id, owner);
        LOG.info("workflow finalized");
        return done;
    }

    /**
     * An upload or finalize was refused. If Jumio has the workflow finalized (an earlier attempt did it), the start is
     * complete; if the workflow expired meanwhile, the check ends as such; only a workflow still waiting for its data
     * makes the refusal stand.
     */
    private Check afterRefusal(String id, Check.Workflow workflow, String owner, JumioCallFailure.Rejected refusal,
            StartStage stage, Deadline deadline) {
        String refused = "Jumio rejected the " + name(stage) + " step with HTTP " + refusal.status();
        if (workflow == null) {
            throw failed(id, owner, FailureReason.refused(refusal.status(), stage), refused);
        }
        String status;
        try {
            status = retrieval.workflowStatus(workflow.accountId(), workflow.workflowExecutionId(), deadline)
                    .path("workflowExecution").path("status").asText("");
        } catch (JumioCallFailure e) {
            store.releaseLease(id, owner);
            throw new JumioUnavailable(refused + ", and its status could not be asked; retry with the same request",
                    e.retryAfterSeconds(), id);
        }
        LOG.infof("%s; Jumio reports %s", refused, status.isEmpty() ? "no status" : status);
        switch (status) {
            case "ACQUIRED", "PROCESSED" -> {
                LOG.info("the workflow had been finalized by an earlier attempt");
                return finalized(id, owner);
            }
            case "SESSION_EXPIRED", "TOKEN_EXPIRED" -> {
                CheckStore.Transition expired = store.recordExpired(id, CheckStatus.valueOf(status));
                store.releaseLease(id, owner);
                return finisher.changed(expired.check(), expired, deadline);
            }
            case "INITIATED" -> throw failed(id, owner, FailureReason.refused(refusal.status(), stage), refused);
            default -> {
                // A status this version does not know: nothing final is decided on it.
                store.releaseLease(id, owner);
                throw new JumioUnavailable(refused + ", and Jumio reports the workflow " + status
                        + "; retry with the same request", null, id);
            }
        }
    }

    /** Records a start that failed for good; the answer is a 502 (a waiting Step Functions task fails with it). */
    private JumioRejected failed(String id, String owner, FailureReason reason, String why) {
        store.recordStartFailed(id, owner, reason);
        LOG.warnf("%s; check failed (%s)", why, reason.code());
        return new JumioRejected(why + " (check " + id + " is FAILED, " + reason.code() + ")");
    }

    private static String name(StartStage stage) {
        return stage.name().toLowerCase(Locale.ROOT);
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

    /** The check's task token, or null when it cannot be read (sealed before a key rotation). */
    private String unsealedTask(Check check) {
        try {
            return seal.unseal(check.task().sealedToken());
        } catch (IllegalStateException e) {
            return null;
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
}
