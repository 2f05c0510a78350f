package io.jumiorisk.sfn;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.CheckView;
import io.jumiorisk.store.CheckRecord;
import io.jumiorisk.store.CheckStatus;
import io.jumiorisk.store.CheckStore;
import io.jumiorisk.store.TaskState;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * Completes the Step Functions task waiting on a check, exactly once, whichever path (callback, retrieve,
 * reconciliation, a repeated start) sees the check finish first. The claim in the table decides who sends.
 */
@ApplicationScoped
public class TaskCompletion {
    private static final Logger LOG = Logger.getLogger(TaskCompletion.class);
    /** A claim older than this belongs to an invocation that died before it could record the outcome. */
    private static final Duration STALE_CLAIM = Duration.ofMinutes(5);

    private final CheckStore store;
    private final Instance<SfnClient> sfn;
    private final ObjectMapper mapper;

    public TaskCompletion(CheckStore store, Instance<SfnClient> sfn, ObjectMapper mapper) {
        this.store = store;
        this.sfn = sfn;
        this.mapper = mapper;
    }

    /** Error names sent with SendTaskFailure; a state machine catches them. */
    public static String failureError(CheckStatus status) {
        return switch (status) {
            case SESSION_EXPIRED -> "Jumio.SessionExpired";
            case TOKEN_EXPIRED -> "Jumio.TokenExpired";
            default -> "Jumio.Failed";
        };
    }

    /** The error that an erased check's waiting task fails with. */
    public static final String ERASED_ERROR = "Check.Erased";

    /**
     * Fails the task waiting on a check that is being erased, before its token goes with the tombstone. Best effort:
     * a task that cannot be told now times out by the state machine's own timeout.
     */
    public void failForErasure(CheckRecord check, Deadline deadline) {
        boolean waiting = TaskState.WAITING.name().equals(check.taskState())
                || TaskState.COMPLETING.name().equals(check.taskState());
        if (check.taskToken() == null || !waiting
                || !store.claimTaskCompletion(check.checkId(), Instant.now().minus(STALE_CLAIM))) {
            return;
        }
        Duration timeout = deadline.budget(Duration.ofMillis(500), Duration.ofSeconds(5));
        try {
            sfn.get().sendTaskFailure(b -> b.taskToken(check.taskToken()).error(ERASED_ERROR)
                    .cause("Check " + check.checkId() + " was erased on request")
                    .overrideConfiguration(o -> o.apiCallTimeout(timeout)));
            LOG.info("step functions task failed: the check is being erased");
        } catch (SdkException e) {
            LOG.warnf("step functions task of an erased check not failed: %s", e.getClass().getSimpleName());
        }
    }

    public void completeIfDone(CheckRecord check, Deadline deadline) {
        if (check.taskToken() == null || !check.status().terminal()) {
            return;
        }
        boolean claimable = TaskState.WAITING.name().equals(check.taskState())
                || TaskState.COMPLETING.name().equals(check.taskState());
        if (!claimable || !store.claimTaskCompletion(check.checkId(), Instant.now().minus(STALE_CLAIM))) {
            return;
        }
        Duration timeout = deadline.budget(Duration.ofMillis(500), Duration.ofSeconds(5));
        try {
            if (check.status() == CheckStatus.PROCESSED) {
                String output = mapper.writeValueAsString(CheckView.of(check));
                sfn.get().sendTaskSuccess(b -> b.taskToken(check.taskToken()).output(output)
                        .overrideConfiguration(o -> o.apiCallTimeout(timeout)));
            } else {
                String cause = "Check " + check.checkId() + " ended as " + check.status()
                        + (check.failureReason() == null ? "" : " (" + check.failureReason() + ")");
                sfn.get().sendTaskFailure(b -> b.taskToken(check.taskToken()).error(failureError(check.status()))
                        .cause(cause).overrideConfiguration(o -> o.apiCallTimeout(timeout)));
            }
            store.moveTask(check.checkId(), TaskState.COMPLETING, TaskState.COMPLETED,
                    check.status() == CheckStatus.PROCESSED ? "SendTaskSuccess" : "SendTaskFailure");
            LOG.infof("step functions task completed for status %s", check.status());
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
            // The state machine stopped waiting (or never could): it will not accept a completion, ever.
            String outcome = e.getClass().getSimpleName().replace("Exception", "");
            store.moveTask(check.checkId(), TaskState.COMPLETING, TaskState.ABANDONED, outcome);
            LOG.warnf("step functions task not completed: %s", outcome);
        } catch (SdkException | JsonProcessingException e) {
            // Hand the claim back so that the next callback or retrieve tries again.
            store.moveTask(check.checkId(), TaskState.COMPLETING, TaskState.WAITING, null);
            LOG.warnf("step functions task completion failed, will retry: %s", e.getClass().getSimpleName());
        }
    }
}
