package io.jumiorisk.lambda;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.jumiorisk.store.StoreConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * The one rule that keeps an invocation from being killed half-way: after its last call to Jumio or Step Functions,
 * it still has to make up to {@link #WRITES_AFTER_A_CALL} DynamoDB writes (the step's record, then a lease release or
 * an upload record when the call failed) and answer. So the reserve must cover that many writes at the DynamoDB
 * write timeout, plus the answer. Checked when the function starts, so that a setting that breaks it never serves.
 */
@ApplicationScoped
public class InvocationBudget {
    static final int WRITES_AFTER_A_CALL = 2;
    static final Duration ANSWER = Duration.ofMillis(500);

    private final FunctionsConfig functions;
    private final StoreConfig store;

    public InvocationBudget(FunctionsConfig functions, StoreConfig store) {
        this.functions = functions;
        this.store = store;
    }

    static Duration minimumReserve(Duration writeTimeout) {
        return writeTimeout.multipliedBy(WRITES_AFTER_A_CALL).plus(ANSWER);
    }

    void verify(@Observes StartupEvent event) {
        verify(functions.reserve(), store.writeTimeout());
    }

    static void verify(Duration reserve, Duration writeTimeout) {
        Duration minimum = minimumReserve(writeTimeout);
        if (reserve.compareTo(minimum) < 0) {
            throw new IllegalStateException("functions.reserve (" + reserve + ") must be at least " + minimum + ": "
                    + WRITES_AFTER_A_CALL + " DynamoDB writes at checks.write-timeout (" + writeTimeout
                    + ") and the answer follow the last outbound call");
        }
    }
}
