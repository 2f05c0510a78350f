package io.jumiorisk.sfn;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * Sends a waiting Step Functions task its result, and says what became of it in the product's terms, so that no
 * caller needs to know the SDK's exception classes. The client is built on first use: a function that never
 * completes a task never pays for it.
 */
@ApplicationScoped
public class StepFunctions {
    private final Instance<SfnClient> sfn;

    public StepFunctions(Instance<SfnClient> sfn) {
        this.sfn = sfn;
    }

    /** What became of a completion. */
    public enum Outcome {
        /** Step Functions accepted it. */
        ACCEPTED,
        /** Step Functions no longer knows the task (timed out, gone, or a bad token), and never will. */
        REFUSED_FOR_GOOD,
        /** It did not get through now; a later attempt may. */
        NOT_DELIVERED
    }

    /** @param detail the API call that was accepted, or why it was not: a name, never a token */
    public record Delivery(Outcome outcome, String detail) {
    }

    public Delivery succeed(String taskToken, String output, Duration timeout) {
        return send("SendTaskSuccess", () -> sfn.get().sendTaskSuccess(b -> b.taskToken(taskToken).output(output)
                .overrideConfiguration(o -> o.apiCallTimeout(timeout))));
    }

    public Delivery fail(String taskToken, String error, String cause, Duration timeout) {
        return send("SendTaskFailure", () -> sfn.get().sendTaskFailure(b -> b.taskToken(taskToken).error(error)
                .cause(cause).overrideConfiguration(o -> o.apiCallTimeout(timeout))));
    }

    private static Delivery send(String call, Runnable request) {
        try {
            request.run();
            return new Delivery(Outcome.ACCEPTED, call);
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
            return new Delivery(Outcome.REFUSED_FOR_GOOD, e.getClass().getSimpleName().replace("Exception", ""));
        } catch (SdkException e) {
            return new Delivery(Outcome.NOT_DELIVERED, e.getClass().getSimpleName());
        }
    }
}
