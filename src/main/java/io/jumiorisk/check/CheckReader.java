package io.jumiorisk.check;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;
import io.jumiorisk.errors.CheckNotFound;
import io.jumiorisk.errors.InvalidRequest;
import io.jumiorisk.errors.JumioUnavailable;
import io.jumiorisk.jumio.JumioCallFailure;
import io.jumiorisk.jumio.JumioClient;
import io.jumiorisk.store.CheckRecord;
import io.jumiorisk.store.CheckStatus;
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
    private static final Pattern CHECK_ID = Pattern
            .compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final CheckStore store;
    private final JumioClient jumio;
    private final CheckCompletion completion;
    private final StoreConfig config;

    public CheckReader(CheckStore store, JumioClient jumio, CheckCompletion completion, StoreConfig config) {
        this.store = store;
        this.jumio = jumio;
        this.completion = completion;
        this.config = config;
    }

    public static void validateId(String checkId) {
        if (checkId == null || !CHECK_ID.matcher(checkId).matches()) {
            throw InvalidRequest.of("checkId", "must be a check id as returned by POST /checks (a lower-case UUID)");
        }
    }

    public CheckView read(String checkId, Deadline deadline) {
        validateId(checkId);
        MDC.put("checkId", checkId);
        CheckRecord check = store.get(checkId).orElseThrow(() -> new CheckNotFound(checkId));
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

    private CheckRecord reconcile(CheckRecord check, Deadline deadline) {
        if (check.status().terminal()) {
            // A task completion that failed earlier gets another chance on every read.
            completion.completeWaitingTask(check, deadline);
            return check;
        }
        if (check.workflowExecutionId() == null || check.erasure() != null) {
            // Nothing to ask Jumio about, or the data is being erased there.
            return check;
        }
        Instant now = Instant.now();
        Instant due = dueAt(check);
        if (now.isBefore(due)) {
            return check;
        }
        List<Long> schedule = config.pollSchedule();
        Duration spacing = Duration.ofSeconds(schedule.get(Math.min(check.pollCount() + 1, schedule.size() - 1)));
        if (!store.claimPoll(check.checkId(), now, check.pollCount(), now.plus(spacing))) {
            return check;
        }
        LOG.infof("reconciling with Jumio (poll %d)", check.pollCount() + 1);
        if (check.detailsPending()) {
            completion.fetchDecision(check, deadline);
        } else {
            askStatus(check, deadline);
        }
        return store.get(check.checkId()).orElse(check);
    }

    /** When this pending check may next be asked about at Jumio. */
    private Instant dueAt(CheckRecord check) {
        if (check.nextPollAt() != null) {
            return check.nextPollAt();
        }
        if (check.detailsPending()) {
            // Jumio said it is done; only our fetch failed.
            return Instant.EPOCH;
        }
        Instant since = check.finalizedAt() != null ? check.finalizedAt() : check.createdAt();
        long wait = Math.max(config.reconcileAfterSeconds(), config.pollSchedule().get(0));
        return since.plusSeconds(wait);
    }

    private void askStatus(CheckRecord check, Deadline deadline) {
        String status;
        try {
            status = jumio.workflowStatus(check.accountId(), check.workflowExecutionId(), deadline)
                    .path("workflowExecution").path("status").asText("");
        } catch (JumioCallFailure e) {
            LOG.warnf("status retrieval failed, next slot will retry: %s", e.getMessage());
            return;
        }
        switch (status) {
            case "PROCESSED" -> completion.fetchDecision(check, deadline);
            case "SESSION_EXPIRED" -> completion.expire(check, CheckStatus.SESSION_EXPIRED, deadline);
            case "TOKEN_EXPIRED" -> completion.expire(check, CheckStatus.TOKEN_EXPIRED, deadline);
            default -> LOG.infof("Jumio reports %s; still pending", status.isEmpty() ? "no status" : status);
        }
    }
}
