package io.jumiorisk.check;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.model.Check;
import io.jumiorisk.check.model.CheckStatus;
import io.jumiorisk.jumio.JumioCallFailure;
import io.jumiorisk.jumio.JumioRetrieval;
import io.jumiorisk.ops.Metrics;
import io.jumiorisk.store.CheckStore;
import io.jumiorisk.store.OrphanStore;

/**
 * Finds the workflows that ambiguous account requests left at Jumio. Such a workflow holds no prepared data (nothing
 * was uploaded to it) but carries the caller's reference, and no check owns it; Jumio reveals it by the callback it
 * sends when its token lifetime ends, to the callback URL of the check that made the request. It is taken for that
 * check's only on more evidence: its details name a {@code customerInternalReference} with the check's keyed hash, it
 * runs the check's workflow definition, and it was created while the check was being started. Then it is recorded for
 * the erase function, the only one allowed to delete at Jumio ({@link ErasureSweep}). Anything else is left alone and
 * logged, with ids only.
 */
@ApplicationScoped
public class OrphanFinder {
    private static final Logger LOG = Logger.getLogger(OrphanFinder.class);
    /** Clock difference allowed between Jumio's createdAt and our own record of the start. */
    private static final Duration SKEW = Duration.ofMinutes(2);

    private final CheckStore checks;
    private final OrphanStore orphans;
    private final JumioRetrieval retrieval;
    private final RequestHashes hashes;
    private final Metrics metrics;

    public OrphanFinder(CheckStore checks, OrphanStore orphans, JumioRetrieval retrieval, RequestHashes hashes,
            Metrics metrics) {
        this.checks = checks;
        this.orphans = orphans;
        this.retrieval = retrieval;
        this.hashes = hashes;
        this.metrics = metrics;
    }

    public enum Outcome {
        /** An orphan of the check: recorded for deletion now, or before. */
        FOUND,
        /** A workflow that is not traceable to the check: left alone. */
        NOT_OURS,
        /** Jumio could not be asked now; the callback should be delivered again. */
        UNAVAILABLE
    }

    /** A callback for the check {@code checkId} (its URL says so) named a workflow that no check owns. */
    public Outcome find(String checkId, String accountId, String workflowExecutionId, Deadline deadline) {
        Check check = checks.get(checkId).orElse(null);
        if (check == null || check.status() == CheckStatus.ERASED && check.unresolvedAttempts() == 0) {
            // Gone, or erased with nothing left to find: nothing is asked at Jumio about it.
            LOG.infof("callback for workflow %s, which no check owns: left alone", workflowExecutionId);
            return Outcome.NOT_OURS;
        }
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
        if (!leftBy(check, workflowExecutionId, details)) {
            LOG.infof("callback for workflow %s, which matches no attempt of check %s: left alone", workflowExecutionId,
                    checkId);
            return Outcome.NOT_OURS;
        }
        MDC.put("checkId", checkId);
        if (orphans.recordFound(new OrphanStore.Orphan(workflowExecutionId, accountId, checkId))) {
            metrics.orphanFound();
            LOG.infof("orphan workflow found: %s, left by an ambiguous account request; deleted by the erase sweep",
                    workflowExecutionId);
        } else {
            LOG.infof("orphan workflow %s was found before", workflowExecutionId);
        }
        return Outcome.FOUND;
    }

    /** Whether the workflow is one that an account request of {@code check} left behind. */
    private boolean leftBy(Check check, String workflowExecutionId, JsonNode details) {
        JsonNode workflow = details.path("workflow");
        String reference = workflow.path("customerInternalReference").asText("");
        return !reference.isEmpty() && !workflowExecutionId.equals(check.workflowExecutionId())
                && hashes.idempotencyKey(reference).equals(check.referenceHash())
                && sameDefinition(check, workflow.path("definitionKey"))
                && startedAround(check, instant(details.path("createdAt").asText("")));
    }

    /** A tombstone keeps no workflow key; its attempts are the evidence then. */
    private static boolean sameDefinition(Check check, JsonNode definitionKey) {
        return check.workflowKey() == null || check.workflowKey().equals(definitionKey.asText());
    }

    /** Created between the check's record and its finalize (or now), or around one of its ambiguous attempts. */
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
