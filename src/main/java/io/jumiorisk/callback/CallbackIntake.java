package io.jumiorisk.callback;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.CheckFinisher;
import io.jumiorisk.check.model.Check;
import io.jumiorisk.errors.StoreUnavailable;
import io.jumiorisk.store.CheckStore;

/**
 * A callback only notifies; the details come from Jumio itself. The notice is recorded with one conditional write,
 * and only the invocation that recorded it goes on to fetch the decision, so duplicates cost nothing.
 */
@ApplicationScoped
public class CallbackIntake {
    private static final Logger LOG = Logger.getLogger(CallbackIntake.class);

    private final CheckStore store;
    private final CheckFinisher finisher;

    public CallbackIntake(CheckStore store, CheckFinisher finisher) {
        this.store = store;
        this.finisher = finisher;
    }

    public enum Outcome {
        /** Recorded now; the decision may or may not have been fetched yet. */
        RECORDED,
        /** A duplicate, or a status after the check had already ended: nothing changed. */
        IGNORED,
        /** Not a workflow we started: nothing written. */
        UNKNOWN_WORKFLOW
    }

    public Outcome accept(CallbackNotice notice, Deadline deadline) {
        String checkId = store.checkIdForWorkflow(notice.workflowExecutionId()).orElse(null);
        Check check = checkId == null ? null : store.get(checkId).orElse(null);
        if (check == null || !notice.accountId().equals(check.accountId())) {
            LOG.infof("callback for a workflow that is not ours: %s", notice.workflowExecutionId());
            return Outcome.UNKNOWN_WORKFLOW;
        }
        MDC.put("checkId", check.checkId());
        if (check.callback() != null || check.status().terminal()) {
            // What the conditional write below would refuse anyway; seen in the read, it costs no Jumio call.
            return ignored(notice, check, deadline);
        }
        boolean processed = "PROCESSED".equals(notice.status());
        if (processed) {
            // Fetch first, then record the callback and the decision in one conditional write (the ids read above
            // are all the fetch needs). Jumio gets its 200 only after that write, as before; if the fetch fails the
            // callback is recorded alone, and retrieve finishes the check.
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
        }
        CheckStore.Transition recorded = store.recordCallback(check.checkId(), notice.status());
        if (!recorded.applied()) {
            return ignored(notice, recorded.check() == null ? check : recorded.check(), deadline);
        }
        LOG.infof("callback %s recorded", notice.status());
        if (!processed) {
            finisher.changed(check, recorded, deadline);
        }
        return Outcome.RECORDED;
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
