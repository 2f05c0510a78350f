package io.jumiorisk.jumio;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;
import io.smallrye.faulttolerance.api.CustomBackoff;

/**
 * Jumio's retrieval API: a workflow's status and its details. URLs are built from ids, never taken from a callback.
 * Reads are safe to repeat: retried on 429, 5xx and timeouts inside the invocation's deadline.
 */
@ApplicationScoped
@Retry(maxRetries = 3, delay = 200, maxDuration = 60_000, retryOn = JumioCallFailure.Transient.class, abortOn = {
        JumioCallFailure.GiveUp.class, JumioCallFailure.Rejected.class,
        JumioCallFailure.Ambiguous.class})
@CustomBackoff(JumioBackoff.class)
public class JumioRetrieval {
    private final JumioApis.Retrieval retrieval;
    private final BearerCalls bearerCalls;
    private final String userAgent;

    JumioRetrieval(JumioEndpoints endpoints, BearerCalls bearerCalls, JumioConfig config) {
        this.retrieval = RestClients.build(JumioApis.Retrieval.class, endpoints.retrievalUrl(), config);
        this.bearerCalls = bearerCalls;
        this.userAgent = endpoints.userAgent();
    }

    public JsonNode workflowStatus(String accountId, String workflowExecutionId, Deadline deadline) {
        return bearerCalls.exchange("status retrieval", deadline,
                bearer -> retrieval.status(bearer, userAgent, accountId, workflowExecutionId));
    }

    /** The full details, which can hold personal data: callers keep only the decision summary. */
    public JsonNode workflowDetails(String accountId, String workflowExecutionId, Deadline deadline) {
        return bearerCalls.exchange("details retrieval", deadline,
                bearer -> retrieval.details(bearer, userAgent, accountId, workflowExecutionId));
    }
}
