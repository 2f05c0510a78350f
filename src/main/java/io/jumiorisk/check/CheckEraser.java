package io.jumiorisk.check;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.model.Check;
import io.jumiorisk.check.model.CheckStatus;
import io.jumiorisk.check.model.ErasureOutcome;
import io.jumiorisk.check.model.ErasureScope;
import io.jumiorisk.errors.CheckInProgress;
import io.jumiorisk.errors.CheckNotFound;
import io.jumiorisk.errors.JumioRejected;
import io.jumiorisk.errors.JumioUnavailable;
import io.jumiorisk.jumio.JumioCallFailure;
import io.jumiorisk.jumio.JumioErasure;
import io.jumiorisk.ops.Metrics;
import io.jumiorisk.store.CheckStore;

/**
 * Erases a check on request (right to erasure): marks it, deletes its workflow (or its whole Jumio account) at Jumio,
 * then replaces it with a tombstone that holds only its id and when and how it was erased. The mark comes first, so a
 * failure part-way is on record and a repeat completes it; Jumio's DELETE is idempotent, so a repeat is always safe.
 */
@ApplicationScoped
public class CheckEraser {
    private static final Logger LOG = Logger.getLogger(CheckEraser.class);

    private final CheckStore store;
    private final JumioErasure jumio;
    private final TaskNotifier tasks;
    private final Metrics metrics;

    public CheckEraser(CheckStore store, JumioErasure jumio, TaskNotifier tasks, Metrics metrics) {
        this.store = store;
        this.jumio = jumio;
        this.tasks = tasks;
        this.metrics = metrics;
    }

    public CheckView erase(String checkId, ErasureScope scope, Deadline deadline) {
        CheckIds.validate(checkId);
        MDC.put("checkId", checkId);
        Check check = store.get(checkId).orElseThrow(() -> new CheckNotFound(checkId));
        if (check.status() == CheckStatus.ERASED) {
            LOG.info("erasure repeated: the check was erased already");
            return CheckView.of(check);
        }
        CheckStore.Transition mark = store.markForErasure(checkId, scope);
        Check marked = mark.check();
        if (marked == null) {
            throw new CheckNotFound(checkId);
        }
        if (!mark.applied()) {
            if (marked.status() == CheckStatus.ERASED) {
                return CheckView.of(marked);
            }
            // A start holds the lease: the workflow it may be creating right now could not be deleted yet.
            throw CheckInProgress.untilLeaseEnds(checkId, marked.lease() == null ? null : marked.lease().untilMillis());
        }
        ErasureOutcome outcome = deleteAtJumio(marked, scope, deadline);
        tasks.failForErasure(marked, deadline);
        CheckStore.Transition erased = store.recordErased(marked, scope, outcome);
        if (!erased.applied()) {
            LOG.info("another erasure of this check finished first");
        } else {
            metrics.checkErased();
        }
        // Null only when a pointer item changed hands meanwhile and the tombstone was not written.
        Check tombstone = erased.check() != null
                ? erased.check()
                : store.get(checkId).orElseThrow(() -> new CheckNotFound(checkId));
        LOG.infof("check erased: scope %s, Jumio %s", scope.wire(),
                tombstone.erasure() == null ? null : tombstone.erasure().outcome());
        return CheckView.of(tombstone);
    }

    private ErasureOutcome deleteAtJumio(Check check, ErasureScope scope, Deadline deadline) {
        if (check.accountId() == null) {
            // No workflow of its own at Jumio. An ambiguous attempt may have left one, which reveals itself by its
            // expiry callback; the tombstone keeps the attempts, so that the orphan is deleted then.
            return check.unresolvedAttempts() > 0
                    ? ErasureOutcome.ATTEMPT_UNRESOLVED
                    : ErasureOutcome.NO_WORKFLOW_STARTED;
        }
        try {
            boolean deleted = scope == ErasureScope.ACCOUNT
                    ? jumio.deleteAccount(check.accountId(), deadline)
                    : jumio.deleteWorkflow(check.accountId(), check.workflowExecutionId(), deadline);
            return deleted ? ErasureOutcome.DELETED : ErasureOutcome.ALREADY_GONE;
        } catch (JumioCallFailure.Rejected e) {
            if (e.status() == 403) {
                throw new JumioRejected("Jumio refused the deletion (HTTP 403): the OAuth2 client that erases"
                        + " (the one JUMIO_ERASE_CREDENTIALS_SECRET_ID names; the main client where that is not set)"
                        + " lacks Jumio's \"retrieve & delete\" permission. Grant it to that client where its API"
                        + " credentials are managed in the Jumio portal, then repeat the request: check "
                        + check.checkId()
                        + " stays marked for erasure.");
            }
            throw new JumioRejected("Jumio refused the deletion with HTTP " + e.status() + "; check "
                    + check.checkId() + " stays marked for erasure");
        } catch (JumioCallFailure e) {
            LOG.warnf("erasure at Jumio failed, check left marked for erasure: %s", e.getMessage());
            throw new JumioUnavailable("Jumio could not be reached to delete the data; check " + check.checkId()
                    + " stays marked for erasure: repeat the request", e.retryAfterSeconds(), check.checkId());
        }
    }
}
