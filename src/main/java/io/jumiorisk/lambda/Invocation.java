package io.jumiorisk.lambda;

import java.util.UUID;

import org.jboss.logging.MDC;

import com.amazonaws.services.lambda.runtime.Context;

import io.jumiorisk.Deadline;
import io.jumiorisk.jumio.JumioConfig;

/** Per-invocation facts shared by the handlers: the deadline and the ids that tie log lines together. */
public record Invocation(String id, String correlationId, Deadline deadline) implements AutoCloseable {

    public static Invocation begin(Context context, String correlationId, JumioConfig config, String handler) {
        String id = context != null && context.getAwsRequestId() != null
                ? context.getAwsRequestId()
                : UUID.randomUUID().toString();
        String correlation = correlationId != null && correlationId.length() <= 128 ? correlationId : id;
        MDC.clear();
        MDC.put("correlationId", correlation);
        MDC.put("invocationId", id);
        MDC.put("handler", handler);
        return new Invocation(id, correlation, Deadline.of(context, config.defaultBudget()));
    }

    @Override
    public void close() {
        MDC.clear();
    }
}
