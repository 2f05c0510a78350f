package io.jumiorisk.check;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;
import io.jumiorisk.jumio.JumioCallFailure;
import io.jumiorisk.jumio.JumioClient;
import io.jumiorisk.sfn.TaskCompletion;
import io.jumiorisk.store.CheckRecord;
import io.jumiorisk.store.CheckStatus;
import io.jumiorisk.store.CheckStore;
import io.jumiorisk.store.Decision;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Finishes a check from Jumio's own answer: fetches the workflow details with our OAuth token (URLs built from ids,
 * never from a callback's {@code href}), stores the decision summary, and completes a waiting Step Functions task.
 * Shared by the callback path and by retrieve's reconciliation.
 */
@ApplicationScoped
public class CheckCompletion {
    private static final Logger LOG = Logger.getLogger(CheckCompletion.class);

    private final JumioClient jumio;
    private final CheckStore store;
    private final TaskCompletion tasks;

    public CheckCompletion(JumioClient jumio, CheckStore store, TaskCompletion tasks) {
        this.jumio = jumio;
        this.store = store;
        this.tasks = tasks;
    }

    /** What asking Jumio led to. */
    public enum Result {
        /** The check is complete now (by us or by someone faster). */
        COMPLETED,
        /** Jumio has no decision yet. */
        NOT_READY,
        /** Jumio could not be asked now; a later retrieve will try again. */
        UNAVAILABLE
    }

    /** Fetches the details of a check that Jumio reports as processed, and stores the decision. */
    public Result fetchDecision(CheckRecord check, Deadline deadline) {
        Fetched fetched = fetch(check, deadline);
        if (fetched.decision() == null) {
            return fetched.result();
        }
        try {
            if (store.recordDecision(check.checkId(), fetched.decision())) {
                LOG.infof("decision stored: %s", fetched.decision().type());
            }
        } catch (SdkException e) {
            // The decision stays to be fetched (detailsPending); the next read does it.
            LOG.warnf("decision not stored, left for later: %s", e.getClass().getSimpleName());
            return Result.UNAVAILABLE;
        }
        afterChange(check, deadline);
        return Result.COMPLETED;
    }

    /** What {@link #fetch} got: a decision (result {@code COMPLETED}), or none and why. */
    public record Fetched(Result result, Decision decision) {
    }

    /** Fetches the decision from Jumio without storing it, for a caller that stores it with another change. */
    public Fetched fetch(CheckRecord check, Deadline deadline) {
        JsonNode details;
        try {
            details = jumio.workflowDetails(check.accountId(), check.workflowExecutionId(), deadline);
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
        return decision == null ? new Fetched(Result.NOT_READY, null) : new Fetched(Result.COMPLETED, decision);
    }

    /** Completes a check that Jumio reports as expired without a callback having said so. */
    public void expire(CheckRecord check, CheckStatus expired, Deadline deadline) {
        if (store.recordExpired(check.checkId(), expired)) {
            LOG.infof("check expired at Jumio: %s", expired);
        }
        afterChange(check, deadline);
    }

    /** Completes the check's Step Functions task if one is still waiting (an earlier attempt may have failed). */
    public void completeWaitingTask(CheckRecord check, Deadline deadline) {
        tasks.completeIfDone(check, deadline);
    }

    /**
     * After {@code before} changed: re-reads it and completes its Step Functions task if one is waiting. The read is
     * not skipped for checks that had no token in {@code before}: a retried task may have attached one since.
     */
    public void afterChange(CheckRecord before, Deadline deadline) {
        store.get(before.checkId()).ifPresent(c -> tasks.completeIfDone(c, deadline));
    }
}
