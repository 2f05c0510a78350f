package io.jumiorisk.callback;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.CheckCompletion;
import io.jumiorisk.store.CheckRecord;
import io.jumiorisk.store.CheckStore;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A callback only notifies; the details come from Jumio itself. The notice is recorded with one conditional write,
 * and only the invocation that recorded it goes on to fetch the decision, so duplicates cost nothing.
 */
@ApplicationScoped
public class CallbackIntake {
    private static final Logger LOG = Logger.getLogger(CallbackIntake.class);

    private final CheckStore store;
    private final CheckCompletion completion;

    public CallbackIntake(CheckStore store, CheckCompletion completion) {
        this.store = store;
        this.completion = completion;
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
        CheckRecord check = checkId == null ? null : store.get(checkId).orElse(null);
        if (check == null || !notice.accountId().equals(check.accountId())) {
            LOG.infof("callback for a workflow that is not ours: %s", notice.workflowExecutionId());
            return Outcome.UNKNOWN_WORKFLOW;
        }
        MDC.put("checkId", check.checkId());
        if (check.callbackStatus() != null || check.status().terminal()) {
            // What the conditional write below would refuse anyway; seen in the read, it costs no Jumio call.
            LOG.infof("callback %s ignored: duplicate or after the end", notice.status());
            // A task completion that failed earlier gets another chance with every delivery.
            completion.completeWaitingTask(check, deadline);
            return Outcome.IGNORED;
        }
        boolean processed = "PROCESSED".equals(notice.status());
        if (processed) {
            // Fetch first, then record the callback and the decision in one conditional write (the ids read above
            // are all the fetch needs). Jumio gets its 200 only after that write, as before; if the fetch fails the
            // callback is recorded alone, and retrieve finishes the check.
            CheckCompletion.Fetched fetched = completion.fetch(check, deadline);
            if (fetched.decision() != null) {
                Boolean recorded = recordWithDecision(check, fetched);
                if (recorded != null) {
                    if (!recorded) {
                        LOG.infof("callback %s ignored: duplicate or after the end", notice.status());
                        return Outcome.IGNORED;
                    }
                    LOG.infof("callback %s recorded with its decision: %s", notice.status(), fetched.decision().type());
                    completion.afterChange(check, deadline);
                    return Outcome.RECORDED;
                }
            } else {
                LOG.infof("decision not fetched now (%s); retrieve will finish the check", fetched.result());
            }
        }
        if (!store.recordCallback(check.checkId(), notice.status())) {
            LOG.infof("callback %s ignored: duplicate or after the end", notice.status());
            // A task completion that failed earlier gets another chance with every delivery.
            completion.completeWaitingTask(check, deadline);
            return Outcome.IGNORED;
        }
        LOG.infof("callback %s recorded", notice.status());
        if (!processed) {
            completion.afterChange(check, deadline);
        }
        return Outcome.RECORDED;
    }

    /**
     * The callback and its decision in one write; null when DynamoDB refused that write, so that the callback alone,
     * the smaller write, is tried next: the notice must be recorded before Jumio gets its 200.
     */
    private Boolean recordWithDecision(CheckRecord check, CheckCompletion.Fetched fetched) {
        try {
            return store.recordCallbackWithDecision(check.checkId(), fetched.decision());
        } catch (SdkException e) {
            LOG.warnf("callback and decision not stored together (%s); recording the callback alone",
                    e.getClass().getSimpleName());
            return null;
        }
    }
}
