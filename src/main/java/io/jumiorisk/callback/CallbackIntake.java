package io.jumiorisk.callback;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.CheckFinisher;
import io.jumiorisk.check.OrphanFinder;
import io.jumiorisk.check.model.Check;
import io.jumiorisk.check.model.CheckStatus;
import io.jumiorisk.errors.StoreUnavailable;
import io.jumiorisk.store.CheckStore;

/**
 * A callback only notifies; the details come from Jumio itself. A {@code PROCESSED} notice is recorded with its
 * decision in one conditional write, and only the invocation that recorded it goes on, so duplicates cost nothing. Any
 * other status (the two expiries, and those Jumio may add) is first confirmed with one status request: a stale or
 * replayed expiry then cannot hide a result. A notice for a workflow that no check owns may be a workflow that an
 * ambiguous account request left at Jumio: {@link OrphanFinder} records it for the erase sweep to delete.
 */
@ApplicationScoped
public class CallbackIntake {
    private static final Logger LOG = Logger.getLogger(CallbackIntake.class);

    private final CheckStore store;
    private final CheckFinisher finisher;
    private final OrphanFinder orphans;

    public CallbackIntake(CheckStore store, CheckFinisher finisher, OrphanFinder orphans) {
        this.store = store;
        this.finisher = finisher;
        this.orphans = orphans;
    }

    public enum Outcome {
        /** Recorded now; the decision may or may not have been fetched yet. */
        RECORDED,
        /** A duplicate, a status after the check had already ended, or one Jumio does not confirm: nothing changed. */
        IGNORED,
        /** A workflow left at Jumio by an ambiguous account request: recorded, for the erase sweep to delete. */
        ORPHAN_FOUND,
        /** The workflow belongs to another check than the one the callback URL names: refused, nothing written. */
        REFUSED,
        /** Not a workflow we started: nothing written. */
        UNKNOWN_WORKFLOW,
        /** Could not be settled now (Jumio or DynamoDB unavailable): the callback must be delivered again. */
        NOT_RECORDED
    }

    /** @param urlCheckId the check the callback's URL names, which its key has proven */
    public Outcome accept(CallbackNotice notice, String urlCheckId, Deadline deadline) {
        String checkId = store.checkIdForWorkflow(notice.workflowExecutionId()).orElse(null);
        if (checkId != null && !checkId.equals(urlCheckId)) {
            // One check's URL may speak only for that check's workflows.
            LOG.warnf("callback refused: workflow %s is not of the check its URL names", notice.workflowExecutionId());
            return Outcome.REFUSED;
        }
        Check check = checkId == null ? null : store.get(checkId).orElse(null);
        if (check != null && check.status() == CheckStatus.ERASED) {
            // Its subject asked to be forgotten: nothing is asked at Jumio, nothing changes.
            return ignored(notice, check, deadline);
        }
        if (check == null || !notice.accountId().equals(check.accountId())) {
            return switch (orphans.find(urlCheckId, notice.accountId(), notice.workflowExecutionId(), deadline)) {
                case FOUND -> Outcome.ORPHAN_FOUND;
                case NOT_OURS -> Outcome.UNKNOWN_WORKFLOW;
                case UNAVAILABLE -> Outcome.NOT_RECORDED;
            };
        }
        MDC.put("checkId", check.checkId());
        if (check.callback() != null || check.status().terminal()) {
            // What the conditional write below would refuse anyway; seen in the read, it costs no Jumio call.
            return ignored(notice, check, deadline);
        }
        if (!CallbackNotice.PROCESSED.equals(notice.status())) {
            return settle(notice, check, deadline);
        }
        // Fetch first, then record the callback and the decision in one conditional write (the ids read above are all
        // the fetch needs). Jumio gets its 200 only after that write; if the fetch fails the callback is recorded
        // alone, and retrieve finishes the check.
        CheckFinisher.Fetched fetched = finisher.fetch(check, deadline);
        if (fetched.decision() == null) {
            LOG.infof("decision not fetched now (%s); retrieve will finish the check", fetched.result());
        } else {
            CheckStore.Transition recorded = recordWithDecision(check, fetched);
            if (recorded != null && !recorded.applied()) {
                LOG.infof("callback %s ignored: duplicate or after the end", notice.status());
                return Outcome.IGNORED;
            }
            if (recorded != null) {
                LOG.infof("callback %s recorded with its decision: %s", notice.status(), fetched.decision().type());
                finisher.changed(check, recorded, deadline);
                return Outcome.RECORDED;
            }
        }
        CheckStore.Transition recorded = store.recordCallback(check.checkId(), notice.status());
        if (!recorded.applied()) {
            return ignored(notice, recorded.check() == null ? check : recorded.check(), deadline);
        }
        LOG.infof("callback %s recorded", notice.status());
        return Outcome.RECORDED;
    }

    /**
     * A status other than PROCESSED: Jumio's status API says what holds. If it cannot be asked now, the notice is
     * kept as "to be confirmed", and the next read asks at once.
     */
    private Outcome settle(CallbackNotice notice, Check check, Deadline deadline) {
        CheckFinisher.Settled settled = finisher.settle(check, notice.status(), deadline);
        switch (settled.result()) {
            case FINISHED -> {
                LOG.infof("callback %s settled: Jumio reports %s", notice.status(), settled.jumioStatus());
                return Outcome.RECORDED;
            }
            case STILL_RUNNING -> {
                LOG.infof("callback %s not confirmed: Jumio reports %s; the check stays pending", notice.status(),
                        settled.jumioStatus());
                return Outcome.IGNORED;
            }
            default -> {
                store.markConfirmPending(check.checkId());
                LOG.infof("callback %s kept to be confirmed: the status could not be asked now", notice.status());
                return Outcome.RECORDED;
            }
        }
    }

    private Outcome ignored(CallbackNotice notice, Check check, Deadline deadline) {
        LOG.infof("callback %s ignored: duplicate or after the end", notice.status());
        // A task completion that failed earlier gets another chance with every delivery.
        finisher.completeWaitingTask(check, deadline);
        return Outcome.IGNORED;
    }

    /**
     * The callback and its decision in one write; null when DynamoDB refused that write, so that the callback alone,
     * the smaller write, is tried next: the notice must be recorded before Jumio gets its 200.
     */
    private CheckStore.Transition recordWithDecision(Check check, CheckFinisher.Fetched fetched) {
        try {
            return store.recordCallbackWithDecision(check.checkId(), fetched.decision());
        } catch (StoreUnavailable e) {
            LOG.warn("callback and decision not stored together (StoreUnavailable); recording the callback alone");
            return null;
        }
    }
}
