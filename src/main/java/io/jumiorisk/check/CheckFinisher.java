package io.jumiorisk.check;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.model.Check;
import io.jumiorisk.check.model.CheckStatus;
import io.jumiorisk.check.model.Decision;
import io.jumiorisk.errors.StoreUnavailable;
import io.jumiorisk.jumio.JumioCallFailure;
import io.jumiorisk.jumio.JumioRetrieval;
import io.jumiorisk.store.CheckStore;

/**
 * Finishes a check from Jumio's own answer: fetches the workflow details with our OAuth token (URLs built from ids,
 * never from a callback's {@code href}), stores the decision summary, and has a waiting Step Functions task told.
 * Shared by the callback path and by retrieve's reconciliation.
 */
@ApplicationScoped
public class CheckFinisher {
    private static final Logger LOG = Logger.getLogger(CheckFinisher.class);

    private final JumioRetrieval retrieval;
    private final CheckStore store;
    private final TaskNotifier tasks;

    public CheckFinisher(JumioRetrieval retrieval, CheckStore store, TaskNotifier tasks) {
        this.retrieval = retrieval;
        this.store = store;
        this.tasks = tasks;
    }

    /** What asking Jumio for the decision led to. */
    public enum Result {
        /** Jumio has decided. */
        DECIDED,
        /** Jumio has no decision yet. */
        NOT_READY,
        /** Jumio could not be asked now; a later retrieve will try again. */
        UNAVAILABLE
    }

    /** What {@link #fetch} got: a decision (result {@code DECIDED}), or none and why. */
    public record Fetched(Result result, Decision decision) {
    }

    /**
     * Fetches the details of a check that Jumio reports as processed, and stores the decision.
     *
     * @return the check as it is now
     */
    public Check fetchDecision(Check check, Deadline deadline) {
        Fetched fetched = fetch(check, deadline);
        if (fetched.decision() == null) {
            return check;
        }
        CheckStore.Transition stored;
        try {
            stored = store.recordDecision(check.checkId(), fetched.decision());
        } catch (StoreUnavailable e) {
            // The decision stays to be fetched (detailsPending); the next read does it.
            LOG.warn("decision not stored, left for later: StoreUnavailable");
            return check;
        }
        if (stored.applied()) {
            LOG.infof("decision stored: %s", fetched.decision().type());
        }
        return changed(check, stored, deadline);
    }

    /** Fetches the decision from Jumio without storing it, for a caller that stores it with another change. */
    public Fetched fetch(Check check, Deadline deadline) {
        JsonNode details;
        try {
            details = retrieval.workflowDetails(check.accountId(), check.workflowExecutionId(), deadline);
        } catch (JumioCallFailure.Rejected e) {
            if (e.status() == 404) {
                return new Fetched(Result.NOT_READY, null);
            }
            LOG.warnf("details retrieval refused: %s", e.getMessage());
            return new Fetched(Result.UNAVAILABLE, null);
        } catch (JumioCallFailure e) {
            LOG.warnf("details retrieval failed, left for later: %s", e.getMessage());
            return new Fetched(Result.UNAVAILABLE, null);
        }
        Decision decision = DecisionReader.read(details);
        return decision == null ? new Fetched(Result.NOT_READY, null) : new Fetched(Result.DECIDED, decision);
    }

    /** What asking Jumio's status API led to. */
    public enum Settlement {
        /** The check is complete now (by us or by someone faster), or its decision is due to be fetched. */
        FINISHED,
        /** Jumio reports the workflow still running (or a status it has added since): the check stays pending. */
        STILL_RUNNING,
        /** Jumio could not be asked now. */
        UNAVAILABLE
    }

    /** @param jumioStatus what Jumio's status API said; empty when it could not be asked */
    public record Settled(Settlement result, String jumioStatus, Check check) {
    }

    /**
     * Asks Jumio's status API what became of the check, and records what it says: a processed workflow's decision, an
     * expiry. Settles a callback whose status needs confirming, and a pending check that no callback finished.
     *
     * @param callbackStatus the status a callback announced, recorded with what it confirms; null without a callback
     */
    public Settled settle(Check check, String callbackStatus, Deadline deadline) {
        String status;
        try {
            status = retrieval.workflowStatus(check.accountId(), check.workflowExecutionId(), deadline)
                    .path("workflowExecution").path("status").asText("");
        } catch (JumioCallFailure e) {
            LOG.warnf("status retrieval failed: %s", e.getMessage());
            return new Settled(Settlement.UNAVAILABLE, "", check);
        }
        return switch (status) {
            case "PROCESSED" -> {
                Check now = fetchDecision(check, deadline);
                if (now.status() == CheckStatus.PENDING && callbackStatus != null) {
                    // Known processed, decision not fetched: the next read fetches it (detailsPending).
                    now = changed(now, store.recordCallback(check.checkId(), status), deadline);
                }
                yield new Settled(Settlement.FINISHED, status, now);
            }
            case "SESSION_EXPIRED", "TOKEN_EXPIRED" -> new Settled(Settlement.FINISHED, status,
                    callbackStatus == null
                            ? expire(check, CheckStatus.valueOf(status), deadline)
                            : changed(check, store.recordCallback(check.checkId(), status), deadline));
            default -> new Settled(Settlement.STILL_RUNNING, status.isEmpty() ? "no status" : status, check);
        };
    }

    /**
     * Completes a check that Jumio reports as expired without a callback having said so.
     *
     * @return the check as it is now
     */
    public Check expire(Check check, CheckStatus expired, Deadline deadline) {
        CheckStore.Transition stored = store.recordExpired(check.checkId(), expired);
        if (stored.applied()) {
            LOG.infof("check expired at Jumio: %s", expired);
        }
        return changed(check, stored, deadline);
    }

    /**
     * After a write to a check: completes its Step Functions task if one waits. The written (or found) check is the
     * current one, so a token that a retried task attached since the first read is seen too.
     *
     * @return the check as it is now
     */
    public Check changed(Check before, CheckStore.Transition write, Deadline deadline) {
        Check now = write.check() == null ? before : write.check();
        completeWaitingTask(now, deadline);
        return now;
    }

    /** Completes the check's Step Functions task if one still waits (an earlier attempt may have failed). */
    public void completeWaitingTask(Check check, Deadline deadline) {
        tasks.completeIfDone(check, deadline);
    }
}
