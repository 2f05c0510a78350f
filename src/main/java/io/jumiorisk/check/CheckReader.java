package io.jumiorisk.check;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.model.Check;
import io.jumiorisk.errors.CheckNotFound;
import io.jumiorisk.errors.JumioUnavailable;
import io.jumiorisk.jumio.JumioCallFailure;
import io.jumiorisk.jumio.JumioRetrieval;
import io.jumiorisk.ops.Metrics;
import io.jumiorisk.store.CheckStore;
import io.jumiorisk.store.StoreConfig;

/**
 * Serves a check and makes it converge when its callback was lost or its decision could not be fetched: a pending
 * check past {@code RECONCILE_AFTER_SECONDS} is asked about at Jumio, at most once per slot of Jumio's polling
 * schedule. The slot is claimed in the table, so any number of concurrent readers, in any number of containers,
 * cause one request to Jumio.
 */
@ApplicationScoped
public class CheckReader {
    private static final Logger LOG = Logger.getLogger(CheckReader.class);

    private final CheckStore store;
    private final JumioRetrieval jumio;
    private final CheckFinisher finisher;
    private final StoreConfig config;
    private final Metrics metrics;

    public CheckReader(CheckStore store, JumioRetrieval jumio, CheckFinisher finisher, StoreConfig config,
            Metrics metrics) {
        this.store = store;
        this.jumio = jumio;
        this.finisher = finisher;
        this.config = config;
        this.metrics = metrics;
    }

    public CheckView read(String checkId, Deadline deadline) {
        CheckIds.validate(checkId);
        MDC.put("checkId", checkId);
        Check check = store.get(checkId).orElseThrow(() -> new CheckNotFound(checkId));
        return CheckView.of(reconcile(check, deadline));
    }

    /**
     * The check with Jumio's live capability data, which can hold personal data: returned to the caller, never
     * stored or logged.
     */
    public FullView readFull(String checkId, Deadline deadline) {
        CheckView view = read(checkId, deadline);
        if (view.workflowExecutionId() == null || view.erasure() != null) {
            // Nothing at Jumio, or its subject asked for it to be erased: no personal data is served any more.
            return new FullView(view, null);
        }
        try {
            JsonNode details = jumio.workflowDetails(view.accountId(), view.workflowExecutionId(), deadline);
            return new FullView(view, details.path("capabilities"));
        } catch (JumioCallFailure.Rejected e) {
            if (e.status() == 404) {
                return new FullView(view, null);
            }
            throw new JumioUnavailable("Jumio refused the details request (HTTP " + e.status() + ")", null, checkId);
        } catch (JumioCallFailure e) {
            Long retry = e instanceof JumioCallFailure.Transient t ? t.retryAfterMillis() : null;
            throw new JumioUnavailable("Jumio is unavailable; the stored view is at GET /checks/" + checkId,
                    retry == null ? null : Math.max(1, retry / 1000), checkId);
        }
    }

    public record FullView(CheckView check, JsonNode liveCapabilities) {
    }

    private Check reconcile(Check check, Deadline deadline) {
        if (check.status().terminal()) {
            // A task completion that failed earlier gets another chance on every read.
            finisher.completeWaitingTask(check, deadline);
            return check;
        }
        if (check.workflowExecutionId() == null || check.erasure() != null) {
            // Nothing to ask Jumio about, or the data is being erased there.
            return check;
        }
        Instant now = Instant.now();
        if (now.isBefore(dueAt(check))) {
            return check;
        }
        List<Long> schedule = config.pollSchedule();
        int polls = check.polling().count();
        Duration spacing = Duration.ofSeconds(schedule.get(Math.min(polls + 1, schedule.size() - 1)));
        CheckStore.Transition claim = store.claimPoll(check.checkId(), now, polls, now.plus(spacing));
        if (!claim.applied()) {
            return claim.check() == null ? check : claim.check();
        }
        LOG.infof("reconciling with Jumio (poll %d)", polls + 1);
        metrics.reconciliationPoll();
        if (check.detailsPending()) {
            return finisher.fetchDecision(claim.check(), deadline);
        }
        CheckFinisher.Settled settled = finisher.settle(claim.check(), null, deadline);
        if (settled.result() == CheckFinisher.Settlement.STILL_RUNNING) {
            LOG.infof("Jumio reports %s; still pending", settled.jumioStatus());
        }
        return settled.check();
    }

    /** When this pending check may next be asked about at Jumio. */
    private Instant dueAt(Check check) {
        if (check.polling().nextAt() != null) {
            return check.polling().nextAt();
        }
        if (check.detailsPending() || check.confirmPending()) {
            // Jumio said it is done, or a callback said so and waits to be confirmed: only our own call failed.
            return Instant.EPOCH;
        }
        Instant since = check.times().finalizedAt() != null ? check.times().finalizedAt() : check.times().createdAt();
        long wait = Math.max(config.reconcileAfterSeconds(), config.pollSchedule().get(0));
        return since.plusSeconds(wait);
    }
}
