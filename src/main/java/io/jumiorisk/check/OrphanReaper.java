package io.jumiorisk.check;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.model.Check;
import io.jumiorisk.check.model.ErasureOutcome;
import io.jumiorisk.jumio.JumioCallFailure;
import io.jumiorisk.jumio.JumioErasure;
import io.jumiorisk.jumio.JumioRetrieval;
import io.jumiorisk.store.CheckStore;

/**
 * Finds and deletes the workflows that ambiguous account requests left at Jumio. Such a workflow holds no prepared
 * data (nothing was uploaded to it) but carries the caller's reference, and no check owns it; Jumio reveals it by the
 * callback it sends when its token lifetime ends. Its details name its {@code customerInternalReference}, whose keyed
 * hash leads to the check that made the attempt. A workflow is deleted only on that evidence and more: it is not the
 * check's own, it runs the check's workflow definition, and it was created while the check was being started. Anything
 * else is left alone and logged, with ids only.
 */
@ApplicationScoped
public class OrphanReaper {
    private static final Logger LOG = Logger.getLogger(OrphanReaper.class);
    /** A claim older than this belongs to an invocation that died before it could finish the deletion. */
    private static final Duration STALE_CLAIM = Duration.ofMinutes(5);
    /** Clock difference allowed between Jumio's createdAt and our own record of the start. */
    private static final Duration SKEW = Duration.ofMinutes(2);

    private final CheckStore store;
    private final JumioRetrieval retrieval;
    private final JumioErasure erasure;
    private final RequestHashes hashes;

    public OrphanReaper(CheckStore store, JumioRetrieval retrieval, JumioErasure erasure, RequestHashes hashes) {
        this.store = store;
        this.retrieval = retrieval;
        this.erasure = erasure;
        this.hashes = hashes;
    }

    public enum Outcome {
        /** An orphan of one of our checks, deleted now (or Jumio had deleted it already). */
        DELETED,
        /** An orphan whose deletion another invocation has claimed or done. */
        ALREADY_HANDLED,
        /** A workflow that is not traceable to any check: left alone. */
        NOT_OURS,
        /** Jumio could not be asked now; the callback should be delivered again. */
        UNAVAILABLE
    }

    /** A callback named a workflow that no check owns. */
    public Outcome reap(String accountId, String workflowExecutionId, Deadline deadline) {
        JsonNode details;
        try {
            details = retrieval.workflowDetails(accountId, workflowExecutionId, deadline);
        } catch (JumioCallFailure.Rejected e) {
            LOG.infof("callback for workflow %s, which no check owns and Jumio does not show (HTTP %d): left alone",
                    workflowExecutionId, e.status());
            return Outcome.NOT_OURS;
        } catch (JumioCallFailure e) {
            LOG.warnf("callback for workflow %s, which no check owns: its details could not be fetched (%s)",
                    workflowExecutionId, e.getMessage());
            return Outcome.UNAVAILABLE;
        }
        Check owner = owner(workflowExecutionId, details);
        if (owner == null) {
            LOG.infof("callback for workflow %s, which matches no check: left alone", workflowExecutionId);
            return Outcome.NOT_OURS;
        }
        MDC.put("checkId", owner.checkId());
        LOG.infof("orphan workflow found: %s, left by an ambiguous account request", workflowExecutionId);
        if (!store.claimOrphan(workflowExecutionId, accountId, owner.checkId(), Instant.now().minus(STALE_CLAIM))) {
            LOG.infof("orphan workflow %s is being or was deleted by another invocation", workflowExecutionId);
            return Outcome.ALREADY_HANDLED;
        }
        ErasureOutcome outcome;
        try {
            outcome = erasure.deleteWorkflow(accountId, workflowExecutionId, deadline)
                    ? ErasureOutcome.DELETED
                    : ErasureOutcome.ALREADY_GONE;
        } catch (JumioCallFailure e) {
            store.releaseOrphan(workflowExecutionId);
            LOG.warnf("orphan workflow %s not deleted now (%s); the next delivery of its callback tries again",
                    workflowExecutionId, e.getMessage());
            return Outcome.UNAVAILABLE;
        }
        store.recordOrphanDeleted(workflowExecutionId, owner.checkId(), outcome);
        LOG.infof("orphan workflow deleted: %s (%s)", workflowExecutionId, outcome);
        return Outcome.DELETED;
    }

    /** The check that left this workflow behind, or null when the evidence is not there. */
    private Check owner(String workflowExecutionId, JsonNode details) {
        JsonNode workflow = details.path("workflow");
        String reference = workflow.path("customerInternalReference").asText("");
        if (reference.isEmpty()) {
            return null;
        }
        Instant created = instant(details.path("createdAt").asText(""));
        for (String checkId : store.checkIdsForReference(hashes.idempotencyKey(reference))) {
            Check check = store.get(checkId).orElse(null);
            if (check != null && !workflowExecutionId.equals(check.workflowExecutionId())
                    && sameDefinition(check, workflow.path("definitionKey")) && startedAround(check, created)) {
                return check;
            }
        }
        return null;
    }

    /** A tombstone keeps no workflow key; its attempts are the evidence then. */
    private static boolean sameDefinition(Check check, JsonNode definitionKey) {
        return check.workflowKey() == null || check.workflowKey().equals(definitionKey.asText());
    }

    /** Created between the check's record and its end (or now), or around one of its ambiguous attempts. */
    private static boolean startedAround(Check check, Instant created) {
        if (created == null) {
            return check.unresolvedAttempts() > 0;
        }
        for (Check.StartAttempt attempt : check.attempts()) {
            if (attempt.at() != null && Duration.between(attempt.at(), created).abs().compareTo(SKEW) <= 0) {
                return true;
            }
        }
        Instant from = check.times().createdAt();
        Instant to = check.times().finalizedAt() != null ? check.times().finalizedAt() : Instant.now();
        return from != null && !created.isBefore(from.minus(SKEW)) && !created.isAfter(to.plus(SKEW));
    }

    private static Instant instant(String text) {
        try {
            return text.isEmpty() ? null : Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
