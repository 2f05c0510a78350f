package io.jumiorisk.check;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.model.Check;
import io.jumiorisk.check.model.CheckStatus;
import io.jumiorisk.check.model.TaskState;
import io.jumiorisk.keys.TokenSeal;
import io.jumiorisk.ops.Metrics;
import io.jumiorisk.sfn.StepFunctions;
import io.jumiorisk.store.CheckStore;

/**
 * Tells the Step Functions task waiting on a check how the check ended, exactly once, whichever path (callback,
 * retrieve, reconciliation, a repeated start, an erasure) sees the check finish first. The claim in the table decides
 * who sends.
 */
@ApplicationScoped
public class TaskNotifier {
    private static final Logger LOG = Logger.getLogger(TaskNotifier.class);
    /** A claim older than this belongs to an invocation that died before it could record the outcome. */
    private static final Duration STALE_CLAIM = Duration.ofMinutes(5);
    /** The error that an erased check's waiting task fails with. */
    public static final String ERASED_ERROR = "Check.Erased";

    private final CheckStore store;
    private final StepFunctions stepFunctions;
    private final TokenSeal seal;
    private final ObjectMapper mapper;
    private final Metrics metrics;

    public TaskNotifier(CheckStore store, StepFunctions stepFunctions, TokenSeal seal, ObjectMapper mapper,
            Metrics metrics) {
        this.store = store;
        this.stepFunctions = stepFunctions;
        this.seal = seal;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    /** Error names sent with SendTaskFailure; a state machine catches them. */
    public static String failureError(CheckStatus status) {
        return switch (status) {
            case SESSION_EXPIRED -> "Jumio.SessionExpired";
            case TOKEN_EXPIRED -> "Jumio.TokenExpired";
            default -> "Jumio.Failed";
        };
    }

    /**
     * Fails the task waiting on a check that is being erased, before its token goes with the tombstone. Best effort:
     * a task that cannot be told now times out by the state machine's own timeout.
     */
    public void failForErasure(Check check, Deadline deadline) {
        if (!claim(check)) {
            return;
        }
        StepFunctions.Delivery delivery;
        try {
            delivery = stepFunctions.fail(token(check), ERASED_ERROR, "Check " + check.checkId()
                    + " was erased on request", timeout(deadline));
        } catch (IllegalStateException e) {
            delivery = new StepFunctions.Delivery(StepFunctions.Outcome.REFUSED_FOR_GOOD, "TokenUnreadable");
        }
        metrics.taskCompletion(delivery.outcome() == StepFunctions.Outcome.ACCEPTED);
        if (delivery.outcome() == StepFunctions.Outcome.ACCEPTED) {
            LOG.info("step functions task failed: the check is being erased");
        } else {
            LOG.warnf("step functions task of an erased check not failed: %s", delivery.detail());
        }
    }

    /** Completes the task of a check that has ended, if one waits (an earlier attempt may have failed). */
    public void completeIfDone(Check check, Deadline deadline) {
        if (!check.status().terminal() || !claim(check)) {
            return;
        }
        StepFunctions.Delivery delivery;
        try {
            String token = token(check);
            delivery = check.status() == CheckStatus.PROCESSED
                    ? stepFunctions.succeed(token, mapper.writeValueAsString(CheckView.of(check)), timeout(deadline))
                    : stepFunctions.fail(token, failureError(check.status()), cause(check), timeout(deadline));
        } catch (JsonProcessingException e) {
            delivery = new StepFunctions.Delivery(StepFunctions.Outcome.NOT_DELIVERED, e.getClass().getSimpleName());
        } catch (IllegalStateException e) {
            // Sealed under a key that has been rotated since: the token cannot be read back, now or later.
            delivery = new StepFunctions.Delivery(StepFunctions.Outcome.REFUSED_FOR_GOOD, "TokenUnreadable");
        }
        metrics.taskCompletion(delivery.outcome() == StepFunctions.Outcome.ACCEPTED);
        switch (delivery.outcome()) {
            case ACCEPTED -> {
                store.moveTask(check.checkId(), TaskState.COMPLETING, TaskState.COMPLETED, delivery.detail());
                LOG.infof("step functions task completed for status %s", check.status());
            }
            case REFUSED_FOR_GOOD -> {
                // The state machine stopped waiting (or never could): it will not accept a completion, ever.
                store.moveTask(check.checkId(), TaskState.COMPLETING, TaskState.ABANDONED, delivery.detail());
                LOG.warnf("step functions task not completed: %s", delivery.detail());
            }
            case NOT_DELIVERED -> {
                // Hand the claim back so that the next callback or retrieve tries again.
                store.moveTask(check.checkId(), TaskState.COMPLETING, TaskState.WAITING, null);
                LOG.warnf("step functions task completion failed, will retry: %s", delivery.detail());
            }
        }
    }

    private String token(Check check) {
        return seal.unseal(check.task().sealedToken());
    }

    private boolean claim(Check check) {
        return check.task() != null && check.task().state() != null && check.task().state().open()
                && store.claimTaskCompletion(check.checkId(), Instant.now().minus(STALE_CLAIM));
    }

    private static String cause(Check check) {
        return "Check " + check.checkId() + " ended as " + check.status()
                + (check.failure() == null ? "" : " (" + check.failure().code() + ")");
    }

    private static Duration timeout(Deadline deadline) {
        return deadline.callBudget(Duration.ofSeconds(5));
    }
}
