package io.jumiorisk.check;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.model.Check;
import io.jumiorisk.check.model.CheckStatus;
import io.jumiorisk.check.model.ErasureOutcome;
import io.jumiorisk.check.model.ErasureScope;
import io.jumiorisk.errors.ProductError;
import io.jumiorisk.jumio.JumioCallFailure;
import io.jumiorisk.jumio.JumioErasure;
import io.jumiorisk.ops.Metrics;
import io.jumiorisk.store.CheckStore;
import io.jumiorisk.store.OrphanStore;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the erase function does on its schedule: it finishes every erasure that Jumio has not confirmed yet (Jumio was
 * down, or the caller never repeated the request), and deletes the orphans that callbacks found. Each one is retried
 * on every run until Jumio confirms it; a run stops taking new ones when its time is nearly up.
 */
@ApplicationScoped
public class ErasureSweep {
    private static final Logger LOG = Logger.getLogger(ErasureSweep.class);
    /** A claim older than this belongs to an invocation that died before it could finish the deletion. */
    private static final Duration STALE_CLAIM = Duration.ofMinutes(5);
    /** Left for one more item: a deletion at Jumio and two writes. */
    private static final Duration ONE_MORE = Duration.ofSeconds(2);

    private final CheckStore checks;
    private final OrphanStore orphans;
    private final CheckEraser eraser;
    private final JumioErasure jumio;
    private final Metrics metrics;

    public ErasureSweep(CheckStore checks, OrphanStore orphans, CheckEraser eraser, JumioErasure jumio,
            Metrics metrics) {
        this.checks = checks;
        this.orphans = orphans;
        this.eraser = eraser;
        this.jumio = jumio;
        this.metrics = metrics;
    }

    /**
     * What a run did, and what is still pending after it: counts only.
     *
     * @param oldestPendingErasureAgeSeconds how long ago the oldest erasure that this run tried and could not finish
     *     was asked for; 0 when it finished all it tried. An erasure older than a day means Jumio has refused or been
     *     unreachable for that long (an alarm watches it).
     */
    // The function's answer to a direct invocation: written by Jackson, which the native image must let read it.
    @RegisterForReflection
    public record Report(int erased, int pendingErasures, int orphansDeleted, int pendingOrphans,
            long oldestPendingErasureAgeSeconds) {
    }

    public Report sweep(Deadline deadline) {
        int erased = 0;
        Instant oldestPending = null;
        for (String checkId : checks.pendingErasures()) {
            if (deadline.callMillisLeft() < ONE_MORE.toMillis()) {
                break;
            }
            Attempt attempt = finishErasure(checkId, deadline);
            erased += attempt.erased() ? 1 : 0;
            if (attempt.pendingSince() != null
                    && (oldestPending == null || attempt.pendingSince().isBefore(oldestPending))) {
                oldestPending = attempt.pendingSince();
            }
        }
        int deleted = 0;
        for (String workflowExecutionId : orphans.pending()) {
            if (deadline.callMillisLeft() < ONE_MORE.toMillis()) {
                break;
            }
            deleted += deleteOrphan(workflowExecutionId, deadline) ? 1 : 0;
        }
        long oldestAge = oldestPending == null
                ? 0
                : Math.max(0, Duration.between(oldestPending, Instant.now()).getSeconds());
        Report report = new Report(erased, checks.pendingErasures().size(), deleted, orphans.pending().size(),
                oldestAge);
        LOG.infof("erase sweep: %d erasures finished, %d pending (oldest tried: %d s); %d orphans deleted, %d pending",
                report.erased(), report.pendingErasures(), report.oldestPendingErasureAgeSeconds(),
                report.orphansDeleted(), report.pendingOrphans());
        metrics.sweep(report.erased(), report.pendingErasures(), report.oldestPendingErasureAgeSeconds(),
                report.pendingOrphans());
        return report;
    }

    /** @param pendingSince when the erasure was asked for, if it is still pending after this attempt */
    private record Attempt(boolean erased, Instant pendingSince) {
    }

    private Attempt finishErasure(String checkId, Deadline deadline) {
        MDC.put("checkId", checkId);
        Instant requestedAt = null;
        try {
            Optional<Check> check = checks.get(checkId);
            if (check.isEmpty() || check.get().erasure() == null || check.get().status() == CheckStatus.ERASED) {
                // Expired, never marked (the mark failed after the listing), or finished meanwhile.
                checks.dropPendingErasure(checkId);
                return new Attempt(false, null);
            }
            requestedAt = check.get().erasure().requestedAt();
            ErasureScope scope = check.get().erasure().scope();
            boolean erased = "ERASED".equals(eraser.erase(checkId, scope == null ? ErasureScope.WORKFLOW : scope,
                    deadline).status());
            return new Attempt(erased, erased ? null : requestedAt);
        } catch (ProductError e) {
            LOG.warnf("erasure not finished now, the next sweep tries again: %s", e.contract().code());
            return new Attempt(false, requestedAt);
        } finally {
            MDC.remove("checkId");
        }
    }

    private boolean deleteOrphan(String workflowExecutionId, Deadline deadline) {
        Optional<OrphanStore.Orphan> claimed = orphans.claim(workflowExecutionId, Instant.now().minus(STALE_CLAIM));
        if (claimed.isEmpty()) {
            return false;
        }
        OrphanStore.Orphan orphan = claimed.get();
        MDC.put("checkId", orphan.checkId());
        try {
            ErasureOutcome outcome = jumio.deleteWorkflow(orphan.accountId(), workflowExecutionId, deadline)
                    ? ErasureOutcome.DELETED
                    : ErasureOutcome.ALREADY_GONE;
            orphans.recordDeleted(orphan, outcome);
            metrics.orphanDeleted();
            LOG.infof("orphan workflow deleted: %s (%s)", workflowExecutionId, outcome);
            return true;
        } catch (JumioCallFailure e) {
            orphans.release(workflowExecutionId);
            LOG.warnf("orphan workflow %s not deleted now (%s); the next sweep tries again", workflowExecutionId,
                    e.getMessage());
            return false;
        } finally {
            MDC.remove("checkId");
        }
    }
}
