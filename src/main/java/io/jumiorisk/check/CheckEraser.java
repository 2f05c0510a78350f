package io.jumiorisk.check;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.jumiorisk.Deadline;
import io.jumiorisk.errors.CheckInProgress;
import io.jumiorisk.errors.CheckNotFound;
import io.jumiorisk.errors.InvalidRequest;
import io.jumiorisk.errors.JumioRejected;
import io.jumiorisk.errors.JumioUnavailable;
import io.jumiorisk.jumio.JumioCallFailure;
import io.jumiorisk.jumio.JumioClient;
import io.jumiorisk.sfn.TaskCompletion;
import io.jumiorisk.store.CheckRecord;
import io.jumiorisk.store.CheckStatus;
import io.jumiorisk.store.CheckStore;

/**
 * Erases a check on request (right to erasure): marks it, deletes its workflow (or its whole Jumio account) at Jumio,
 * then replaces it with a tombstone that holds only its id and when and how it was erased. The mark comes first, so a
 * failure part-way is on record and a repeat completes it; Jumio's DELETE is idempotent, so a repeat is always safe.
 */
@ApplicationScoped
public class CheckEraser {
    private static final Logger LOG = Logger.getLogger(CheckEraser.class);

    /** What to delete at Jumio. */
    public enum Scope {
        /** The check's own workflow execution. */
        WORKFLOW,
        /** The Jumio account, with every workflow execution under it (other checks for the same account too). */
        ACCOUNT;

        public static Scope parse(String value) {
            if (value == null || value.isEmpty()) {
                return WORKFLOW;
            }
            return switch (value) {
                case "workflow" -> WORKFLOW;
                case "account" -> ACCOUNT;
                default -> throw InvalidRequest.of("scope", "must be 'workflow' or 'account'");
            };
        }

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What Jumio said, as kept in the tombstone. */
    static final String DELETED = "DELETED";
    static final String ALREADY_GONE = "ALREADY_GONE";
    static final String NO_WORKFLOW = "NO_WORKFLOW_STARTED";

    private final CheckStore store;
    private final JumioClient jumio;
    private final TaskCompletion tasks;

    public CheckEraser(CheckStore store, JumioClient jumio, TaskCompletion tasks) {
        this.store = store;
        this.jumio = jumio;
        this.tasks = tasks;
    }

    public CheckView erase(String checkId, Scope scope, Deadline deadline) {
        CheckReader.validateId(checkId);
        MDC.put("checkId", checkId);
        CheckRecord check = store.get(checkId).orElseThrow(() -> new CheckNotFound(checkId));
        if (check.status() == CheckStatus.ERASED) {
            LOG.info("erasure repeated: the check was erased already");
            return CheckView.of(check);
        }
        if (!store.markForErasure(checkId, scope.wire())) {
            CheckRecord now = store.get(checkId).orElseThrow(() -> new CheckNotFound(checkId));
            if (now.status() == CheckStatus.ERASED) {
                return CheckView.of(now);
            }
            // A start holds the lease: the workflow it may be creating right now could not be deleted yet.
            throw CheckInProgress.untilLeaseEnds(checkId, now.leaseUntil());
        }
        String outcome = deleteAtJumio(check, scope, deadline);
        tasks.failForErasure(check, deadline);
        if (!store.recordErased(store.get(checkId).orElse(check), scope.wire(), outcome)) {
            LOG.info("another erasure of this check finished first");
        }
        CheckRecord tombstone = store.get(checkId).orElseThrow(() -> new CheckNotFound(checkId));
        LOG.infof("check erased: scope %s, Jumio %s", scope.wire(), tombstone.erasure().outcome());
        return CheckView.of(tombstone);
    }

    private String deleteAtJumio(CheckRecord check, Scope scope, Deadline deadline) {
        if (check.accountId() == null) {
            // Nothing was started at Jumio as far as this check knows (it failed or was refused before).
            return NO_WORKFLOW;
        }
        try {
            boolean deleted = scope == Scope.ACCOUNT
                    ? jumio.deleteAccount(check.accountId(), deadline)
                    : jumio.deleteWorkflow(check.accountId(), check.workflowExecutionId(), deadline);
            return deleted ? DELETED : ALREADY_GONE;
        } catch (JumioCallFailure.Rejected e) {
            if (e.status() == 403) {
                throw new JumioRejected(
                        "Jumio refused the deletion (HTTP 403): the OAuth2 client in use (JUMIO_CLIENT_ID,"
                                + " or the secret JUMIO_CREDENTIALS_SECRET_ID names) lacks Jumio's"
                                + " \"retrieve & delete\" permission. Grant it to that client where its API"
                                + " credentials are managed in the Jumio portal, then"
                                + " repeat the request: check " + check.checkId() + " stays marked for erasure.",
                        403);
            }
            throw new JumioRejected("Jumio refused the deletion with HTTP " + e.status() + "; check " + check.checkId()
                    + " stays marked for erasure", e.status());
        } catch (JumioCallFailure e) {
            LOG.warnf("erasure at Jumio failed, check left marked for erasure: %s", e.getMessage());
            throw new JumioUnavailable("Jumio could not be reached to delete the data; check " + check.checkId()
                    + " stays marked for erasure: repeat the request", e.retryAfterSeconds(), check.checkId());
        }
    }
}
