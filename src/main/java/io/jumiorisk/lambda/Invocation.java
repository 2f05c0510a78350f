package io.jumiorisk.lambda;

import java.util.UUID;

import org.jboss.logging.MDC;

import com.amazonaws.services.lambda.runtime.Context;

import io.jumiorisk.Deadline;
import io.jumiorisk.ops.TraceHeader;

/**
 * One invocation of a function: its id, which also names it as the holder of a lease, and the deadline by which it
 * must have answered. Log lines written while it is open carry its ids, and the X-Ray trace id when there is one.
 */
public record Invocation(String id, Deadline deadline) implements AutoCloseable {

    /**
     * @param correlationId the caller's request id (API Gateway's), used when it is reasonable, else this invocation's
     */
    static Invocation begin(Context context, String correlationId, String function, FunctionsConfig config) {
        String id = context != null && context.getAwsRequestId() != null
                ? context.getAwsRequestId()
                : UUID.randomUUID().toString();
        MDC.clear();
        MDC.put("correlationId", correlationId != null && correlationId.length() <= 128 ? correlationId : id);
        MDC.put("invocationId", id);
        MDC.put("handler", function);
        // The X-Ray trace id, so that a trace and its log lines find each other (none outside Lambda).
        TraceHeader trace = TraceHeader.current();
        if (trace != null) {
            MDC.put("traceId", trace.root());
        }
        return new Invocation(id, Deadline.of(context, config.defaultBudget(), config.reserve()));
    }

    @Override
    public void close() {
        MDC.clear();
    }
}
